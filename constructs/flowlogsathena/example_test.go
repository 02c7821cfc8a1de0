package flowlogsathena_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// Flow logs to S3 in Parquet with Hive-compatible hourly partitions, and the Athena table,
// workgroup and saved queries that read them. The layout given to the Athena construct is the
// destination's. (Compiled, not run: synthesizing needs the jsii runtime, which the tests in
// ./test start once for all CDK tests.)
func ExampleNewFlowLogsAthena() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Network"), nil)
	security, _ := flowlog.Preset("security")
	fl := flowlogs.NewFlowLogs(stack, jsii.String("FlowLogs"), &flowlogs.FlowLogsProps{
		Vpc:       network.NewNetwork(stack, jsii.String("Network"), nil).Vpc(),
		LogFormat: &security,
		Destinations: []flowlogs.Destination{&flowlogs.S3Destination{
			KeyPrefix:                jsii.String("vpc"),
			FileFormat:               jsii.String("parquet"),
			HiveCompatiblePartitions: jsii.Bool(true),
			PerHourPartition:         jsii.Bool(true),
		}},
	})
	flowlogsathena.NewFlowLogsAthena(stack, jsii.String("Athena"), &flowlogsathena.FlowLogsAthenaProps{
		Bucket:                     fl.Buckets()[0],
		Layout:                     &s3layout.Layout{Prefix: "vpc", Hive: true, PerHour: true, Parquet: true},
		Format:                     &security,
		Investigations:             []string{"top-talkers", "rejected-by-dst-port", "traffic-from-address"},
		BytesScannedCutoffPerQuery: jsii.Number(1_000_000_000),
	})
	app.Synth(nil)
}
