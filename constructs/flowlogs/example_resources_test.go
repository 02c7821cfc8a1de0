package flowlogs_test

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Log a VPC you already have. Vpc_FromLookup needs the stack's account and Region; `cdk synth`
// looks the VPC up once and caches the answer in cdk.context.json (given inline here, so the
// example makes no AWS call).
func ExampleFromVpc_existingVpc() {
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{
		"vpc-provider:account=111111111111:filter.vpc-id=vpc-0a1b2c3d4e5f67890:region=eu-west-1:returnAsymmetricSubnets=true": map[string]any{
			"vpcId": "vpc-0a1b2c3d4e5f67890", "vpcCidrBlock": "10.20.0.0/16", "availabilityZones": []any{}, "subnetGroups": []any{},
		},
	}})
	stack := awscdk.NewStack(app, jsii.String("Workload"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	vpc := awsec2.Vpc_FromLookup(stack, jsii.String("Vpc"), &awsec2.VpcLookupOptions{VpcId: jsii.String("vpc-0a1b2c3d4e5f67890")})
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Resource:     flowlogs.FromVpc(vpc),
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}},
	})
	f := fl.FlowLogs()[0]
	fmt.Println(*f.ResourceType(), *f.ResourceId())
	// Output: VPC vpc-0a1b2c3d4e5f67890
}

// Log a transit gateway's traffic, with the fields that show where packets were dropped.
// Transit gateway flow logs always aggregate over 60 seconds and take no traffic type.
func ExampleFromTransitGatewayId() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Hub"), nil)
	drops, err := flowlog.ParseTransitGatewayFormat("${tgw-id} ${tgw-attachment-id} ${srcaddr} ${dstaddr} " +
		"${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired}")
	if err != nil {
		panic(err)
	}
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Resource:                flowlogs.FromTransitGatewayId(jsii.String("tgw-0123456789abcdef0")),
		TransitGatewayLogFormat: &drops,
		Destinations:            []flowlogs.Destination{&flowlogs.CloudWatchLogsDestination{}},
	})
	f := fl.FlowLogs()[0]
	fmt.Println(*f.ResourceType(), *f.MaxAggregationInterval(), f.TrafficType() == nil)
	fmt.Println(fl.LogFormats()[0])
	// Output:
	// TransitGateway 60 true
	// ${tgw-id} ${tgw-attachment-id} ${srcaddr} ${dstaddr} ${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired}
}

// Deliver one account's flow logs to a Firehose stream in another: the destination account
// deploys the stream and the AWSLogDeliveryFirehoseCrossAccountRole… role, which trusts the
// source account's role by name; the source account's flow log names both roles. Both sides
// derive the destination role's name from the source account and source role's name. Deploy
// the archive stack first: the workload's flow log is created against its stream and role.
func ExampleFirehoseDestination_crossAccount() {
	app := awscdk.NewApp(nil)

	// In the log-archive account 222222222222.
	archive := awscdk.NewStack(app, jsii.String("FlowLogArchive"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")},
	})
	stream := logstream.NewLogDeliveryStream(archive, jsii.String("Stream"), &logstream.LogDeliveryStreamProps{
		DeliveryStreamName: jsii.String("central-flow-logs"),
	})
	dest := flowlogs.NewCrossAccountDeliveryRole(archive, jsii.String("CrossAccountRole"), &flowlogs.CrossAccountDeliveryRoleProps{
		SourceAccount:      jsii.String("111111111111"),
		SourceRoleName:     jsii.String("VpcFlowLogsFirehoseSource"),
		DeliveryStreamArns: &[]*string{stream.DeliveryStreamArn()},
	})

	// In the workload account 111111111111.
	workload := awscdk.NewStack(app, jsii.String("Workload"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	vpc := awsec2.Vpc_FromVpcAttributes(workload, jsii.String("Vpc"), &awsec2.VpcAttributes{
		VpcId: jsii.String("vpc-0a1b2c3d4e5f67890"), AvailabilityZones: jsii.Strings("eu-west-1a"),
	})
	fl := flowlogs.NewFlowLogs(workload, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc: vpc,
		Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{
			DeliveryStreamArn:   jsii.String("arn:aws:firehose:eu-west-1:222222222222:deliverystream/central-flow-logs"),
			CrossAccountRoleArn: jsii.String(flowlogs.CrossAccountRoleArn("222222222222", "111111111111", "VpcFlowLogsFirehoseSource")),
			SourceRoleName:      jsii.String("VpcFlowLogsFirehoseSource"),
		}},
	})
	f := fl.FlowLogs()[0]
	fmt.Println(*dest.Role().Node().DefaultChild().(awsiam.CfnRole).RoleName())
	fmt.Println(*f.LogDestinationType())
	role, _ := json.Marshal(workload.Resolve(f.DeliverCrossAccountRole()))
	fmt.Println(string(role))
	fmt.Println(*fl.Roles()[0].Node().Path())
	// Output:
	// AWSLogDeliveryFirehoseCrossAccountRole-111111111111-65acd3fc
	// kinesis-data-firehose
	// {"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole-111111111111-65acd3fc"]]}
	// Workload/FlowLogs/Firehose/SourceRole
}
