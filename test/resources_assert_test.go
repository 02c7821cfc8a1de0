package test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/gates"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

func variantContext(t *testing.T, name string) map[string]any {
	t.Helper()
	for _, v := range variants {
		if v.name == name {
			return v.context
		}
	}
	t.Fatalf("no variant %q", name)
	return nil
}

func ref(pattern string) map[string]any {
	return map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String(pattern))}
}

func getAtt(pattern, attr string) map[string]any {
	return map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String(pattern)), attr}}
}

// TestExistingVpc: -c vpcId=… logs the looked-up VPC: no VPC or subnet is created, and the flow
// logs name the existing VPC's ID.
func TestExistingVpc(t *testing.T) {
	s := synthApp(t, variantContext(t, "existing-vpc"))
	for typ, n := range map[string]float64{"AWS::EC2::VPC": 0, "AWS::EC2::Subnet": 0, "AWS::EC2::FlowLog": 2} {
		check(t, func() { s.template.ResourceCountIs(jsii.String(typ), jsii.Number(n)) })
	}
	for _, dest := range []string{"cloud-watch-logs", "s3"} {
		check(t, func() {
			s.template.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
				"ResourceType": "VPC", "ResourceId": existingVpcID, "LogDestinationType": dest, "TrafficType": "ALL",
			})
		})
	}
	if s.stack.Network() != nil || *s.stack.Vpc().VpcId() != existingVpcID || *s.stack.Account() != "111111111111" {
		t.Errorf("stack: network %v, vpc %s, account %s", s.stack.Network(), *s.stack.Vpc().VpcId(), *s.stack.Account())
	}
	if got := len(*s.stack.Vpc().PrivateSubnets()); got != 2 {
		t.Errorf("the lookup fixture's 2 private subnets were not read: %d", got)
	}
}

// TestExistingVpcWithoutLookupIsReportedMissing: without a cached lookup the app asks the CLI for
// it (missing context), as `cdk synth` does on a first run, instead of inventing a VPC.
func TestExistingVpcWithoutLookupIsReportedMissing(t *testing.T) {
	app, cfg, err := newApp(map[string]any{"vpcId": existingVpcID, "account": "111111111111", "region": "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	stacks.NewVpcFlowLogsStack(app, jsii.String(cfg.StackName), &stacks.VpcFlowLogsStackProps{Config: &cfg})
	raw, err := os.ReadFile(filepath.Join(*app.Synth(nil).Directory(), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Missing []struct{ Key, Provider string }
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Missing) != 1 || manifest.Missing[0].Provider != "vpc-provider" ||
		!strings.Contains(manifest.Missing[0].Key, "filter.vpc-id="+existingVpcID) {
		t.Errorf("missing context = %+v, want the one vpc-provider lookup of %s", manifest.Missing, existingVpcID)
	}
}

func TestTransitGatewayFlowLogs(t *testing.T) {
	_, tpl, _, _ := synthConstructVariant(t, buildTransitGateway)
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::EC2::FlowLog"), jsii.Number(3)) })
	for _, dest := range []string{"cloud-watch-logs", "s3"} {
		check(t, func() {
			tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
				"ResourceType":           "TransitGateway",
				"ResourceId":             ref("^TransitGateway"),
				"MaxAggregationInterval": 60,
				"TrafficType":            assertions.Match_Absent(),
				"LogFormat":              flowlog.DefaultTransitGatewayFormat().String(),
				"LogDestinationType":     dest,
			})
		})
	}
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType":           "TransitGatewayAttachment",
			"ResourceId":             ref("^Attachment"),
			"MaxAggregationInterval": 60,
			"TrafficType":            assertions.Match_Absent(),
			"LogFormat":              tgwFormat,
			"LogDestination": map[string]any{"Fn::Join": []any{"", []any{
				getAtt("^FlowLogsS3Bucket", "Arn"), "/attachments/"}}},
		})
	})
}

func TestSubnetAndNetworkInterfaceFlowLogs(t *testing.T) {
	_, tpl, _, _ := synthConstructVariant(t, buildSubnetAndENI)
	check(t, func() { tpl.ResourceCountIs(jsii.String("AWS::EC2::FlowLog"), jsii.Number(3)) })
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType": "Subnet", "ResourceId": "subnet-0a0000000000000a2", "TrafficType": "REJECT",
			"LogDestinationType": "cloud-watch-logs", "MaxAggregationInterval": 600,
		})
	})
	security, _ := flowlog.Preset("security")
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType": "NetworkInterface", "ResourceId": "eni-0123456789abcdef0", "TrafficType": "ALL",
			"MaxAggregationInterval": 60, "LogFormat": security.String(), "LogDestinationType": "s3",
		})
	})
}

// TestSeveralFlowLogsOnOneResource: one VPC, ALL traffic in a wide format to S3 and REJECT in a
// narrow one to CloudWatch Logs, each flow log with its own settings.
func TestSeveralFlowLogsOnOneResource(t *testing.T) {
	_, tpl, _, _ := synthConstructVariant(t, buildSeveralFlowLogs)
	wide, _ := flowlog.Preset("v5")
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceId": ref("^NetworkVpc"), "LogDestinationType": "s3", "TrafficType": "ALL",
			"MaxAggregationInterval": 600, "LogFormat": wide.String(),
			"DestinationOptions": map[string]any{"FileFormat": "parquet", "HiveCompatiblePartitions": false, "PerHourPartition": false},
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceId": ref("^NetworkVpc"), "LogDestinationType": "cloud-watch-logs", "TrafficType": "REJECT",
			"MaxAggregationInterval": 60,
			"LogFormat":              "${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${start} ${action} ${reject-reason}",
		})
	})
}

// TestFirehoseInThisAccount: the default firehose destination creates a Direct PUT stream, tagged
// for log delivery, to a bucket hardened like the flow-log bucket; the flow log names no role.
func TestFirehoseInThisAccount(t *testing.T) {
	s := synthApp(t, variantContext(t, "firehose"))
	if n := len(s.stack.FlowLogs().DeliveryStreamArns()); n != 1 {
		t.Errorf("DeliveryStreamArns has %d streams, want the created one", n)
	}
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"LogDestinationType":       "kinesis-data-firehose",
			"LogDestination":           getAtt("^FlowLogsFirehoseStream", "Arn"),
			"TrafficType":              "REJECT",
			"DeliverLogsPermissionArn": assertions.Match_Absent(),
			"DeliverCrossAccountRole":  assertions.Match_Absent(),
			"DestinationOptions":       assertions.Match_Absent(),
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::KinesisFirehose::DeliveryStream"), map[string]any{
			"DeliveryStreamType":                         "DirectPut",
			"DeliveryStreamEncryptionConfigurationInput": map[string]any{"KeyType": "AWS_OWNED_CMK"},
			"Tags": []any{map[string]any{"Key": "LogDeliveryEnabled", "Value": "true"}},
			"ExtendedS3DestinationConfiguration": assertions.Match_ObjectLike(&map[string]any{
				"BucketARN": getAtt("^FlowLogsFirehoseStreamBucket", "Arn"), "CompressionFormat": "GZIP",
				"RoleARN": getAtt("^FlowLogsFirehoseStreamRole", "Arn"), "Prefix": "vpc-flow-logs/",
			}),
		})
	})
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::KinesisFirehose::DeliveryStream"), map[string]any{
			"DependsOn": []any{assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsFirehoseStreamPolicy"))},
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{assertions.Match_ObjectLike(&map[string]any{
				"Principal": map[string]any{"Service": "firehose.amazonaws.com"},
				"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": map[string]any{"Ref": "AWS::AccountId"}}},
			})}},
		})
	})
	// The stream's bucket is a logbucket: TLS only, public access blocked, access-logged.
	check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(2)) })
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"LoggingConfiguration":           map[string]any{"DestinationBucketName": ref("^FlowLogsFirehoseStreamBucketAccessLogsBucket"), "LogFilePrefix": "s3-access-logs/"},
			"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
		})
	})
}

// TestFirehoseAcrossAccounts: both roles on the flow log, and the source role exactly as AWS
// documents it, its PassRole limited to log delivery and this VPC.
func TestFirehoseAcrossAccounts(t *testing.T) {
	s := synthApp(t, variantContext(t, "firehose-cross-account"))
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"LogDestinationType":       "kinesis-data-firehose",
			"LogDestination":           crossStream,
			"DeliverLogsPermissionArn": getAtt("^FlowLogsFirehoseSourceRole", "Arn"),
			"DeliverCrossAccountRole":  crossRole,
		})
	})
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"DependsOn": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsFirehoseSourceRolePolicy"))}),
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			"RoleName": sourceRole,
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": map[string]any{"Service": "delivery.logs.amazonaws.com"},
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111111111111"}},
			}}},
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{
			"Roles": []any{ref("^FlowLogsFirehoseSourceRole")},
			"PolicyDocument": map[string]any{"Statement": []any{
				map[string]any{
					"Sid": "PassOnlyToLogDeliveryForThisResource", "Effect": "Allow", "Action": "iam:PassRole",
					"Resource": getAtt("^FlowLogsFirehoseSourceRole", "Arn"),
					"Condition": map[string]any{
						"StringEquals": map[string]any{"iam:PassedToService": "delivery.logs.amazonaws.com"},
						"StringLike":   map[string]any{"iam:AssociatedResourceARN": []any{"arn:aws:ec2:eu-west-1:111111111111:vpc/" + existingVpcID}},
					},
				},
				map[string]any{"Sid": "ManageLogDeliveries", "Effect": "Allow", "Resource": "*",
					"Action": []any{"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries"}},
				map[string]any{"Sid": "AssumeDestinationRole", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": crossRole},
			}},
		})
	})
}

// TestFirehoseDestinationAccount: the stack deployed where the stream is: the role named as AWS
// requires and as the source side derives it, trusting only the source account's role, and the
// ARNs the source side needs.
func TestFirehoseDestinationAccount(t *testing.T) {
	_, tpl, _, _ := synthConstructVariant(t, constructVariants[3].build)
	partition := func(rest string) map[string]any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, rest}}}
	}
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
			// The name the source account's app derives (crossRole), not a fixed one.
			"RoleName": strings.TrimPrefix(crossRole, "arn:aws:iam::222222222222:role/"),
			// The source account, narrowed to its role by aws:PrincipalArn: IAM accepts this
			// before the source role exists.
			"AssumeRolePolicyDocument": map[string]any{"Statement": []any{map[string]any{
				"Action": "sts:AssumeRole", "Effect": "Allow",
				"Principal": map[string]any{"AWS": partition(":iam::111111111111:root")},
				"Condition": map[string]any{"ArnEquals": map[string]any{
					"aws:PrincipalArn": partition(":iam::111111111111:role/" + sourceRole)}},
			}}},
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": []any{
				assertions.Match_ObjectLike(&map[string]any{"Sid": "CreateLogDeliveryServiceLinkedRole", "Action": "iam:CreateServiceLinkedRole",
					"Condition": map[string]any{"StringLike": map[string]any{"iam:AWSServiceName": "delivery.logs.amazonaws.com"}}}),
				map[string]any{"Sid": "TagStreamsForLogDelivery", "Effect": "Allow", "Action": "firehose:TagDeliveryStream",
					"Resource": getAtt("^Stream", "Arn")},
			}},
		})
	})
	check(t, func() {
		tpl.HasOutput(jsii.String("CrossAccountRoleArn"), map[string]any{"Value": getAtt("^CrossAccountRole", "Arn")})
	})
	check(t, func() {
		tpl.HasOutput(jsii.String("DeliveryStreamArn"), map[string]any{"Value": getAtt("^Stream", "Arn")})
	})
	// The stream's name is the one the source side writes in its ARN (crossStream).
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::KinesisFirehose::DeliveryStream"), map[string]any{
			"DeliveryStreamName": crossStream[strings.LastIndex(crossStream, "/")+1:],
		})
	})
}

// TestFirehoseStreamDefinedHereIsChecked: a stream defined in the app must be Direct PUT and may
// not carry another LogDeliveryEnabled value; a good one is tagged for log delivery.
func TestFirehoseStreamDefinedHereIsChecked(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(logstream.LogDeliveryStream)
		want  string
	}{
		{"not Direct PUT", func(s logstream.LogDeliveryStream) {
			s.Resource().SetDeliveryStreamType(jsii.String("KinesisStreamAsSource"))
		},
			`flowlogs: FirehoseDestination.DeliveryStream has DeliveryStreamType "KinesisStreamAsSource"; flow logs deliver only to Direct PUT streams (DirectPut)`},
		{"tag turned off", func(s logstream.LogDeliveryStream) {
			s.Resource().Tags().SetTag(jsii.String("LogDeliveryEnabled"), jsii.String("false"), jsii.Number(100), nil)
		}, `flowlogs: FirehoseDestination.DeliveryStream has tag LogDeliveryEnabled="false"; log delivery's service-linked role writes only to streams tagged LogDeliveryEnabled=true`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			stream := logstream.NewLogDeliveryStream(stack, jsii.String("Stream"), nil)
			tc.spoil(stream)
			got := mustPanic(t, func() {
				flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
					Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(), Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{DeliveryStream: stream}}})
			})
			if got != tc.want {
				t.Errorf("message\n got  %s\n want %s", got, tc.want)
			}
		})
	}
	t.Run("imported by ARN: explained, not checked", func(t *testing.T) {
		stack := regionalStack(t)
		flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
			Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(),
			Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{
				DeliveryStreamArn: jsii.String("arn:aws:firehose:eu-west-1:111111111111:deliverystream/team")}}})
		infos := assertions.Annotations_FromStack(stack).FindInfo(jsii.String("*"),
			assertions.Match_StringLikeRegexp(jsii.String("LogDeliveryEnabled=true tag cannot be checked.*firehose:TagDeliveryStream")))
		if len(*infos) != 1 {
			t.Errorf("want one info explaining the LogDeliveryEnabled tag, got %d", len(*infos))
		}
	})
}

// TestECSFieldsGetTheirPermissions: a format with ECS fields grants the creator's role what AWS
// names for them, and the flow logs wait for it.
func TestECSFieldsGetTheirPermissions(t *testing.T) {
	stack := newStack(t)
	deployer := awsiam.Role_FromRoleArn(stack, jsii.String("Deployer"), jsii.String("arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1"), nil)
	format := flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr, flowlog.ECSClusterName, flowlog.ECSTaskID)
	flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(), LogFormat: &format, ECSPermissionsRole: deployer,
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}},
	})
	if got := strings.Join(flowlogs.ECSActions(format), " "); got != "ecs:ListClusters ecs:ListTasks" {
		t.Errorf("ECSActions = %s", got)
	}
	tpl := assertions.Template_FromStack(stack, nil)
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{
			"Roles": []any{"cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1"},
			"PolicyDocument": map[string]any{"Statement": []any{
				assertions.Match_ObjectLike(&map[string]any{"Sid": "ListWithinClusters", "Action": "ecs:ListTasks"}),
				assertions.Match_ObjectLike(&map[string]any{"Sid": "ListClustersAndTaskDefinitions", "Action": "ecs:ListClusters", "Resource": "*"}),
			}},
		})
	})
	check(t, func() {
		tpl.HasResource(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"DependsOn": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsECSFieldPermissions"))}),
		})
	})
}

// TestAppGrantsECSPermissionsToTheDeployRole: the app's ecsPermissionsRoleArn setting.
func TestAppGrantsECSPermissionsToTheDeployRole(t *testing.T) {
	s := synthApp(t, map[string]any{"logFormat": "${srcaddr} ${ecs-service-name}", "destinations": "s3",
		"ecsPermissionsRoleArn": "arn:aws:iam::111111111111:role/deploy"})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{"Roles": []any{"deploy"}})
	})
}

// TestPerResourceLimitCanBeRaised: a limit set with the context key admits that many flow logs.
func TestPerResourceLimitCanBeRaised(t *testing.T) {
	stack := newStackWith(t, map[string]any{flowlogs.MaxFlowLogsPerResourceContextKey: "3"})
	fl := flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
		Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(),
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}, &flowlogs.CloudWatchLogsDestination{},
			&flowlogs.S3Destination{Id: jsii.String("S3b"), FileFormat: jsii.String("parquet")}},
	})
	if len(fl.FlowLogs()) != 3 || len(fl.LogFormats()) != 3 || fl.Resource().Type() != "VPC" || len(fl.DeliveryStreamArns()) != 0 {
		t.Errorf("accessors: %d flow logs, %d formats, %s", len(fl.FlowLogs()), len(fl.LogFormats()), fl.Resource().Type())
	}
}

// TestResourceCombinationsPassEveryCheck: settings of this issue combined with each other and with
// the hardened profile synthesize, stay clean under the four cdk-nag packs, and pass every gate.
func TestResourceCombinationsPassEveryCheck(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, c := range []struct {
		name    string
		context map[string]any
	}{
		{"hardened-firehose", map[string]any{"hardened": "true", "destinations": "s3,firehose"}},
		{"new-vpc-cross-account", map[string]any{"destinations": "cloudwatch-logs,firehose", "firehoseStreamArn": crossStream,
			"firehoseCrossAccountRoleArn": crossRole, "firehoseSourceRoleName": "WorkloadFlowLogsToCentral"}},
		{"all-fields-ecs-granted", map[string]any{"logFormat": "all", "destinations": "cloudwatch-logs", "ecsPermissionsRoleArn": ecsDeployRole}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := synthApp(t, c.context)
			assertNagClean(t, s.stack, s.json, stacks.Suppressions(s.stack.Config()))
			raw, err := json.Marshal(s.json)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, c.name+".template.json")
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
		})
	}
	gates.AssertPass(t, paths...)
}

// TestResourceArns: the ARN each resource type has, which a cross-account source role's
// iam:AssociatedResourceARN names, here for a transit gateway delivering to Firehose.
func TestResourceArns(t *testing.T) {
	stack := newStackWith(t, nil)
	for _, tc := range []struct {
		res  *flowlogs.Resource
		want string
	}{
		{flowlogs.FromNetworkInterfaceId(jsii.String("eni-0123456789abcdef0")), ":network-interface/eni-0123456789abcdef0"},
		{flowlogs.FromTransitGatewayId(jsii.String("tgw-0123456789abcdef0")), ":transit-gateway/tgw-0123456789abcdef0"},
		{flowlogs.FromTransitGatewayAttachmentId(jsii.String("tgw-attach-0123456789abcdef0")), ":transit-gateway-attachment/tgw-attach-0123456789abcdef0"},
	} {
		got, _ := json.Marshal(stack.Resolve(tc.res.Arn(stack)))
		if !strings.Contains(string(got), tc.want) || !strings.Contains(string(got), ":ec2:") {
			t.Errorf("%s Arn = %s, want …:ec2:…%s", tc.res.Type(), got, tc.want)
		}
	}
	flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Resource: flowlogs.FromTransitGatewayId(jsii.String("tgw-0123456789abcdef0")),
		Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{
			DeliveryStreamArn: jsii.String(crossStream), CrossAccountRoleArn: jsii.String(crossRole), SourceRoleName: jsii.String("TgwFlowLogsSource")}},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{
			"ResourceType": "TransitGateway", "MaxAggregationInterval": 60, "LogDestinationType": "kinesis-data-firehose",
			"DeliverLogsPermissionArn": getAtt("^FlowLogsFirehoseSourceRole", "Arn"), "DeliverCrossAccountRole": assertions.Match_AnyValue(),
		})
	})
	check(t, func() {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::ManagedPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Action": "iam:PassRole",
				"Condition": assertions.Match_ObjectLike(&map[string]any{"StringLike": map[string]any{"iam:AssociatedResourceARN": []any{
					map[string]any{"Fn::Join": []any{"", assertions.Match_ArrayWith(&[]any{":transit-gateway/tgw-0123456789abcdef0"})}}}}}),
			})})},
		})
	})
}

// TestDestinationRolesAreUniquePerSource: IAM role names are unique per account, so each source
// account and source role gets its own destination role, named as the source side derives it.
func TestDestinationRolesAreUniquePerSource(t *testing.T) {
	stack := newStack(t)
	streams := &[]*string{jsii.String(crossStream)}
	names := map[string]bool{}
	for i, src := range [][2]string{{"111111111111", "VpcFlowLogsFirehoseSource"}, {"333333333333", "VpcFlowLogsFirehoseSource"}, {"111111111111", "OtherSource"}} {
		r := flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("R"+string(rune('A'+i))), &flowlogs.CrossAccountDeliveryRoleProps{
			SourceAccount: jsii.String(src[0]), SourceRoleName: jsii.String(src[1]), DeliveryStreamArns: streams})
		name := *r.Role().Node().DefaultChild().(awsiam.CfnRole).RoleName()
		if name != flowlogs.CrossAccountRoleName(src[0], src[1]) || !strings.HasPrefix(name, flowlogs.CrossAccountRolePrefix+"-") || len(name) > 64 || names[name] {
			t.Errorf("%v: role name %q (%d characters), want CrossAccountRoleName's, distinct and at most 64", src, name, len(name))
		}
		names[name] = true
	}
	custom := flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("Custom"), &flowlogs.CrossAccountDeliveryRoleProps{
		SourceAccount: jsii.String("111111111111"), SourceRoleName: jsii.String("src"), DeliveryStreamArns: streams, RoleNameSuffix: jsii.String("-prod")})
	if got := *custom.Role().Node().DefaultChild().(awsiam.CfnRole).RoleName(); got != "AWSLogDeliveryFirehoseCrossAccountRole-prod" {
		t.Errorf("RoleNameSuffix: %q", got)
	}
}

// TestTransitGatewayFormatsComeFromTheRegistry: a transit gateway flow log takes any format of
// fields the registry says transit gateway flow logs record, however it was made (here the
// header line of a transit gateway S3 object, or the preset the CLI reads them with).
func TestTransitGatewayFormatsComeFromTheRegistry(t *testing.T) {
	stack := newStack(t)
	def := flowlog.DefaultTransitGatewayFormat()
	header, err := flowlog.ParseHeader(def.Format().Header())
	if err != nil {
		t.Fatal(err)
	}
	preset, _ := flowlog.Preset("transit-gateway")
	for i, f := range []flowlog.Format{header, preset} {
		fl := flowlogs.NewFlowLogs(stack, jsii.String("F"+string(rune('A'+i))), &flowlogs.FlowLogsProps{
			Resource: flowlogs.FromTransitGatewayId(jsii.String("tgw-0123456789abcdef0")), LogFormat: &f,
			Destinations: []flowlogs.Destination{&flowlogs.S3Destination{}}})
		if got := fl.FlowLogs()[0].LogFormat(); got == nil || *got != def.String() {
			t.Errorf("format %d: LogFormat %v, want the default transit gateway format", i, got)
		}
	}
}
