package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// TestInvalidCombinationsAreRejected: every combination AWS rejects, or that cannot work, stops
// synth with this exact message, naming the prop, the value and what is allowed.
func TestInvalidCombinationsAreRejected(t *testing.T) {
	tgw := func() *flowlogs.Resource { return flowlogs.FromTransitGatewayId(jsii.String("tgw-0123456789abcdef0")) }
	s3 := func() []flowlogs.Destination { return []flowlogs.Destination{&flowlogs.S3Destination{}} }
	vpcOf := func(s awscdk.Stack) *flowlogs.Resource {
		return flowlogs.FromVpc(network.NewNetwork(s, jsii.String("N"), nil).Vpc())
	}
	fh := func(d *flowlogs.FirehoseDestination) []flowlogs.Destination { return []flowlogs.Destination{d} }
	stream := "arn:aws:firehose:eu-west-1:222222222222:deliverystream/central"
	for _, tc := range []struct {
		name  string
		props func(s awscdk.Stack) *flowlogs.FlowLogsProps
		want  string
	}{
		{"Vpc and Resource", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc(), Resource: tgw(), Destinations: s3()}
		}, "flowlogs: both Vpc and Resource are given; give one (Vpc is short for Resource: FromVpc(vpc))"},
		{"subnet ID of the wrong kind", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromNetworkInterfaceId(jsii.String("subnet-0123")), Destinations: s3()}
		}, `flowlogs: Resource NetworkInterface ID "subnet-0123" is not allowed; a NetworkInterface ID is "eni-" followed by 8 or 17 lowercase hex digits, e.g. eni-0123456789abcdef0`},
		{"attachment without an ID", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromTransitGatewayAttachmentId(nil), Destinations: s3()}
		}, "flowlogs: Resource is a TransitGatewayAttachment without an ID; give the TransitGatewayAttachment (or its ID)"},
		{"transit gateway with a traffic type", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: tgw(), TrafficType: jsii.String("ALL"), Destinations: s3()}
		}, `flowlogs: TrafficType "ALL" is not allowed on a TransitGateway flow log; EC2 rejects any traffic type for transit gateway resource types, so leave it nil`},
		{"attachment with a destination's traffic type", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromTransitGatewayAttachmentId(jsii.String("tgw-attach-0123456789abcdef0")),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.CloudWatchLogsDestination{
					FlowLogOptions: flowlogs.FlowLogOptions{TrafficType: jsii.String("REJECT")}}}}
		}, `flowlogs: Destinations[1].TrafficType "REJECT" is not allowed on a TransitGatewayAttachment flow log; EC2 rejects any traffic type for transit gateway resource types, so leave it nil`},
		{"transit gateway at 600 s", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: tgw(), MaxAggregationInterval: jsii.Number(600), Destinations: s3()}
		}, "flowlogs: MaxAggregationInterval 600 is not allowed on a TransitGateway flow log; transit gateway flow logs accept only 60 seconds"},
		{"transit gateway with VPC fields", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			f := flowlog.DefaultFormat()
			return &flowlogs.FlowLogsProps{Resource: tgw(), LogFormat: &f, Destinations: s3()}
		}, `flowlogs: LogFormat is not a transit gateway format (flowlog: format: unknown field "${interface-id}" at offset 2: a VPC flow-log field that transit gateway flow logs do not record); give TransitGatewayLogFormat, e.g. from flowlog.ParseTransitGatewayFormat`},
		{"VPC with transit gateway fields", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			f, err := flowlog.ParseFormat("${srcaddr} ${tgw-id} ${packets-lost-blackhole}")
			if err != nil {
				panic(err)
			}
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), LogFormat: &f, Destinations: s3()}
		}, "flowlogs: LogFormat has transit gateway fields (${tgw-id} ${packets-lost-blackhole}), which VPC flow logs do not record " +
			"(https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records); use VPC flow-log fields"},
		{"transit gateway with both formats", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			f, g := flowlog.MustFormat(flowlog.SrcAddr), flowlog.DefaultTransitGatewayFormat()
			return &flowlogs.FlowLogsProps{Resource: tgw(), LogFormat: &f, TransitGatewayLogFormat: &g, Destinations: s3()}
		}, "flowlogs: both LogFormat and TransitGatewayLogFormat apply to this TransitGateway flow log; give only TransitGatewayLogFormat"},
		{"transit gateway with tag fields", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: tgw(), TagFields: map[string][]string{"instance": {"Name"}}, Destinations: s3()}
		}, "flowlogs: TagFields is given for a TransitGateway flow log; tag fields are VPC flow-log fields that transit gateway flow logs do not record"},
		{"VPC with a transit gateway format", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			g := flowlog.DefaultTransitGatewayFormat()
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), TransitGatewayLogFormat: &g, Destinations: s3()}
		}, "flowlogs: TransitGatewayLogFormat is given for a VPC flow log; use LogFormat"},
		{"subnet with a destination's transit gateway format", func(awscdk.Stack) *flowlogs.FlowLogsProps {
			g := flowlog.DefaultTransitGatewayFormat()
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromNetworkInterfaceId(jsii.String("eni-0123456789abcdef0")),
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{FlowLogOptions: flowlogs.FlowLogOptions{TransitGatewayLogFormat: &g}}}}
		}, "flowlogs: Destinations[0].TransitGatewayLogFormat is given for a NetworkInterface flow log; use LogFormat"},
		{"a destination's interval", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: []flowlogs.Destination{
				&flowlogs.S3Destination{FlowLogOptions: flowlogs.FlowLogOptions{MaxAggregationInterval: jsii.Number(300)}}}}
		}, "flowlogs: Destinations[0].MaxAggregationInterval 300 is not allowed; use 60 or 600 (seconds): EC2 accepts no other value"},
		{"ECS fields without permissions", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			f := flowlog.MustFormat(flowlog.SrcAddr, flowlog.ECSTaskARN, flowlog.ECSServiceName)
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: []flowlogs.Destination{
				&flowlogs.S3Destination{FlowLogOptions: flowlogs.FlowLogOptions{LogFormat: &f}}}}
		}, "flowlogs: Destinations[0].LogFormat has ECS fields (${ecs-task-arn} ${ecs-service-name}), which AWS records only when whoever creates the flow log may call " +
			"ecs:ListClusters, ecs:ListServices, ecs:ListTasks (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); give ECSPermissionsRole (the role CloudFormation deploys with) " +
			"to have them granted, or set ECSPermissionsGranted if it already has them"},
		{"Firehose stream and ARN", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{
				DeliveryStream: logstream.NewLogDeliveryStream(s, jsii.String("S"), nil), DeliveryStreamArn: jsii.String(stream)})}
		}, "flowlogs: FirehoseDestination has both DeliveryStream and DeliveryStreamArn; give one"},
		{"Firehose stream props with a stream", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{
				DeliveryStreamArn: jsii.String(stream), StreamProps: &logstream.LogDeliveryStreamProps{}})}
		}, "flowlogs: FirehoseDestination.StreamProps is given with a stream; StreamProps configures the stream created when none is given"},
		{"Firehose cross-account role without a stream", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{CrossAccountRoleArn: jsii.String(crossRole)})}
		}, "flowlogs: FirehoseDestination.CrossAccountRoleArn is given without DeliveryStreamArn; give the ARN of the stream in the other account"},
		{"Firehose ARN of something else", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{
				DeliveryStreamArn: jsii.String("arn:aws:kinesis:eu-west-1:222222222222:stream/central")})}
		}, `flowlogs: FirehoseDestination.DeliveryStreamArn "arn:aws:kinesis:eu-west-1:222222222222:stream/central" is not allowed; use arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`},
		{"Firehose cross-account role with a bad name", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(stream),
				CrossAccountRoleArn: jsii.String("arn:aws:iam::222222222222:role/FlowLogsDelivery"), SourceRoleName: jsii.String("src")})}
		}, `flowlogs: FirehoseDestination.CrossAccountRoleArn names role "FlowLogsDelivery"; AWS requires the destination role's name to start with AWSLogDeliveryFirehoseCrossAccountRole (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html)`},
		{"Firehose cross-account role outside the stream's account", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(stream),
				CrossAccountRoleArn: jsii.String("arn:aws:iam::333333333333:role/AWSLogDeliveryFirehoseCrossAccountRole"), SourceRoleName: jsii.String("src")})}
		}, "flowlogs: FirehoseDestination.CrossAccountRoleArn is in account 333333333333 but the stream is in 222222222222; the role must be in the stream's account"},
		{"Firehose cross-account without a source role name", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(stream),
				CrossAccountRoleArn: jsii.String(crossRole)})}
		}, "flowlogs: FirehoseDestination.SourceRoleName is required for cross-account delivery without a SourceRole: the destination account's role trusts the source role by name"},
		{"Firehose source role in one account", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(stream),
				SourceRoleName: jsii.String("src")})}
		}, "flowlogs: FirehoseDestination.SourceRole/SourceRoleName are for cross-account delivery; set CrossAccountRoleArn too, or drop them"},
		{"typed nil destination", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			var nilS3 *flowlogs.S3Destination
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: []flowlogs.Destination{&flowlogs.CloudWatchLogsDestination{}, nilS3}}
		}, "flowlogs: Destinations[1] is a nil *flowlogs.S3Destination; give a destination such as &flowlogs.S3Destination{}"},
		{"transit gateway attachment ID as a transit gateway", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromTransitGatewayId(jsii.String("tgw-attach-0123")), Destinations: s3()}
		}, `flowlogs: Resource TransitGateway ID "tgw-attach-0123" is not allowed; a TransitGateway ID is "tgw-" followed by 8 or 17 lowercase hex digits, e.g. tgw-0123456789abcdef0`},
		{"network interface ID of another shape", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: flowlogs.FromNetworkInterfaceId(jsii.String("eni-!!")), Destinations: s3()}
		}, `flowlogs: Resource NetworkInterface ID "eni-!!" is not allowed; a NetworkInterface ID is "eni-" followed by 8 or 17 lowercase hex digits, e.g. eni-0123456789abcdef0`},
		{"Firehose stream ARN in an environment-agnostic stack", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(stream)})}
		}, "flowlogs: FirehoseDestination.DeliveryStreamArn is in account 222222222222, but this stack has no account (environment-agnostic), " +
			"so whether delivery crosses accounts cannot be checked; give the stack its account (StackProps.Env.Account), or CrossAccountRoleArn for a stream in another account"},
		{"Firehose stream construct across accounts", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Resource: vpcOf(s), Destinations: fh(&flowlogs.FirehoseDestination{
				DeliveryStream: logstream.NewLogDeliveryStream(s, jsii.String("S"), nil), CrossAccountRoleArn: jsii.String(crossRole)})}
		}, "flowlogs: FirehoseDestination.CrossAccountRoleArn is given without DeliveryStreamArn; give the ARN of the stream in the other account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			got := mustPanic(t, func() { flowlogs.NewFlowLogs(stack, jsii.String("F"), tc.props(stack)) })
			if got != tc.want {
				t.Errorf("message\n got  %s\n want %s", got, tc.want)
			}
		})
	}
}

// TestPerResourceLimitSetByTheApp: AWS documents no flow-log quota per resource any more, so the
// check runs only with a limit from context, counting every construct's flow logs on a resource.
func TestPerResourceLimitSetByTheApp(t *testing.T) {
	const limit = "@vpc-flow-logs/flowlogs:maxFlowLogsPerResource"
	for _, tc := range []struct {
		name  string
		props func(awscdk.Stack) *flowlogs.FlowLogsProps
		want  string
	}{
		{"three flow logs on one VPC", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			return &flowlogs.FlowLogsProps{Vpc: network.NewNetwork(s, jsii.String("N"), nil).Vpc(), Destinations: []flowlogs.Destination{&flowlogs.S3Destination{},
				&flowlogs.CloudWatchLogsDestination{}, &flowlogs.S3Destination{Id: jsii.String("Again")}}}
		}, "flowlogs: Destinations has 3 flow log(s) for VPC (the same VPC object); context " + limit + " allows at most 2 flow logs per VPC, subnet or network interface; " +
			"log the others on a subnet or network interface, or raise the limit"},
		{"a second construct on the same interface", func(s awscdk.Stack) *flowlogs.FlowLogsProps {
			eni := flowlogs.FromNetworkInterfaceId(jsii.String("eni-0123456789abcdef0"))
			flowlogs.NewFlowLogs(s, jsii.String("First"), &flowlogs.FlowLogsProps{Resource: eni,
				Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.CloudWatchLogsDestination{}}})
			return &flowlogs.FlowLogsProps{Resource: eni, Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}}
		}, "flowlogs: Destinations has 1 flow log(s) for NetworkInterface eni-0123456789abcdef0, which already has 2 in this app; context " + limit +
			" allows at most 2 flow logs per VPC, subnet or network interface; log the others on a subnet or network interface, or raise the limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStackWith(t, map[string]any{flowlogs.MaxFlowLogsPerResourceContextKey: 2.0})
			got := mustPanic(t, func() { flowlogs.NewFlowLogs(stack, jsii.String("F"), tc.props(stack)) })
			if got != tc.want {
				t.Errorf("message\n got  %s\n want %s", got, tc.want)
			}
		})
	}
	// A flow log added after NewFlowLogs counts too: synth checks the limit again.
	t.Run("a flow log added later with vpc.AddFlowLog", func(t *testing.T) {
		stack := newStackWith(t, map[string]any{flowlogs.MaxFlowLogsPerResourceContextKey: 2.0})
		vpc := network.NewNetwork(stack, jsii.String("N"), nil).Vpc()
		flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{Vpc: vpc,
			Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.CloudWatchLogsDestination{}}})
		vpc.AddFlowLog(jsii.String("Later"), nil)
		got := mustPanic(t, func() { stack.Node().Root().(awscdk.App).Synth(nil) })
		wantAll(t, got, "flowlogs: VPC (the same VPC object) has 3 flow logs in this app (counting those added after NewFlowLogs, e.g. by vpc.AddFlowLog); context "+limit+
			" allows at most 2 flow logs per VPC, subnet or network interface")
	})
	// Without the context key there is no limit: three flow logs on one VPC synthesize.
	stack := newStack(t)
	fl := flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(),
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.CloudWatchLogsDestination{}, &flowlogs.S3Destination{Id: jsii.String("Again")}}})
	if len(fl.FlowLogs()) != 3 {
		t.Errorf("%d flow logs, want 3", len(fl.FlowLogs()))
	}
}

// TestInvalidCombinationsInAnAccount: the checks that need the stack's account.
func TestInvalidCombinationsInAnAccount(t *testing.T) {
	for _, tc := range []struct {
		name string
		dest *flowlogs.FirehoseDestination
		want string
	}{
		{"stream in another account without the cross-account role",
			&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(crossStream)},
			"flowlogs: FirehoseDestination.DeliveryStreamArn is in account 222222222222, not this stack's 111111111111; cross-account delivery needs CrossAccountRoleArn, " +
				"the AWSLogDeliveryFirehoseCrossAccountRole… role in that account (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html)"},
		{"cross-account role in this account",
			&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String("arn:aws:firehose:eu-west-1:111111111111:deliverystream/local"),
				CrossAccountRoleArn: jsii.String("arn:aws:iam::111111111111:role/AWSLogDeliveryFirehoseCrossAccountRole"), SourceRoleName: jsii.String("src")},
			"flowlogs: FirehoseDestination.CrossAccountRoleArn is in this stack's account 111111111111; for a stream in this account drop CrossAccountRoleArn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, err := cdktest.Context(nil)
			if err != nil {
				t.Fatal(err)
			}
			app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
			stack := awscdk.NewStack(app, jsii.String("S"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}})
			got := mustPanic(t, func() {
				flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
					Resource: flowlogs.FromVpc(network.NewNetwork(stack, jsii.String("N"), nil).Vpc()), Destinations: []flowlogs.Destination{tc.dest}})
			})
			if got != tc.want {
				t.Errorf("message\n got  %s\n want %s", got, tc.want)
			}
		})
	}
}

func TestOtherNewConstructPropsAreValidated(t *testing.T) {
	streams := &[]*string{jsii.String(crossStream)}
	for _, tc := range []struct {
		name  string
		build func(s awscdk.Stack)
		want  string
	}{
		{"destination role without a source account", func(s awscdk.Stack) {
			flowlogs.NewCrossAccountDeliveryRole(s, jsii.String("R"), &flowlogs.CrossAccountDeliveryRoleProps{SourceRoleName: jsii.String("src"), DeliveryStreamArns: streams})
		}, `flowlogs: CrossAccountDeliveryRoleProps.SourceAccount "" is not allowed; give the 12-digit ID of the account whose flow logs are delivered`},
		{"destination role without a source role", func(s awscdk.Stack) {
			flowlogs.NewCrossAccountDeliveryRole(s, jsii.String("R"), &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"), DeliveryStreamArns: streams})
		}, `flowlogs: CrossAccountDeliveryRoleProps.SourceRoleName "" is not allowed; give the source role's name (1-64 letters, digits and +=,.@_-)`},
		{"destination role without streams", func(s awscdk.Stack) {
			flowlogs.NewCrossAccountDeliveryRole(s, jsii.String("R"), &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"), SourceRoleName: jsii.String("src")})
		}, "flowlogs: CrossAccountDeliveryRoleProps.DeliveryStreamArns is empty; give the streams the flow logs deliver to"},
		{"destination role name too long", func(s awscdk.Stack) {
			flowlogs.NewCrossAccountDeliveryRole(s, jsii.String("R"), &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"),
				SourceRoleName: jsii.String("src"), DeliveryStreamArns: streams, RoleNameSuffix: jsii.String("-this-suffix-is-far-too-long-for-iam")})
		}, `flowlogs: CrossAccountDeliveryRoleProps.RoleNameSuffix "-this-suffix-is-far-too-long-for-iam" is not allowed; use at most 26 letters, digits and +=,.@_-`},
		{"stream prefix without a slash", func(s awscdk.Stack) {
			logstream.NewLogDeliveryStream(s, jsii.String("S"), &logstream.LogDeliveryStreamProps{Prefix: jsii.String("flow-logs")})
		}, `logstream: Prefix "flow-logs" is not allowed; use S3-safe characters ending in "/", e.g. "vpc-flow-logs/"`},
		{"stream buffering too long", func(s awscdk.Stack) {
			logstream.NewLogDeliveryStream(s, jsii.String("S"), &logstream.LogDeliveryStreamProps{BufferingIntervalSeconds: jsii.Number(901)})
		}, "logstream: BufferingIntervalSeconds 901 is not allowed; use a whole number from 0 to 900"},
		{"stream name", func(s awscdk.Stack) {
			logstream.NewLogDeliveryStream(s, jsii.String("S"), &logstream.LogDeliveryStreamProps{DeliveryStreamName: jsii.String("flow logs")})
		}, `logstream: DeliveryStreamName "flow logs" is not allowed; use 1-64 letters, digits, _ . and -`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mustPanic(t, func() { tc.build(newStack(t)) })
			if got != tc.want {
				t.Errorf("message\n got  %s\n want %s", got, tc.want)
			}
		})
	}
}

// TestBadResourceContextIsRejected: the app's settings for existing VPCs, Firehose and ECS.
func TestBadResourceContextIsRejected(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context map[string]any
		want    string
	}{
		{"vpcId without account and region", map[string]any{"vpcId": existingVpcID},
			`context vpcId="vpc-0a1b2c3d4e5f67890" needs account and region: an existing VPC is looked up in one account and Region (Vpc.fromLookup)`},
		{"vpcId malformed", map[string]any{"vpcId": "vpc-xyz"},
			`context vpcId="vpc-xyz": "vpc-xyz" is not allowed; use a VPC ID such as vpc-0123456789abcdef0`},
		{"the transit gateway preset", map[string]any{"logFormat": "transit-gateway"},
			`context logFormat="transit-gateway": preset "transit-gateway" is the format of transit gateway flow logs; the app logs a VPC, so use one of the others`},
		{"firehose settings without firehose", map[string]any{"firehoseStreamArn": crossStream},
			"context firehose* settings are given but destinations=cloudwatch-logs,s3 has no firehose; add firehose or drop them"},
		{"cross-account role without its stream", map[string]any{"destinations": "firehose", "firehoseCrossAccountRoleArn": crossRole},
			"context firehoseCrossAccountRoleArn needs firehoseStreamArn: the stream in the other account"},
		{"cross-account role with another name", map[string]any{"destinations": "firehose", "firehoseStreamArn": crossStream, "account": "111111111111",
			"firehoseCrossAccountRoleArn": "arn:aws:iam::222222222222:role/Delivery"},
			`context firehoseCrossAccountRoleArn="arn:aws:iam::222222222222:role/Delivery": "arn:aws:iam::222222222222:role/Delivery" is not allowed; use arn:aws:iam::ACCOUNT:role/AWSLogDeliveryFirehoseCrossAccountRole…`},
		{"stream ARN without account", map[string]any{"destinations": "firehose", "firehoseStreamArn": crossStream},
			`context firehoseStreamArn="` + crossStream + `" is in account 222222222222, but account is not set, so whether delivery crosses accounts cannot be checked ` +
				"(another account's stream needs the two roles of cross-account delivery); set -c account=ACCOUNT"},
		{"source role name in one account", map[string]any{"destinations": "firehose", "firehoseSourceRoleName": "src"},
			"context firehoseSourceRoleName is for cross-account delivery; set firehoseCrossAccountRoleArn (or firehoseDestinationFor) too, or drop it"},
		{"ECS fields without permissions", map[string]any{"logFormat": "${srcaddr} ${ecs-cluster-name}"},
			"context logFormat has ECS fields, which AWS records only when whoever creates the flow log may call ecs:ListClusters " +
				"(https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); set ecsPermissionsRoleArn to the role CloudFormation deploys with " +
				"to have them granted, or ecsPermissionsGranted=true if it has them (cdk bootstrap's default execution role does)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacks.ConfigFromMap(tc.context)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got  %v\n want %s", err, tc.want)
			}
		})
	}
}
