package test

import (
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// Every bad setting fails synth with a message naming the setting, the bad value and what is
// allowed; none falls back to a default silently.
func TestBadContextIsRejected(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context map[string]any
		want    []string
	}{
		{"interval 300 (the console's 'every 5 minutes')", map[string]any{"maxAggregationInterval": "300"},
			[]string{"maxAggregationInterval", "300", "60 or 600"}},
		{"interval as a JSON number", map[string]any{"maxAggregationInterval": 120.0},
			[]string{"maxAggregationInterval", "120", "60 or 600"}},
		{"unknown log-format field", map[string]any{"logFormat": "${srcaddr} ${dstadr}"},
			[]string{"logFormat", "${dstadr}", `did you mean "${dstaddr}"`}},
		{"duplicate log-format field", map[string]any{"logFormat": "${srcaddr} ${dstaddr} ${srcaddr}"},
			[]string{"logFormat", "duplicate", "${srcaddr}"}},
		{"log format neither preset nor fields", map[string]any{"logFormat": "everything"},
			[]string{"logFormat", `"everything"`, "default", "security"}},
		{"empty destination set", map[string]any{"destinations": ""},
			[]string{"destinations", "at least one of cloudwatch-logs, s3"}},
		{"unknown destination", map[string]any{"destinations": "cloudwatch-logs,kinesis"},
			[]string{"destinations", `"kinesis"`, "cloudwatch-logs, s3 and/or firehose"}},
		{"duplicate destination", map[string]any{"destinations": "s3,s3"},
			[]string{"destinations", `"s3" is listed twice`}},
		{"retention CloudWatch does not accept", map[string]any{"retentionDays": "42"},
			[]string{"retentionDays", "42", "30, 60, 90", "3653"}},
		{"retention not a number", map[string]any{"retentionDays": "a year"},
			[]string{"retentionDays", `"a year"`, "not a number"}},
		{"reserved AWSLogs key prefix", map[string]any{"s3KeyPrefix": "logs/AWSLogs"},
			[]string{"s3KeyPrefix", "logs/AWSLogs", "reserves"}},
		{"key prefix with unsafe characters", map[string]any{"s3KeyPrefix": "flow logs"},
			[]string{"s3KeyPrefix", `"flow logs"`, "S3-safe"}},
		{"traffic type", map[string]any{"trafficType": "all"},
			[]string{"trafficType", `"all"`, "ALL, ACCEPT or REJECT"}},
		{"file format", map[string]any{"s3FileFormat": "csv"},
			[]string{"s3FileFormat", `"csv"`, "plain-text or parquet"}},
		{"malformed boolean", map[string]any{"s3HiveCompatiblePartitions": "yes"},
			[]string{"s3HiveCompatiblePartitions", `"yes"`, "true or false"}},
		{"malformed tags", map[string]any{"tags": "{team:netsec}"},
			[]string{"tags", "not a JSON object"}},
		{"aws: tag key", map[string]any{"tags": `{"aws:owner":"me"}`},
			[]string{"tags", "aws:owner", "not start with aws:"}},
		{"removal policy", map[string]any{"removalPolicy": "snapshot"},
			[]string{"removalPolicy", `"snapshot"`, "retain or destroy"}},
		{"s3 options without s3", map[string]any{"destinations": "cloudwatch-logs", "s3FileFormat": "parquet"},
			[]string{"s3*", "destinations=cloudwatch-logs"}},
		{"VPC CIDR", map[string]any{"vpcCidr": "10.0.0.0/8"},
			[]string{"Cidr", "10.0.0.0/8", "/16 to /28"}},
		{"AZ count", map[string]any{"maxAzs": "0"},
			[]string{"MaxAzs", "0", "at least 1"}},
		{"account", map[string]any{"account": "1234"},
			[]string{"account", `"1234"`, "12-digit"}},
		{"region", map[string]any{"region": "Europe"},
			[]string{"region", `"Europe"`, "us-east-1"}},
		{"tag fields for a format without tag fields", map[string]any{"tagFields": `{"instance":["Name"]}`},
			[]string{"tagFields", `TagFields["instance"]`, "${instance-tag}"}},
		{"tag fields with three keys", map[string]any{"logFormat": "all", "tagFields": `{"instance":["a","b","c"]}`},
			[]string{"tagFields", "3 tag keys", "one or two"}},
		{"tag fields for an unknown resource type", map[string]any{"logFormat": "all", "tagFields": `{"vpc":["Name"]}`},
			[]string{"tagFields", `"vpc"`, "instance, network-interface or auto-scaling-group"}},
		{"malformed tag fields", map[string]any{"tagFields": `{"instance":"Name"}`},
			[]string{"tagFields", "not a list of tag keys"}},
		{"stack name", map[string]any{"stackName": "1st stack"},
			[]string{"stackName", `"1st stack"`, "a letter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stacks.ConfigFromMap(tc.context)
			if err == nil {
				t.Fatalf("accepted %v", tc.context)
			}
			wantAll(t, err.Error(), tc.want...)
		})
	}
}

func TestEveryBadSettingIsReportedAtOnce(t *testing.T) {
	_, err := stacks.ConfigFromMap(map[string]any{"maxAggregationInterval": "300", "retentionDays": "42"})
	if err == nil || !strings.Contains(err.Error(), "maxAggregationInterval") || !strings.Contains(err.Error(), "retentionDays") {
		t.Fatalf("want both settings reported, got %v", err)
	}
}

func TestGoodContextIsAccepted(t *testing.T) {
	for _, v := range variants {
		if _, err := stacks.ConfigFromMap(v.context); err != nil {
			t.Errorf("%s: %v", v.name, err)
		}
	}
	// JSON values as cdk.json holds them work like the strings -c gives.
	c, err := stacks.ConfigFromMap(map[string]any{"maxAggregationInterval": 60.0, "s3PerHourPartition": true,
		"retentionDays": 731.0, "tags": map[string]any{"team": "netsec"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAggregationInterval != 60 || !c.S3PerHourPartition || c.RetentionDays != 731 || c.Tags["team"] != "netsec" {
		t.Errorf("values not applied: %+v", c)
	}
}
