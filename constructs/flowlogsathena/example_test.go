package flowlogsathena_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// The Athena table, workgroup and saved queries over a bucket that flow logs write Parquet to,
// with Hive-compatible hourly partitions under the prefix "vpc": the layout must be the S3
// destination's (flowlogs.S3Destination's KeyPrefix, FileFormat, HiveCompatiblePartitions and
// PerHourPartition). Each saved query reads the last QueryWindowDays days' partitions unless
// edited.
func ExampleNewFlowLogsAthena() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Analytics"), nil)
	security, _ := flowlog.Preset("security")
	bucket := awss3.Bucket_FromBucketName(stack, jsii.String("FlowLogsBucket"), jsii.String("example-flow-logs"))
	athena := flowlogsathena.NewFlowLogsAthena(stack, jsii.String("Athena"), &flowlogsathena.FlowLogsAthenaProps{
		Bucket:                     bucket,
		Layout:                     &s3layout.Layout{Prefix: "vpc", Hive: true, PerHour: true, Parquet: true},
		Format:                     &security,
		Investigations:             []string{"top-talkers", "rejected-by-dst-port", "traffic-from-address"},
		QueryWindowDays:            jsii.Number(1),
		BytesScannedCutoffPerQuery: jsii.Number(1_000_000_000),
	})
	app.Synth(nil)

	var parts []string
	for _, k := range athena.TableDefinition().PartitionKeys {
		parts = append(parts, k.Name)
	}
	fmt.Println("partitions:", strings.Join(parts, ", "))
	for i, q := range athena.NamedQueries() {
		fmt.Printf("%s: %s\n", *q.Name(), strings.Join(athena.Investigations()[i].Columns(), ", "))
	}
	fmt.Println(*athena.NamedQueries()[0].QueryString())
	// Output:
	// partitions: aws_account_id, aws_region, year, month, day, hour
	// top-talkers: srcaddr, records, packets, bytes
	// rejected-by-dst-port: dstport, protocol, records, packets, bytes
	// traffic-from-address: dstaddr, dstport, protocol, action, records, packets, bytes
	// SELECT "srcaddr" AS "srcaddr", COUNT(*) AS "records", COALESCE(SUM("packets"), 0) AS "packets", COALESCE(SUM("bytes"), 0) AS "bytes"
	// FROM "vpc_flow_logs"."flow_logs"
	// WHERE (concat("year", '/', "month", '/', "day") >= date_format(current_date - INTERVAL '1' DAY, '%Y/%m/%d'))
	// GROUP BY 1
	// ORDER BY 4 DESC, 1 ASC NULLS LAST
	// LIMIT 50
}
