package test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// The default app is the seed scenario: these tests hold each promise it makes, one by one.

func TestDefaultStackResources(t *testing.T) {
	s := synthApp(t, nil)
	for typ, n := range map[string]float64{
		"AWS::EC2::VPC":           1,
		"AWS::EC2::Subnet":        4, // public + private in each of 2 AZs
		"AWS::EC2::NatGateway":    0, // no NAT cost unless asked
		"AWS::EC2::FlowLog":       2, // one per destination
		"AWS::Logs::LogGroup":     1,
		"AWS::S3::Bucket":         3, // flow logs + their access logs + Athena query results
		"AWS::S3::BucketPolicy":   3,
		"AWS::IAM::ManagedPolicy": 1,
		"AWS::IAM::Policy":        0, // no inline policies
	} {
		check(t, func() { s.template.ResourceCountIs(jsii.String(typ), jsii.Number(n)) })
	}
}

func TestDefaultFlowLogs(t *testing.T) {
	s := synthApp(t, nil)
	vpcRef := map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^NetworkVpc"))}
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType":           "VPC",
			"ResourceId":             vpcRef,
			"TrafficType":            "ALL",
			"MaxAggregationInterval": 600,
			"LogDestinationType":     "cloud-watch-logs",
			"LogGroupName":           map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("LogGroup"))},
			"DeliverLogsPermissionArn": map[string]any{"Fn::GetAtt": []any{
				assertions.Match_StringLikeRegexp(jsii.String("DeliveryRole")), "Arn"}},
			"LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} " +
				"${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
			"Tags": []any{map[string]any{"Key": "Name", "Value": "VpcFlowLogs-vpc"}},
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType":       "VPC",
			"LogDestinationType": "s3",
			"LogDestination":     map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsS3Bucket")), "Arn"}},
			// PascalCase keys, all three, as the CloudFormation schema requires.
			"DestinationOptions": assertions.Match_ObjectEquals(&map[string]any{
				"FileFormat": "plain-text", "HiveCompatiblePartitions": false, "PerHourPartition": false,
			}),
			"DeliverLogsPermissionArn": assertions.Match_Absent(),
		})
	})
}

// TestFlowLogsDependOnTheirPermissions: each flow log is created only after what lets it deliver,
// so the first deploy cannot fail with "Access Denied for LogDestination".
func TestFlowLogsDependOnTheirPermissions(t *testing.T) {
	s := synthApp(t, nil)
	policies := resourcesOfType(s, "AWS::IAM::ManagedPolicy")
	bucketPolicies := resourcesOfType(s, "AWS::S3::BucketPolicy")
	for id, fl := range resourcesOfType(s, "AWS::EC2::FlowLog") {
		deps, _ := fl["DependsOn"].([]any)
		props := fl["Properties"].(map[string]any)
		want := map[string]bool{}
		switch props["LogDestinationType"] {
		case "cloud-watch-logs":
			for pid := range policies {
				want[pid] = true
			}
		case "s3":
			for pid, bp := range bucketPolicies {
				bucketRef := bp["Properties"].(map[string]any)["Bucket"].(map[string]any)["Ref"]
				dest := props["LogDestination"].(map[string]any)["Fn::GetAtt"].([]any)[0]
				if bucketRef == dest {
					want[pid] = true
				}
			}
		}
		if len(want) == 0 {
			t.Fatalf("%s: found no permission resource to depend on", id)
		}
		for w := range want {
			found := false
			for _, d := range deps {
				found = found || d == w
			}
			if !found {
				t.Errorf("flow log %s does not depend on %s (DependsOn %v)", id, w, deps)
			}
		}
	}
}

func TestDeliveryRoleTrustIsConfusedDeputySafe(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action":    "sts:AssumeRole",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}},
					"ArnLike": map[string]any{"aws:SourceArn": map[string]any{"Fn::Join": []any{"", []any{
						"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ec2:", map[string]any{"Ref": "AWS::Region"},
						":", map[string]any{"Ref": "AWS::AccountId"}, ":vpc-flow-log/*"}}}},
				},
			}}},
		})
	})
}

func TestDeliveryRolePolicyIsLeastPrivilege(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
				"Resource": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("LogGroup")), "Arn"}},
				"Sid":      "WriteFlowLogRecords",
			}}},
			"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("DeliveryRole"))}},
		})
	})
	// Whatever the policy says, it must not say these anywhere.
	for _, forbidden := range []string{"logs:CreateLogGroup", "iam:PassRole", "logs:*"} {
		for id, p := range resourcesOfType(s, "AWS::IAM::ManagedPolicy") {
			if containsValue(p, forbidden) {
				t.Errorf("%s grants %s", id, forbidden)
			}
		}
	}
	for id, p := range resourcesOfType(s, "AWS::IAM::ManagedPolicy") {
		if containsValue(p["Properties"].(map[string]any)["PolicyDocument"], "*") {
			t.Errorf("%s has a \"*\" resource or action", id)
		}
	}
}

func TestLogGroupRetentionAndRetain(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::Logs::LogGroup"), map[string]any{
			"Properties":          map[string]any{"RetentionInDays": 365, "LogGroupClass": "STANDARD"},
			"DeletionPolicy":      "Retain",
			"UpdateReplacePolicy": "Retain",
		})
	})
}

func TestBucketsAreHardened(t *testing.T) {
	s := synthApp(t, nil)
	buckets := resourcesOfType(s, "AWS::S3::Bucket")
	for id, b := range buckets {
		if b["DeletionPolicy"] != "Retain" {
			t.Errorf("%s: DeletionPolicy %v, want Retain", id, b["DeletionPolicy"])
		}
	}
	hardened := map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
			"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"},
		}}},
		"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
		"LifecycleConfiguration": map[string]any{"Rules": []any{map[string]any{
			"Id": "FlowLogRetention", "Status": "Enabled", "ExpirationInDays": 365,
			"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
			"Transitions": []any{
				map[string]any{"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
				map[string]any{"StorageClass": "GLACIER", "TransitionInDays": 90},
			},
		}}},
	}
	// Both buckets are hardened alike; only the flow-log bucket logs its access to the other.
	// (The Athena results bucket is tested in analytics_test.go.)
	check(t, func() { flowLogBuckets(t, s).AllResourcesProperties(jsii.String("AWS::S3::Bucket"), hardened) })
	withLogging := map[string]any{}
	for k, v := range hardened {
		withLogging[k] = v
	}
	withLogging["LoggingConfiguration"] = map[string]any{
		"DestinationBucketName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("AccessLogsBucket"))},
		"LogFilePrefix":         "s3-access-logs/",
	}
	check(t, func() { s.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), withLogging) })
}

func TestBucketPoliciesDenyInsecureTransport(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() {
		s.template.AllResourcesProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Effect": "Deny", "Action": "s3:*", "Principal": map[string]any{"AWS": "*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})})},
		})
	})
}

func TestBucketPolicyLetsOnlyThisAccountsFlowLogsDeliver(t *testing.T) {
	s := synthApp(t, nil)
	sourceArn := map[string]any{"Fn::Join": []any{"", []any{
		"arn:", map[string]any{"Ref": "AWS::Partition"}, ":logs:", map[string]any{"Ref": "AWS::Region"},
		":", map[string]any{"Ref": "AWS::AccountId"}, ":*"}}}
	bucketArn := map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsS3Bucket[0-9A-F]+$")), "Arn"}}
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
				assertions.Match_ObjectLike(&map[string]any{
					"Sid": "AWSLogDeliveryWrite", "Effect": "Allow", "Action": "s3:PutObject",
					"Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
					"Resource":  map[string]any{"Fn::Join": []any{"", []any{bucketArn, "/AWSLogs/", map[string]any{"Ref": "AWS::AccountId"}, "/*"}}},
					"Condition": map[string]any{
						"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}, "s3:x-amz-acl": "bucket-owner-full-control"},
						"ArnLike":      map[string]any{"aws:SourceArn": sourceArn},
					},
				}),
				assertions.Match_ObjectLike(&map[string]any{
					"Sid": "AWSLogDeliveryAclCheck", "Effect": "Allow", "Action": []any{"s3:GetBucketAcl", "s3:ListBucket"},
					"Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
					"Resource":  bucketArn,
					"Condition": map[string]any{
						"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}},
						"ArnLike":      map[string]any{"aws:SourceArn": sourceArn},
					},
				}),
			})},
		})
	})
}

func TestDefaultSecurityGroupIsRestricted(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() { s.template.ResourceCountIs(jsii.String("Custom::VpcRestrictDefaultSG"), jsii.Number(1)) })
}

// containsValue reports whether v holds the string want anywhere inside it.
func containsValue(v any, want string) bool {
	switch x := v.(type) {
	case string:
		return x == want
	case []any:
		for _, e := range x {
			if containsValue(e, want) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsValue(e, want) {
				return true
			}
		}
	}
	return false
}

// TestHardenedProfile: one customer managed key with rotation, grants only for AWS resources,
// encrypts the log group and the flow-log bucket; both buckets are versioned and send events to
// EventBridge; the flow-log bucket has Object Lock for legal holds.
func TestHardenedProfile(t *testing.T) {
	s := synthApp(t, map[string]any{"hardened": "true"})
	keyArn := map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^LogsKey")), "Arn"}}
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1)) })
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{"EnableKeyRotation": true})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"KmsKeyId": keyArn})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
				"BucketKeyEnabled":              true,
				"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": keyArn},
			}}},
			"LoggingConfiguration": assertions.Match_AnyValue(),
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
			"KeyPolicy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Sid": "DenyGrantsExceptForAWSResources", "Effect": "Deny", "Action": "kms:CreateGrant",
				"Condition": map[string]any{"BoolIfExists": map[string]any{"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
			})})},
		})
	})
	// Object Lock (for legal holds) on the flow-log bucket only, with no default retention.
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"ObjectLockEnabled": true, "ObjectLockConfiguration": assertions.Match_Absent(),
			"LoggingConfiguration": assertions.Match_AnyValue(),
		})
	})
	check(t, func() {
		flowLogBuckets(t, s).AllResourcesProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"NotificationConfiguration": map[string]any{"EventBridgeConfiguration": map[string]any{"EventBridgeEnabled": true}},
			"VersioningConfiguration":   map[string]any{"Status": "Enabled"},
			"LifecycleConfiguration": map[string]any{"Rules": []any{assertions.Match_ObjectLike(&map[string]any{
				"NoncurrentVersionExpiration": map[string]any{"NoncurrentDays": 365}})}},
		})
	})
}

// flowLogBuckets is a template of the flow-log destination's buckets only (logical IDs
// FlowLogsS3…), for assertions that hold for every one of them.
func flowLogBuckets(t *testing.T, s synthesized) assertions.Template {
	t.Helper()
	res := map[string]any{}
	for id, r := range resourcesOfType(s, "AWS::S3::Bucket") {
		if strings.HasPrefix(id, "FlowLogsS3") {
			res[id] = r
		}
	}
	return assertions.Template_FromJSON(&map[string]any{"Resources": res}, nil)
}
