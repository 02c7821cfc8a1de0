package review

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.0005 }

// The estimate for the good template at 10 GB/day, computed by hand from
// prices.json (us-east-1, 2026-12-01) and its assumptions (30-day month,
// stored size 15% of delivered, Parquet 80% of that, 288 objects a day):
//
// CwlFlowLog: delivery 300 GB x $0.50 = 150.00; storage 10 x 0.15 x 365 days =
// 547.5 GB-month x $0.03 = 16.425; KMS key shared by 2 flow logs 0.50; one
// metric from the metric filter 0.30; one alarm 0.10; one Contributor Insights
// rule 0.50. Total 167.825.
//
// S3FlowLog: delivery 300 x $0.25 = 75.00; Parquet 300 x $0.035 = 10.50;
// stored 10 x 0.15 x 0.8 = 1.2 GB a day: Standard days 0-30 36 GB x $0.023 =
// 0.828, Standard-IA days 30-90 72 x $0.0125 = 0.90, Glacier days 90-365 330 x
// $0.0036 = 1.188; 8,640 PUTs x $0.005/1000 = 0.0432; 8,640 transitions each
// to IA ($0.01/1000) 0.0864 and Glacier ($0.03/1000) 0.2592; KMS 0.50.
// Total 89.3048.
func TestEstimateByHand(t *testing.T) {
	rep := Explain(load(t, filepath.Join("testdata", "good.yaml")))
	e := Estimate([]Report{rep}, 10, DefaultPrices())
	want := map[string]map[string]float64{
		"CwlFlowLog": {
			"vended-log delivery to cloud-watch-logs": 150, "CloudWatch Logs storage": 16.425, "KMS key Key": 0.5,
			"custom metric from metric filter RejectedSsh": 0.30, "CloudWatch alarm RejectedSshAlarm": 0.10,
			"Contributor Insights rule RejectedByPort": 0.50,
		},
		"S3FlowLog": {
			"vended-log delivery to s3": 75, "Parquet conversion": 10.5,
			"S3 STANDARD storage (days 0-30)": 0.828, "S3 STANDARD_IA storage (days 30-90)": 0.9, "S3 GLACIER storage (days 90-365)": 1.188,
			"S3 PUT requests (log files)": 0.0432, "S3 lifecycle transitions to STANDARD_IA": 0.0864, "S3 lifecycle transitions to GLACIER": 0.2592,
			"KMS key Key": 0.5,
		},
	}
	totals := map[string]float64{"CwlFlowLog": 167.825, "S3FlowLog": 89.3048} // the Glue and Athena resources cost per query, not per month
	for _, fl := range e.FlowLogs {
		w := want[fl.FlowLog]
		if len(fl.Lines) != len(w) {
			t.Errorf("%s: %d lines, want %d: %+v", fl.FlowLog, len(fl.Lines), len(w), fl.Lines)
		}
		for _, l := range fl.Lines {
			if v, ok := w[l.Item]; !ok || !near(l.USD, v) {
				t.Errorf("%s: %s = %.4f, want %.4f", fl.FlowLog, l.Item, l.USD, v)
			}
		}
		if !near(fl.MonthlyUSD, totals[fl.FlowLog]) {
			t.Errorf("%s: %.4f a month, want %.4f", fl.FlowLog, fl.MonthlyUSD, totals[fl.FlowLog])
		}
	}
	if !near(e.TotalUSD, 257.1298) {
		t.Errorf("total %.4f, want 257.1298", e.TotalUSD)
	}
	// One Logs Insights query over a day: 10 GB x $0.005; one Athena query over
	// a day of Parquet: 1.2 GB / 1024 = 0.001171875 TB x $5.
	if q := e.FlowLogs[0].PerQuery[0]; !near(q.USD, 0.05) {
		t.Errorf("Logs Insights per query %.4f", q.USD)
	}
	if q := e.FlowLogs[1].PerQuery[0]; !near(q.USD, 0.005859375) {
		t.Errorf("Athena per query %.6f", q.USD)
	}
}

// Volume tiers apply to the month's total per destination type: 400 GB a day
// to CloudWatch Logs is 12,000 GB: 10,240 x $0.50 + 1,760 x $0.25 = 5,560.
// Two S3 flow logs at 300 GB a day are 18,000 GB together: 10,240 x $0.25 +
// 7,760 x $0.15 = 3,724, shared 1,862 each.
func TestEstimateTiers(t *testing.T) {
	tpl, err := Parse("tiers.yaml", []byte(`
Resources:
  Cwl: { Type: AWS::EC2::FlowLog, Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, LogGroupName: g, DeliverLogsPermissionArn: r } }
  S3a: { Type: AWS::EC2::FlowLog, Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, LogDestinationType: s3, LogDestination: "arn:aws:s3:::a" } }
  S3b: { Type: AWS::EC2::FlowLog, Properties: { ResourceType: Subnet, ResourceId: subnet-1, TrafficType: ALL, LogDestinationType: s3, LogDestination: "arn:aws:s3:::a" } }
`))
	if err != nil {
		t.Fatal(err)
	}
	rep := Explain(tpl)
	cwl := Estimate([]Report{{FlowLogs: rep.FlowLogs[:1]}}, 400, DefaultPrices())
	if got := cwl.FlowLogs[0].Lines[0].USD; !near(got, 5560) {
		t.Errorf("CloudWatch Logs delivery of 12,000 GB = %.2f, want 5560", got)
	}
	s3 := Estimate([]Report{{FlowLogs: rep.FlowLogs[1:]}}, 300, DefaultPrices())
	for _, fl := range s3.FlowLogs {
		if got := fl.Lines[0].USD; !near(got, 1862) || !strings.Contains(fl.Lines[0].Note, "18000 GB") {
			t.Errorf("%s: S3 delivery share %.2f (%s), want 1862", fl.FlowLog, got, fl.Lines[0].Note)
		}
	}
}

// Every price is cited, dated with the table, and marked verified or not.
func TestPriceTable(t *testing.T) {
	p := DefaultPrices()
	if p.Region != "us-east-1" || p.Retrieved == "" || p.Assumptions.DaysPerMonth != 30 {
		t.Fatalf("table header: %+v", p)
	}
	for k, v := range p.Prices {
		if !strings.HasPrefix(v.Source, "https://aws.amazon.com/") || v.What == "" || v.Unit == "" {
			t.Errorf("%s: needs what, unit and an aws.amazon.com source: %+v", k, v)
		}
		if v.USD == 0 && len(v.Tiers) == 0 {
			t.Errorf("%s: no price", k)
		}
	}
	for _, k := range []string{"vended.cwl", "vended.s3", "vended.firehose", "vended.parquet", "firehose.vended", "cwl.storage", "s3.STANDARD", "s3.STANDARD_IA", "s3.GLACIER", "s3.GLACIER_IR", "s3.DEEP_ARCHIVE", "kms.key", "cw.alarm", "cw.metric", "cw.insightrule", "cw.dashboard", "athena.scan", "cwl.insights"} {
		if _, ok := p.Prices[k]; !ok {
			t.Errorf("price %s missing", k)
		}
	}
}

// A Firehose flow log pays vended-log delivery to Firehose and Firehose's own
// ingestion of vended logs: 10 GB a day is 300 GB x ($0.25 + $0.13) = 114.
func TestEstimateFirehose(t *testing.T) {
	tpl, err := Parse("fh.yaml", []byte(`
Resources:
  Log: { Type: AWS::EC2::FlowLog, Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
    LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:111122223333:deliverystream/flow" } }
`))
	if err != nil {
		t.Fatal(err)
	}
	e := Estimate([]Report{Explain(tpl)}, 10, DefaultPrices())
	if l := e.FlowLogs[0].Lines; len(l) != 2 || !near(l[0].USD, 75) || !near(l[1].USD, 39) || !near(e.TotalUSD, 114) || len(e.FlowLogs[0].PerQuery) != 0 {
		t.Errorf("Firehose estimate %+v", e.FlowLogs[0])
	}
}
