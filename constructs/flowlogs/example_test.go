package flowlogs_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

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
