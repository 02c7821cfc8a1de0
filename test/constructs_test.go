package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/deliveryrole"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
)

// newStack is an empty stack in an app with cdk.json's context, for testing constructs alone.
func newStack(t *testing.T) awscdk.Stack { return newStackWith(t, nil) }

func newStackWith(t *testing.T, context map[string]any) awscdk.Stack {
	t.Helper()
	ctx, err := cdktest.Context(context)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	return awscdk.NewStack(app, jsii.String("Test"), nil)
}

func TestConstructPropsAreValidated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(stack awscdk.Stack)
		want  []string
	}{
		{"flow logs without destinations", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc()})
		}, []string{"flowlogs: Destinations is empty"}},
		{"flow logs without a VPC", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}})
		}, []string{"flowlogs: Vpc is nil"}},
		{"interval 300", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc(), MaxAggregationInterval: jsii.Number(300),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}})
		}, []string{"flowlogs: MaxAggregationInterval 300", "60 or 600"}},
		{"traffic type", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc(), TrafficType: jsii.String("DENY"),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}})
		}, []string{"flowlogs: TrafficType", `"DENY"`, "ALL, ACCEPT or REJECT"}},
		{"two destinations with one Id", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc:          network.NewNetwork(s, jsii.String("N"), nil).Vpc(),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.S3Destination{}}})
		}, []string{"Destinations[1]", `"S3"`, "its own Id"}},
		{"empty log format", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc(), LogFormat: &flowlog.Format{},
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}})
		}, []string{"flowlogs: LogFormat is empty"}},
		{"reserved key prefix", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc:          network.NewNetwork(s, jsii.String("N"), nil).Vpc(),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{KeyPrefix: jsii.String("AWSLogs/x")}}})
		}, []string{"S3Destination.KeyPrefix", `"AWSLogs/x"`, "reserves"}},
		{"file format", func(s awscdk.Stack) {
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{
				Vpc:          network.NewNetwork(s, jsii.String("N"), nil).Vpc(),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{FileFormat: jsii.String("json")}}})
		}, []string{"S3Destination.FileFormat", `"json"`, "plain-text or parquet"}},
		{"log group retention", func(s awscdk.Stack) {
			loggroup.NewFlowLogGroup(s, jsii.String("G"), &loggroup.FlowLogGroupProps{RetentionDays: jsii.Number(10)})
		}, []string{"loggroup: RetentionDays 10", "7, 14, 30"}},
		{"log group class", func(s awscdk.Stack) {
			loggroup.NewFlowLogGroup(s, jsii.String("G"), &loggroup.FlowLogGroupProps{LogGroupClass: "DELIVERY"})
		}, []string{"loggroup: LogGroupClass", `"DELIVERY"`, "STANDARD or INFREQUENT_ACCESS"}},
		{"role without log group", func(s awscdk.Stack) {
			deliveryrole.NewDeliveryRole(s, jsii.String("R"), nil)
		}, []string{"deliveryrole: LogGroup is nil"}},
		{"role path", func(s awscdk.Stack) {
			deliveryrole.NewDeliveryRole(s, jsii.String("R"), &deliveryrole.DeliveryRoleProps{
				LogGroup: loggroup.NewFlowLogGroup(s, jsii.String("G"), nil).LogGroup(), Path: jsii.String("flow-logs")})
		}, []string{"deliveryrole: Path", `"flow-logs"`, `starts and ends with "/"`}},
		{"role name", func(s awscdk.Stack) {
			deliveryrole.NewDeliveryRole(s, jsii.String("R"), &deliveryrole.DeliveryRoleProps{
				LogGroup: loggroup.NewFlowLogGroup(s, jsii.String("G"), nil).LogGroup(), RoleName: jsii.String("flow logs")})
		}, []string{"deliveryrole: RoleName", `"flow logs"`}},
		{"Standard-IA too early", func(s awscdk.Stack) {
			logbucket.NewLogBucket(s, jsii.String("B"), &logbucket.LogBucketProps{TransitionToInfrequentAccessAfterDays: jsii.Number(7)})
		}, []string{"logbucket: TransitionToInfrequentAccessAfterDays 7", "30 days"}},
		{"Glacier too soon after Standard-IA", func(s awscdk.Stack) {
			logbucket.NewLogBucket(s, jsii.String("B"), &logbucket.LogBucketProps{TransitionToGlacierAfterDays: jsii.Number(45)})
		}, []string{"logbucket: TransitionToGlacierAfterDays 45", "60 or more"}},
		{"expiry before transitions", func(s awscdk.Stack) {
			logbucket.NewLogBucket(s, jsii.String("B"), &logbucket.LogBucketProps{ExpireAfterDays: jsii.Number(60)})
		}, []string{"logbucket: ExpireAfterDays 60", "after the transitions"}},
		{"VPC CIDR", func(s awscdk.Stack) {
			network.NewNetwork(s, jsii.String("N"), &network.NetworkProps{Cidr: jsii.String("10.0.0.1/16")})
		}, []string{"network: Cidr", "host bits", "10.0.0.0/16"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			wantAll(t, mustPanic(t, func() { tc.build(stack) }), tc.want...)
		})
	}
}

// TestCallerPropsAreNotMutated: defaults go into a copy, never into the caller's struct.
func TestCallerPropsAreNotMutated(t *testing.T) {
	stack := newStack(t)
	np := &network.NetworkProps{}
	n := network.NewNetwork(stack, jsii.String("N"), np)
	gp := &loggroup.FlowLogGroupProps{}
	loggroup.NewFlowLogGroup(stack, jsii.String("G"), gp)
	bp := &logbucket.LogBucketProps{}
	logbucket.NewLogBucket(stack, jsii.String("B"), bp)
	fp := &flowlogs.FlowLogsProps{Vpc: n.Vpc(), Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}}
	flowlogs.NewFlowLogs(stack, jsii.String("F"), fp)
	if *np != (network.NetworkProps{}) || *gp != (loggroup.FlowLogGroupProps{}) || *bp != (logbucket.LogBucketProps{}) ||
		fp.TrafficType != nil || fp.MaxAggregationInterval != nil || fp.LogFormat != nil {
		t.Errorf("props were mutated: %+v %+v %+v %+v", np, gp, bp, fp)
	}
}

// TestBringYourOwnResources: given a log group, role and bucket, the construct uses them and
// creates none of its own, and still writes the bucket policy the flow log needs.
func TestBringYourOwnResources(t *testing.T) {
	// Four flow logs on one VPC, with a limit of four set for this app.
	stack := newStackWith(t, map[string]any{flowlogs.MaxFlowLogsPerResourceContextKey: 4.0})
	vpc := network.NewNetwork(stack, jsii.String("N"), nil).Vpc()
	lg := loggroup.NewFlowLogGroup(stack, jsii.String("MyGroup"), &loggroup.FlowLogGroupProps{RetentionDays: jsii.Number(90)})
	role := deliveryrole.NewDeliveryRole(stack, jsii.String("MyRole"), &deliveryrole.DeliveryRoleProps{
		LogGroup: lg.LogGroup(), RoleName: jsii.String("flow-logs-delivery"), Path: jsii.String("/network/"),
		PermissionsBoundary: awsiam.ManagedPolicy_FromManagedPolicyName(stack, jsii.String("Boundary"), jsii.String("boundary")),
	})
	bucket := logbucket.NewLogBucket(stack, jsii.String("MyBucket"), nil)
	fl := flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
		Vpc: vpc,
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{LogGroup: lg.LogGroup(), Role: role.Role()},
			&flowlogs.S3Destination{Bucket: bucket.Bucket(), KeyPrefix: jsii.String("/a/"), Id: jsii.String("A")},
			&flowlogs.S3Destination{Bucket: bucket.Bucket(), KeyPrefix: jsii.String("b"), Id: jsii.String("B"), HiveCompatiblePartitions: jsii.Bool(true)},
			&flowlogs.S3Destination{Bucket: bucket.Bucket(), KeyPrefix: jsii.String("a"), Id: jsii.String("A2"), FileFormat: jsii.String("parquet")},
		},
	})
	if len(fl.FlowLogs()) != 4 || len(fl.LogGroups()) != 1 || len(fl.Roles()) != 1 || len(fl.Buckets()) != 3 {
		t.Fatalf("accessors: %d flow logs, %d log groups, %d roles, %d buckets", len(fl.FlowLogs()), len(fl.LogGroups()), len(fl.Roles()), len(fl.Buckets()))
	}
	tpl := assertions.Template_FromStack(stack, nil)
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::Logs::LogGroup"), jsii.Number(1)) })
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::IAM::Role"), jsii.Number(2)) }) // ours + the default-SG custom resource's
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(2)) })
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::EC2::FlowLog"), jsii.Number(4)) })
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			"RoleName": "flow-logs-delivery", "Path": "/network/",
			"PermissionsBoundary": map[string]any{"Fn::Join": assertions.Match_AnyValue()},
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 90})
	})
	// Prefixes "a" (twice) and "b": two write statements with distinct Sids, one ACL check.
	policy := resourcesOf(tpl, "AWS::S3::BucketPolicy")
	sids := map[string]int{}
	for _, p := range policy {
		for _, st := range p["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			if sid, ok := st.(map[string]any)["Sid"].(string); ok {
				sids[sid]++
			}
		}
	}
	if sids["AWSLogDeliveryWrite"] != 1 || sids["AWSLogDeliveryWrite2"] != 1 || sids["AWSLogDeliveryAclCheck"] != 1 || len(sids) != 3 {
		t.Errorf("bucket policy Sids = %v, want AWSLogDeliveryWrite, AWSLogDeliveryWrite2, AWSLogDeliveryAclCheck once each", sids)
	}
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Sid": "AWSLogDeliveryWrite2",
				"Resource": map[string]any{"Fn::Join": []any{"", []any{
					map[string]any{"Fn::GetAtt": []any{assertions.Match_AnyValue(), "Arn"}},
					"/b/AWSLogs/aws-account-id=", map[string]any{"Ref": "AWS::AccountId"}, "/*"}}},
			})})},
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"LogDestination": map[string]any{"Fn::Join": []any{"", []any{
				map[string]any{"Fn::GetAtt": []any{assertions.Match_AnyValue(), "Arn"}}, "/a/"}}},
			"DestinationOptions": map[string]any{"FileFormat": "parquet", "HiveCompatiblePartitions": false, "PerHourPartition": false},
		})
	})
}

// TestImportedBucketGetsAWarningNotAPolicy: an imported bucket's policy cannot be written from
// here, so the construct warns with the statements to add, and in strict mode (cdk.json) synth
// stops until the owner acknowledges the warning.
func TestImportedBucketGetsAWarningNotAPolicy(t *testing.T) {
	build := func(stack awscdk.Stack) awss3.IBucket {
		vpc := awsec2.Vpc_FromVpcAttributes(stack, jsii.String("Vpc"), &awsec2.VpcAttributes{
			VpcId: jsii.String("vpc-0123456789abcdef0"), AvailabilityZones: jsii.Strings("eu-west-1a")})
		bucket := awss3.Bucket_FromBucketName(stack, jsii.String("Central"), jsii.String("central-flow-logs"))
		flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
			Vpc: vpc, Destinations: []flowlogs.Destination{&flowlogs.S3Destination{Bucket: bucket, KeyPrefix: jsii.String("vpc")}}})
		return bucket
	}
	t.Run("strict synth stops", func(t *testing.T) {
		stack := newStack(t)
		build(stack)
		wantAll(t, mustPanic(t, func() { assertions.Template_FromStack(stack, nil) }), "ValidationFailed")
	})
	t.Run("warning says what to add", func(t *testing.T) {
		stack := newStackWith(t, map[string]any{"@aws-cdk/core:strictCfnValidateErrors": false})
		build(stack)
		warnings := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String("imported.*AWSLogDeliveryWrite.*vpc/AWSLogs/ACCOUNT/\\*")))
		if len(*warnings) != 1 {
			t.Errorf("want one warning telling the owner which statements to add, got %d", len(*warnings))
		}
	})
	t.Run("acknowledged", func(t *testing.T) {
		stack := newStack(t)
		bucket := build(stack)
		awscdk.Annotations_Of(bucket).AcknowledgeWarning(jsii.String("@vpc-flow-logs/logbucket:importedBucket"), jsii.String("central bucket policy managed by the log-archive account"))
		tpl := assertions.Template_FromStack(stack, nil)
		check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::S3::BucketPolicy"), jsii.Number(0)) })
		check(t, func() {
			tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{"ResourceId": "vpc-0123456789abcdef0"})
		})
	})
}

// TestKMSKeysGetTheStatementsDeliveryNeeds: with customer managed keys, CloudWatch Logs and log
// delivery are allowed to use them, each limited to this account's logs.
func TestKMSKeysGetTheStatementsDeliveryNeeds(t *testing.T) {
	stack := newStack(t)
	key := awskms.NewKey(stack, jsii.String("Key"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
	flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
		Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(),
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{LogGroupProps: &loggroup.FlowLogGroupProps{EncryptionKey: key}},
			&flowlogs.S3Destination{BucketProps: &logbucket.LogBucketProps{EncryptionKey: key}},
		},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
			"KeyPolicy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
				assertions.Match_ObjectLike(&map[string]any{
					"Sid":       "AllowCloudWatchLogsFlowLogGroups",
					"Principal": map[string]any{"Service": map[string]any{"Fn::Join": assertions.Match_AnyValue()}},
					"Condition": map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": assertions.Match_AnyValue()}},
				}),
				assertions.Match_ObjectLike(&map[string]any{
					"Sid":       "AllowLogsDeliveryToUseTheKey",
					"Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}},
						"ArnLike": assertions.Match_AnyValue()},
				}),
			})},
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{
			"KmsKeyId": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^Key")), "Arn"}}})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
				"BucketKeyEnabled": true,
				"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms",
					"KMSMasterKeyID": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^Key")), "Arn"}}},
			}}},
		})
	})
}

func resourcesOf(tpl assertions.Template, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range *tpl.FindResources(jsii.String(typ), nil) {
		out[id] = *r
	}
	return out
}
