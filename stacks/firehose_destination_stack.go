package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
)

// FirehoseDestinationStackProps configures the destination account's side of cross-account
// Firehose delivery.
type FirehoseDestinationStackProps struct {
	awscdk.StackProps

	// The account whose flow logs are delivered. Required.
	SourceAccount string

	// The source account's role name (FirehoseDestination.SourceRoleName there).
	//
	// Default: - DefaultFirehoseSourceRoleName("VpcFlowLogs", this stack's Region), the source
	// app's default for its default stack name.
	SourceRoleName string

	// The stream's name: the source account's app names the stream by ARN, so it is fixed.
	//
	// Default: - FirehoseDestinationStreamName(SourceAccount, SourceRoleName).
	DeliveryStreamName string

	// Props for the bucket the stream writes to.
	//
	// Default: - logbucket's defaults.
	BucketProps *logbucket.LogBucketProps
}

// FirehoseDestinationStack is deployed in the account that receives another account's flow logs:
// a Direct PUT stream to a hardened bucket, and the AWSLogDeliveryFirehoseCrossAccountRole-… role
// the source account's role assumes, named for that source account and role
// (flowlogs.CrossAccountRoleName), so that one account can receive from many. The stream's name is
// fixed too (FirehoseDestinationStreamName), so the source account's app can write both ARNs
// before this stack exists; its outputs repeat them (firehoseStreamArn,
// firehoseCrossAccountRoleArn). Deploy it before the source account's stack: the flow log there
// is created against this stream and role. The role itself does not need the source role to exist
// (it trusts the source account narrowed to the source role by aws:PrincipalArn).
type FirehoseDestinationStack interface {
	awscdk.Stack
	// Stream is the delivery stream (child ID "Stream").
	Stream() logstream.LogDeliveryStream
	// CrossAccountRole is the destination-account role (child ID "CrossAccountRole").
	CrossAccountRole() flowlogs.CrossAccountDeliveryRole
}

type firehoseDestinationStack struct {
	awscdk.Stack
	stream logstream.LogDeliveryStream
	role   flowlogs.CrossAccountDeliveryRole
}

func (s *firehoseDestinationStack) Stream() logstream.LogDeliveryStream { return s.stream }
func (s *firehoseDestinationStack) CrossAccountRole() flowlogs.CrossAccountDeliveryRole {
	return s.role
}

// NewFirehoseDestinationStack builds the stack; it panics with a message naming the prop when a
// prop is invalid.
func NewFirehoseDestinationStack(scope constructs.Construct, id *string, props *FirehoseDestinationStackProps) FirehoseDestinationStack {
	var p FirehoseDestinationStackProps
	if props != nil {
		p = *props
	}
	if p.SourceRoleName == "" {
		region := ""
		if p.Env != nil && p.Env.Region != nil {
			region = *p.Env.Region
		}
		p.SourceRoleName = DefaultFirehoseSourceRoleName(DefaultConfig().StackName, region)
	}
	if p.DeliveryStreamName == "" {
		p.DeliveryStreamName = FirehoseDestinationStreamName(p.SourceAccount, p.SourceRoleName)
	}
	if p.Description == nil {
		p.Description = jsii.String("Firehose stream and cross-account role receiving another account's VPC flow logs (vpc-flow-logs)")
	}
	stack := &firehoseDestinationStack{}
	awscdk.NewStack_Override(stack, scope, id, &p.StackProps)
	stream := logstream.NewLogDeliveryStream(stack, jsii.String("Stream"), &logstream.LogDeliveryStreamProps{
		BucketProps: p.BucketProps, DeliveryStreamName: jsii.String(p.DeliveryStreamName)})
	role := flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("CrossAccountRole"), &flowlogs.CrossAccountDeliveryRoleProps{
		SourceAccount:      jsii.String(p.SourceAccount),
		SourceRoleName:     jsii.String(p.SourceRoleName),
		DeliveryStreamArns: &[]*string{stream.DeliveryStreamArn()},
	})
	awscdk.NewCfnOutput(stack, jsii.String("DeliveryStreamArn"), &awscdk.CfnOutputProps{
		Value:       stream.DeliveryStreamArn(),
		Description: jsii.String("firehoseStreamArn for the source account's app"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("CrossAccountRoleArn"), &awscdk.CfnOutputProps{
		Value:       role.Role().RoleArn(),
		Description: jsii.String("firehoseCrossAccountRoleArn for the source account's app"),
	})
	stack.stream, stack.role = stream, role
	return stack
}

// NewFirehoseDestination adds the FirehoseDestinationStack that cfg asks for
// (firehoseDestinationFor), named after the stack with "FirehoseDestination" appended and checked
// by the four cdk-nag packs, as the app does.
func NewFirehoseDestination(scope constructs.Construct, cfg Config) FirehoseDestinationStack {
	// The source app's role name for the same stackName and region (or firehoseSourceRoleName).
	name := cfg.sourceRoleName()
	d := NewFirehoseDestinationStack(scope, jsii.String(cfg.StackName+"FirehoseDestination"), &FirehoseDestinationStackProps{
		SourceAccount:  cfg.FirehoseDestinationFor,
		SourceRoleName: name,
		BucketProps:    &logbucket.LogBucketProps{RemovalPolicy: cfg.RemovalPolicy},
	})
	ApplyNagPacks(d, FirehoseDestinationSuppressions(cfg))
	return d
}
