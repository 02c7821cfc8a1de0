// Package stacks holds the app's stack: the seed scenario of a new VPC with flow logs to
// CloudWatch Logs and S3, configured from CDK context.
package stacks

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
)

// VpcFlowLogsStackProps configures the stack.
type VpcFlowLogsStackProps struct {
	awscdk.StackProps
	// Config is the app configuration.
	//
	// Default: - DefaultConfig().
	Config *Config
}

// VpcFlowLogsStack is the seed scenario's stack.
type VpcFlowLogsStack interface {
	awscdk.Stack
	// Network is the VPC the stack creates (child ID "Network"); nil with an existing VPC (vpcId).
	Network() network.Network
	// Vpc is the VPC whose traffic is logged: the Network's, or the existing one (child ID "Vpc").
	Vpc() awsec2.IVpc
	// FlowLogs are the VPC's flow logs (child ID "FlowLogs").
	FlowLogs() flowlogs.FlowLogs
	// Config is the configuration the stack was built from.
	Config() Config
	// Analytics are the flow logs' analytics (stacks/analytics.go).
	Analytics() Analytics
}

type vpcFlowLogsStack struct {
	awscdk.Stack
	vpc       awsec2.IVpc
	network   network.Network
	flowLogs  flowlogs.FlowLogs
	config    Config
	analytics Analytics
}

func (s *vpcFlowLogsStack) Network() network.Network    { return s.network }
func (s *vpcFlowLogsStack) Vpc() awsec2.IVpc            { return s.vpc }
func (s *vpcFlowLogsStack) FlowLogs() flowlogs.FlowLogs { return s.flowLogs }
func (s *vpcFlowLogsStack) Config() Config              { return s.config }
func (s *vpcFlowLogsStack) Analytics() Analytics        { return s.analytics }

// NewVpcFlowLogsStack builds the stack. When props.Env is nil and the config names an account or
// region, they become the stack's environment; otherwise the stack is environment-agnostic.
func NewVpcFlowLogsStack(scope constructs.Construct, id *string, props *VpcFlowLogsStackProps) VpcFlowLogsStack {
	var sprops awscdk.StackProps
	cfg := DefaultConfig()
	if props != nil {
		sprops = props.StackProps
		if props.Config != nil {
			cfg = *props.Config
		}
	}
	if sprops.Env == nil && (cfg.Account != "" || cfg.Region != "") {
		sprops.Env = &awscdk.Environment{}
		if cfg.Account != "" {
			sprops.Env.Account = jsii.String(cfg.Account)
		}
		if cfg.Region != "" {
			sprops.Env.Region = jsii.String(cfg.Region)
		}
	}
	if sprops.Description == nil {
		sprops.Description = jsii.String("VPC with VPC Flow Logs to CloudWatch Logs and/or S3, hardened (vpc-flow-logs)")
	}
	stack := &vpcFlowLogsStack{config: cfg}
	awscdk.NewStack_Override(stack, scope, id, &sprops)

	net, vpc := vpcOf(stack, cfg)

	groupProps := &loggroup.FlowLogGroupProps{RetentionDays: jsii.Number(cfg.RetentionDays), RemovalPolicy: cfg.RemovalPolicy}
	bucketProps := &logbucket.LogBucketProps{RemovalPolicy: cfg.RemovalPolicy}
	if cfg.Hardened {
		// One key for both destinations: they hold the same records, and each key costs money.
		key := awskms.NewKey(stack, jsii.String("LogsKey"), &awskms.KeyProps{
			Description:       jsii.String("Encrypts VPC flow logs in CloudWatch Logs and S3"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     cfg.RemovalPolicy,
		})
		// Only AWS services may create grants on the key, on behalf of the resources it
		// encrypts (AWS Control Tower control CT.KMS.PR.3): the statement the analytics keys get too.
		flowlogalarms.DenyGrantsExceptForAWSResources(key)
		groupProps.EncryptionKey = key
		bucketProps.EncryptionKey = key
		bucketProps.Versioned = jsii.Bool(true)
		bucketProps.ObjectLock = jsii.Bool(true)
		bucketProps.EventBridge = jsii.Bool(true)
	}
	var dests []flowlogs.Destination
	if slices.Contains(cfg.Destinations, DestinationCloudWatchLogs) {
		dests = append(dests, &flowlogs.CloudWatchLogsDestination{LogGroupProps: groupProps})
	}
	if slices.Contains(cfg.Destinations, DestinationS3) {
		dests = append(dests, &flowlogs.S3Destination{
			BucketProps:              bucketProps,
			KeyPrefix:                jsii.String(cfg.S3KeyPrefix),
			FileFormat:               jsii.String(cfg.S3FileFormat),
			HiveCompatiblePartitions: jsii.Bool(cfg.S3HiveCompatiblePartitions),
			PerHourPartition:         jsii.Bool(cfg.S3PerHourPartition),
		})
	}
	if slices.Contains(cfg.Destinations, DestinationFirehose) {
		dests = append(dests, firehoseDestination(cfg, bucketProps))
	}
	format := cfg.LogFormat
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc:                    vpc,
		Destinations:           dests,
		TrafficType:            jsii.String(cfg.TrafficType),
		MaxAggregationInterval: jsii.Number(cfg.MaxAggregationInterval),
		LogFormat:              &format,
		TagFields:              cfg.TagFields,
		ECSPermissionsRole:     ecsPermissionsRole(stack, cfg),
		ECSPermissionsGranted:  jsii.Bool(cfg.ECSPermissionsGranted),
		Name:                   jsii.String(*stack.StackName() + "-vpc"),
	})

	keys := make([]string, 0, len(cfg.Tags))
	for k := range cfg.Tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(cfg.Tags[k]), nil)
	}
	stack.network, stack.vpc, stack.flowLogs = net, vpc, fl
	stack.analytics = addAnalytics(stack, cfg, fl)
	return stack
}
