package logbucket

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// DeliveryPrincipal is the service that writes flow logs to S3.
const DeliveryPrincipal = "delivery.logs.amazonaws.com"

// sourceConditions limits log delivery to deliveries made for this account and region
// (confused-deputy protection, https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html).
func sourceConditions(stack awscdk.Stack) *map[string]interface{} {
	return &map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()},
		"ArnLike":      map[string]interface{}{"aws:SourceArn": fmt.Sprintf("arn:%s:logs:%s:%s:*", *stack.Partition(), *stack.Region(), *stack.Account())},
	}
}

// DeliveryObjectPrefix is where flow logs land in the bucket: keyPrefix (without slashes at its
// ends, may be empty) then AWSLogs/ACCOUNT/, or AWSLogs/aws-account-id=ACCOUNT/ with Hive-compatible
// prefixes (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
func DeliveryObjectPrefix(keyPrefix, account string, hive bool) string {
	p := "AWSLogs/" + account + "/"
	if hive {
		p = "AWSLogs/aws-account-id=" + account + "/"
	}
	if keyPrefix != "" {
		p = keyPrefix + "/" + p
	}
	return p
}

// AllowFlowLogDelivery writes the bucket policy statements that let VPC Flow Logs of this account
// and region deliver under keyPrefix, always explicitly: if a bucket has no policy when a flow log
// is created, AWS attaches one itself and overwrites whatever policy is there
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html), which would
// race with CloudFormation's. It returns what a flow log must depend on, or nil when the bucket is
// imported and its owner has to add the statements (a warning says so).
//
// The s3:x-amz-acl=bucket-owner-full-control condition stays even though our buckets disable ACLs
// (BucketOwnerEnforced): it is part of the policy AWS documents and attaches itself, log delivery
// sends that canned ACL, and a BucketOwnerEnforced bucket accepts PUTs that specify
// bucket-owner-full-control (https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html).
func AllowFlowLogDelivery(bucket awss3.IBucket, keyPrefix string, hive bool) constructs.IDependable {
	stack := awscdk.Stack_Of(bucket)
	keyPrefix = strings.Trim(keyPrefix, "/")
	// A child construct per prefix marks statements already written, so that two flow logs with the
	// same prefix share them and Sids stay unique.
	marker := "FlowLogDelivery:" + strings.ReplaceAll(DeliveryObjectPrefix(keyPrefix, "", hive), "/", "|")
	node := bucket.Node()
	first := true
	for _, c := range *node.Children() {
		if strings.HasPrefix(*c.Node().Id(), "FlowLogDelivery:") {
			first = false
			if *c.Node().Id() == marker {
				return policyOf(bucket) // statements for this prefix are already there
			}
		}
	}
	sid := "AWSLogDeliveryWrite"
	if !first {
		sid += fmt.Sprintf("%d", countMarkers(node)+1)
	}
	objects := DeliveryObjectPrefix(keyPrefix, *stack.Account(), hive) + "*"
	conds := sourceConditions(stack)
	writeConds := map[string]interface{}{
		"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account(), "s3:x-amz-acl": "bucket-owner-full-control"},
		"ArnLike":      (*conds)["ArnLike"],
	}
	res := bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(DeliveryPrincipal), nil)},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*bucket.ArnForObjects(jsii.String(objects))),
		Conditions: &writeConds,
	}))
	if res.StatementAdded == nil || !*res.StatementAdded {
		awscdk.Annotations_Of(bucket).AddWarningV2(jsii.String("@vpc-flow-logs/logbucket:importedBucket"), jsii.String(
			"this bucket is imported, so its policy cannot be changed here: add the AWSLogDeliveryWrite and "+
				"AWSLogDeliveryAclCheck statements from https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html "+
				"for objects "+DeliveryObjectPrefix(keyPrefix, "ACCOUNT", hive)+"* yourself"), nil)
		return nil
	}
	if first {
		bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:        jsii.String("AWSLogDeliveryAclCheck"),
			Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(DeliveryPrincipal), nil)},
			Actions:    jsii.Strings("s3:GetBucketAcl", "s3:ListBucket"),
			Resources:  jsii.Strings(*bucket.BucketArn()),
			Conditions: conds,
		}))
	}
	if scope, ok := bucket.(constructs.Construct); ok {
		constructs.NewConstruct(scope, jsii.String(marker))
	}
	return policyOf(bucket)
}

func countMarkers(node constructs.Node) int {
	n := 0
	for _, c := range *node.Children() {
		if strings.HasPrefix(*c.Node().Id(), "FlowLogDelivery:") {
			n++
		}
	}
	return n
}

func policyOf(bucket awss3.IBucket) constructs.IDependable {
	if p := bucket.Policy(); p != nil {
		return p
	}
	return nil
}
