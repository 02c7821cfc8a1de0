package test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// Flow logs on what users already have (issue 11): an existing VPC, subnets, network interfaces,
// transit gateways and their attachments, several flow logs on one resource, Firehose in this
// account and across accounts.

const (
	existingVpcID = "vpc-0a1b2c3d4e5f67890"
	ecsDeployRole = "arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1"
)

// sourceRole is the app's default source role in eu-west-1; crossRole and crossStream are the
// destination role and stream the central account's FirehoseDestination stack creates for it
// (account 111111111111): both sides derive their names.
var (
	sourceRole  = stacks.DefaultFirehoseSourceRoleName("VpcFlowLogs", "eu-west-1")
	crossRole   = flowlogs.CrossAccountRoleArn("222222222222", "111111111111", sourceRole)
	crossStream = "arn:aws:firehose:eu-west-1:222222222222:deliverystream/" + stacks.FirehoseDestinationStreamName("111111111111", sourceRole)
)

// existingVpcContext is what `cdk synth -c vpcId=… -c account=… -c region=…` sees once the CLI
// has cached its lookups (the VPC, and the Region's Availability Zones) in cdk.context.json: the
// committed fixture stands in for that cache, so no AWS call is made.
func existingVpcContext() map[string]any {
	raw, err := os.ReadFile(filepath.Join("testdata", "existing-vpc.context.json"))
	if err != nil {
		panic(err)
	}
	ctx := map[string]any{}
	if err := json.Unmarshal(raw, &ctx); err != nil {
		panic(err)
	}
	ctx["vpcId"], ctx["account"], ctx["region"] = existingVpcID, "111111111111", "eu-west-1"
	return ctx
}

// The app variants of this issue join the others (snapshot_test.go), so every golden, nag and
// config test covers them too.
func init() {
	variants = append(variants, []struct {
		name    string
		context map[string]any
	}{
		{"existing-vpc", existingVpcContext()},
		{"firehose", map[string]any{"destinations": "cloudwatch-logs,firehose", "trafficType": "REJECT"}},
		{"firehose-cross-account", func() map[string]any {
			// An existing workload VPC whose flow logs go to a central account's stream.
			ctx := existingVpcContext()
			// No firehoseCrossAccountRoleArn: the app derives the destination role from the
			// stream's account, this account and the source role's name (crossRole).
			ctx["destinations"], ctx["firehoseStreamArn"] = "firehose", crossStream
			return ctx
		}()},
		{"ecs-fields", map[string]any{"destinations": "cloudwatch-logs", "ecsPermissionsRoleArn": ecsDeployRole,
			"logFormat": "${version} ${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${ecs-cluster-name} ${ecs-service-name} ${ecs-task-id}"}},
	}...)
}

// constructVariants are stacks built from the constructs directly, each with a golden template,
// held to the four cdk-nag packs with the default app's reviewed suppressions.
var constructVariants = []struct {
	name  string
	build func(app awscdk.App) (awscdk.Stack, []stacks.Suppression)
}{
	{"transit-gateway", buildTransitGateway},
	{"subnet-and-eni", buildSubnetAndENI},
	{"several-flow-logs", buildSeveralFlowLogs},
	{"firehose-destination-account", func(app awscdk.App) (awscdk.Stack, []stacks.Suppression) {
		cfg := stacks.DefaultConfig()
		cfg.FirehoseDestinationFor, cfg.Region = "111111111111", "eu-west-1"
		return stacks.NewFirehoseDestination(app, cfg), stacks.FirehoseDestinationSuppressions(cfg)
	}},
}

// tgwFormat is a transit gateway format for drops between attachments.
const tgwFormat = "${version} ${resource-type} ${tgw-id} ${tgw-attachment-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} " +
	"${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${packets-lost-no-route} ${packets-lost-blackhole} " +
	"${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired} ${log-status}"

func buildTransitGateway(app awscdk.App) (awscdk.Stack, []stacks.Suppression) {
	stack := awscdk.NewStack(app, jsii.String("TransitGatewayFlowLogs"), nil)
	tgw := awsec2.NewCfnTransitGateway(stack, jsii.String("TransitGateway"), &awsec2.CfnTransitGatewayProps{
		Description:                 jsii.String("hub"),
		AutoAcceptSharedAttachments: jsii.String("disable"),
	})
	att := awsec2.NewCfnTransitGatewayAttachment(stack, jsii.String("Attachment"), &awsec2.CfnTransitGatewayAttachmentProps{
		TransitGatewayId: tgw.Ref(),
		VpcId:            jsii.String(existingVpcID),
		SubnetIds:        &[]any{"subnet-0a0000000000000a2", "subnet-0a0000000000000b2"},
	})
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Resource: flowlogs.FromTransitGatewayId(tgw.Ref()),
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{},
			&flowlogs.S3Destination{FileFormat: jsii.String("parquet"), HiveCompatiblePartitions: jsii.Bool(true)},
		},
	})
	drops, err := flowlog.ParseTransitGatewayFormat(tgwFormat)
	if err != nil {
		panic(err)
	}
	flowlogs.NewFlowLogs(stack, jsii.String("AttachmentFlowLogs"), &flowlogs.FlowLogsProps{
		Resource:                flowlogs.FromTransitGatewayAttachmentId(att.Ref()),
		TransitGatewayLogFormat: &drops,
		Destinations:            []flowlogs.Destination{&flowlogs.S3Destination{Bucket: fl.Buckets()[0], KeyPrefix: jsii.String("attachments")}},
	})
	return stack, stacks.Suppressions(stacks.DefaultConfig())
}

func buildSubnetAndENI(app awscdk.App) (awscdk.Stack, []stacks.Suppression) {
	stack := awscdk.NewStack(app, jsii.String("SubnetFlowLogs"), nil)
	vpc := awsec2.Vpc_FromVpcAttributes(stack, jsii.String("Vpc"), &awsec2.VpcAttributes{
		VpcId:                      jsii.String(existingVpcID),
		AvailabilityZones:          jsii.Strings("eu-west-1a", "eu-west-1b"),
		PrivateSubnetIds:           jsii.Strings("subnet-0a0000000000000a2", "subnet-0a0000000000000b2"),
		PrivateSubnetRouteTableIds: jsii.Strings("rtb-0a0000000000000a2", "rtb-0a0000000000000b2"),
	})
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Resource:    flowlogs.FromSubnet((*vpc.PrivateSubnets())[0]),
		TrafficType: jsii.String("REJECT"),
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{},
			&flowlogs.S3Destination{KeyPrefix: jsii.String("subnets")},
		},
	})
	security, _ := flowlog.Preset("security")
	flowlogs.NewFlowLogs(stack, jsii.String("InterfaceFlowLogs"), &flowlogs.FlowLogsProps{
		Resource:               flowlogs.FromNetworkInterfaceId(jsii.String("eni-0123456789abcdef0")),
		MaxAggregationInterval: jsii.Number(60),
		LogFormat:              &security,
		Destinations: []flowlogs.Destination{
			&flowlogs.S3Destination{Bucket: fl.Buckets()[0], KeyPrefix: jsii.String("interfaces")},
		},
	})
	return stack, stacks.Suppressions(stacks.DefaultConfig())
}

func buildSeveralFlowLogs(app awscdk.App) (awscdk.Stack, []stacks.Suppression) {
	stack := awscdk.NewStack(app, jsii.String("SeveralFlowLogs"), nil)
	vpc := network.NewNetwork(stack, jsii.String("Network"), nil).Vpc()
	wide, _ := flowlog.Preset("v5")
	narrow := flowlog.MustFormat(flowlog.InterfaceID, flowlog.SrcAddr, flowlog.DstAddr, flowlog.DstPort, flowlog.Protocol,
		flowlog.Start, flowlog.Action, flowlog.RejectReason)
	flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc: vpc,
		Destinations: []flowlogs.Destination{
			&flowlogs.S3Destination{
				FlowLogOptions: flowlogs.FlowLogOptions{TrafficType: jsii.String("ALL"), LogFormat: &wide},
				FileFormat:     jsii.String("parquet"),
			},
			&flowlogs.CloudWatchLogsDestination{
				FlowLogOptions: flowlogs.FlowLogOptions{TrafficType: jsii.String("REJECT"), MaxAggregationInterval: jsii.Number(60), LogFormat: &narrow},
			},
		},
	})
	return stack, stacks.Suppressions(stacks.DefaultConfig())
}

// synthConstructVariant builds a construct variant in an app with cdk.json's context, applies
// the four packs, and synthesizes it.
func synthConstructVariant(t *testing.T, build func(awscdk.App) (awscdk.Stack, []stacks.Suppression)) (awscdk.Stack, assertions.Template, map[string]any, []stacks.Suppression) {
	t.Helper()
	ctx, err := cdktest.Context(nil)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	stack, sups := build(app)
	if _, ok := stack.(stacks.FirehoseDestinationStack); !ok {
		stacks.ApplyNagPacks(stack, sups) // NewFirehoseDestination applies them itself
	}
	tpl := assertions.Template_FromStack(stack, nil)
	return stack, tpl, *tpl.ToJSON(), sups
}

func TestConstructSnapshotsAndNag(t *testing.T) {
	for _, v := range constructVariants {
		t.Run(v.name, func(t *testing.T) {
			stack, _, tpl, sups := synthConstructVariant(t, v.build)
			assertNagClean(t, stack, tpl, sups)
			got, err := cdktest.Normalize(tpl)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", v.name+".template.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./test -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s differs from the synthesized template; review the change and run go test ./test -update\n%s", path, cdktest.Diff(want, got))
			}
		})
	}
}

// TestGoldenTransitGatewayFormats: every transit gateway flow log in the goldens has a LogFormat
// of transit gateway fields only, printed back identically.
func TestGoldenTransitGatewayFormats(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.template.json"))
	n := 0
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(raw, &tpl); err != nil {
			t.Fatal(err)
		}
		for id, r := range tpl.Resources {
			rt, _ := r.Properties["ResourceType"].(string)
			if r.Type != "AWS::EC2::FlowLog" || (rt != "TransitGateway" && rt != "TransitGatewayAttachment") {
				continue
			}
			n++
			s, _ := r.Properties["LogFormat"].(string)
			f, err := flowlog.ParseTransitGatewayFormat(s)
			if err != nil || f.String() != s {
				t.Errorf("%s %s: LogFormat %q: %v", path, id, s, err)
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d transit gateway flow logs in the goldens, want the transit-gateway variant's 3", n)
	}
}
