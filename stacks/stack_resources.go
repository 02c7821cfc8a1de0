package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
)

// vpcOf is the VPC the stack logs: the existing one cfg.VpcID names, found with Vpc.fromLookup
// (child ID "Vpc"; the CLI caches the answer in cdk.context.json, and tests give it as context),
// or a new Network.
func vpcOf(stack awscdk.Stack, cfg Config) (network.Network, awsec2.IVpc) {
	if cfg.VpcID != "" {
		return nil, awsec2.Vpc_FromLookup(stack, jsii.String("Vpc"), &awsec2.VpcLookupOptions{VpcId: jsii.String(cfg.VpcID)})
	}
	net := network.NewNetwork(stack, jsii.String("Network"), &network.NetworkProps{
		Cidr:        jsii.String(cfg.VpcCidr),
		MaxAzs:      jsii.Number(cfg.MaxAzs),
		NatGateways: jsii.Number(cfg.NatGateways),
	})
	return net, net.Vpc()
}

// firehoseDestination is the firehose destination of the config: a given stream (in this account
// or, with a cross-account role, another), or a stream created here that writes to a bucket with
// the flow-log bucket's settings.
func firehoseDestination(cfg Config, bucketProps *logbucket.LogBucketProps) flowlogs.Destination {
	d := &flowlogs.FirehoseDestination{}
	if cfg.FirehoseStreamArn == "" {
		d.StreamProps = &logstream.LogDeliveryStreamProps{BucketProps: bucketProps}
		return d
	}
	d.DeliveryStreamArn = jsii.String(cfg.FirehoseStreamArn)
	if arn := cfg.CrossAccountRoleArn(); arn != "" {
		d.CrossAccountRoleArn = jsii.String(arn)
		d.SourceRoleName = jsii.String(cfg.sourceRoleName())
	}
	return d
}

// ecsPermissionsRole is the deploying role cfg names for ECS fields, or nil.
func ecsPermissionsRole(stack awscdk.Stack, cfg Config) awsiam.IRole {
	if cfg.ECSPermissionsRoleArn == "" {
		return nil
	}
	return awsiam.Role_FromRoleArn(stack, jsii.String("ECSPermissionsRole"), jsii.String(cfg.ECSPermissionsRoleArn), nil)
}
