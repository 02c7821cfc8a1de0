package flowlogs_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/deliveryrole"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// A VPC with flow logs to CloudWatch Logs and to S3 as Parquet, in your own stack.
func ExampleNewFlowLogs() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Network"), nil)

	vpc := network.NewNetwork(stack, jsii.String("Network"), nil).Vpc()
	security, _ := flowlog.Preset("security")
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc:                    vpc,
		MaxAggregationInterval: jsii.Number(60),
		LogFormat:              &security,
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{
				LogGroupProps: &loggroup.FlowLogGroupProps{RetentionDays: jsii.Number(90)},
			},
			&flowlogs.S3Destination{
				FileFormat:               jsii.String("parquet"),
				HiveCompatiblePartitions: jsii.Bool(true),
				BucketProps:              &logbucket.LogBucketProps{ExpireAfterDays: jsii.Number(400)},
			},
		},
	})
	for _, f := range fl.FlowLogs() {
		fmt.Println(*f.Node().Path(), *f.LogDestinationType())
	}
	fmt.Println(fl.Format().Version() >= 5)
	// Output:
	// Network/FlowLogs/CloudWatchLogs/FlowLog cloud-watch-logs
	// Network/FlowLogs/S3/FlowLog s3
	// true
}

// Deliver to a central bucket that another team owns: the construct writes no policy on an
// imported bucket and warns with the statements its owner must add.
func ExampleS3Destination_importedBucket() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Workload"), nil)
	vpc := network.NewNetwork(stack, jsii.String("Network"), nil).Vpc()
	central := awss3.Bucket_FromBucketName(stack, jsii.String("Central"), jsii.String("org-flow-logs"))
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc:          vpc,
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{Bucket: central, KeyPrefix: jsii.String("workload-a")}},
	})
	fmt.Println("flow logs:", len(fl.FlowLogs()))
	fmt.Println("bucket policy written:", central.Policy() != nil)
	// Output:
	// flow logs: 1
	// bucket policy written: false
}

// Build the log group and delivery role yourself, with a role name, a path and a permissions
// boundary your account requires, and hand them to the destination.
func ExampleCloudWatchLogsDestination() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Network"), nil)
	vpc := network.NewNetwork(stack, jsii.String("Network"), &network.NetworkProps{
		Cidr: jsii.String("10.20.0.0/20"), MaxAzs: jsii.Number(3),
	}).Vpc()

	group := loggroup.NewFlowLogGroup(stack, jsii.String("FlowLogGroup"), &loggroup.FlowLogGroupProps{
		RetentionDays: jsii.Number(731),
		LogGroupClass: awslogs.LogGroupClass_INFREQUENT_ACCESS,
	})
	role := deliveryrole.NewDeliveryRole(stack, jsii.String("FlowLogRole"), &deliveryrole.DeliveryRoleProps{
		LogGroup:            group.LogGroup(),
		RoleName:            jsii.String("vpc-flow-logs-delivery"),
		Path:                jsii.String("/network/"),
		PermissionsBoundary: awsiam.ManagedPolicy_FromManagedPolicyName(stack, jsii.String("Boundary"), jsii.String("workload-boundary")),
	})
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc:         vpc,
		TrafficType: jsii.String("REJECT"),
		Destinations: []flowlogs.Destination{
			&flowlogs.CloudWatchLogsDestination{LogGroup: group.LogGroup(), Role: role.Role()},
		},
	})
	fmt.Println(group.RetentionDays(), *fl.FlowLogs()[0].TrafficType(), deliveryrole.Actions)
	// Output: 731 REJECT [logs:CreateLogStream logs:PutLogEvents logs:DescribeLogStreams]
}

// One bucket for several VPCs' flow logs, each under its own prefix: the construct writes one
// delivery statement per prefix into the bucket's policy.
func ExampleS3Destination() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Logs"), nil)
	bucket := logbucket.NewLogBucket(stack, jsii.String("FlowLogBucket"), &logbucket.LogBucketProps{
		TransitionToInfrequentAccessAfterDays: jsii.Number(30),
		TransitionToGlacierAfterDays:          jsii.Number(0), // never
		ExpireAfterDays:                       jsii.Number(180),
	})
	for _, name := range []string{"prod", "staging"} {
		vpc := network.NewNetwork(stack, jsii.String(name), nil).Vpc()
		flowlogs.NewFlowLogs(stack, jsii.String(name+"FlowLogs"), &flowlogs.FlowLogsProps{
			Vpc: vpc,
			Destinations: []flowlogs.Destination{&flowlogs.S3Destination{
				Bucket: bucket.Bucket(), KeyPrefix: jsii.String("vpc/" + name), HiveCompatiblePartitions: jsii.Bool(true),
			}},
		})
	}
	fmt.Println(logbucket.DeliveryObjectPrefix("vpc/prod", "123456789012", true))
	// Output: vpc/prod/AWSLogs/aws-account-id=123456789012/
}
