package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// On every golden template, every analytics resource of a flow log, and every
// KMS key it uses (its storage's, its alarm topic's), is either priced in the
// monthly lines or listed as not priced with a reason: nothing is left out
// silently.
func TestEstimateCoversEveryAnalyticsResource(t *testing.T) {
	for _, p := range goldens(t) {
		tpl := load(t, p)
		rep := Explain(tpl)
		est := Estimate([]Report{rep}, 10, DefaultPrices())
		for i, fl := range rep.FlowLogs {
			covered := map[string]bool{}
			for _, l := range est.FlowLogs[i].Lines {
				if f := strings.Fields(l.Item); len(f) > 0 {
					covered[f[len(f)-1]] = true // "KMS key Key", "CloudWatch alarm Alarm"
				}
			}
			for _, n := range est.FlowLogs[i].NotPriced {
				if n.Reason == "" {
					t.Errorf("%s %s: %s not priced without a reason", filepath.Base(p), fl.LogicalID, n.Resource)
				}
				covered[n.Resource] = true
			}
			for _, id := range sharedIDs(fl) {
				if !covered[id] {
					t.Errorf("%s %s: %s (%s) is neither priced nor listed as not priced", filepath.Base(p), fl.LogicalID, id, tpl.Resources[id].Type)
				}
			}
		}
	}
}

// The default app's alarm topic and its KMS key are found through the
// alarms: the key is priced, the topic is listed as not priced.
func TestEstimateAlarmTopicAndKey(t *testing.T) {
	tpl, err := Parse("alarms.yaml", []byte(`
Resources:
  Log: { Type: AWS::EC2::FlowLog, Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 600,
    LogGroupName: !Ref Group, DeliverLogsPermissionArn: role } }
  Group: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 30 } }
  Filter: { Type: AWS::Logs::MetricFilter, Properties: { LogGroupName: !Ref Group, FilterPattern: "[]",
    MetricTransformations: [{ MetricNamespace: Flow, MetricName: Rejected, MetricValue: "1" }] } }
  Alarm: { Type: AWS::CloudWatch::Alarm, Properties: { Namespace: Flow, MetricName: Rejected, ComparisonOperator: GreaterThanThreshold,
    Threshold: 1, EvaluationPeriods: 1, AlarmActions: [!Ref Topic] } }
  Topic: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: !GetAtt TopicKey.Arn } }
  TopicKey: { Type: AWS::KMS::Key, Properties: { KeyPolicy: {} } }
`))
	if err != nil {
		t.Fatal(err)
	}
	// 0 GB a day: only the fixed part. Metric $0.30 + alarm $0.10 + key $1.00.
	e := Estimate([]Report{Explain(tpl)}, 0, DefaultPrices())
	fl := e.FlowLogs[0]
	got := map[string]float64{}
	for _, l := range fl.Lines {
		got[l.Item] = l.USD
	}
	for item, usd := range map[string]float64{"custom metric from metric filter Filter": 0.30, "CloudWatch alarm Alarm": 0.10, "KMS key TopicKey": 1.00} {
		if v, ok := got[item]; !ok || !near(v, usd) {
			t.Errorf("%s = %.2f (present %v), want %.2f; lines %+v", item, v, ok, usd, fl.Lines)
		}
	}
	if !near(e.TotalUSD, 1.40) {
		t.Errorf("total %.2f, want 1.40", e.TotalUSD)
	}
	if len(fl.NotPriced) != 1 || fl.NotPriced[0].Resource != "Topic" || !strings.Contains(fl.NotPriced[0].Reason, "SNS") {
		t.Errorf("not priced %+v; want the topic, with SNS's reason", fl.NotPriced)
	}
}

// The cost table's columns line up across every flow log: each line's
// quantity, unit and amount start at the same offsets.
func TestCostTextColumnsAlign(t *testing.T) {
	rep := Explain(load(t, filepath.Join("..", "test", "testdata", "default.template.json")))
	var b bytes.Buffer
	if err := WriteCostText(&b, Estimate([]Report{rep}, 20, DefaultPrices())); err != nil {
		t.Fatal(err)
	}
	dollar := -1
	n := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "  per query") || strings.HasPrefix(line, "  not priced") || strings.HasPrefix(line, "  assumes") || strings.HasPrefix(line, "  unverified") {
			continue
		}
		// The amount column ends where the first "$" after the unit is right-aligned.
		i := strings.Index(line, "$")
		end := i + strings.IndexByte(line[i:]+" ", ' ')
		if dollar < 0 {
			dollar = end
		}
		if end != dollar {
			t.Errorf("amount ends at column %d, want %d:\n%s", end, dollar, line)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d cost lines in\n%s", n, b.String())
	}
}

// A price table must give every analytics type a price or a reason for
// having none.
func TestParsePricesNeedsUnpricedReasons(t *testing.T) {
	var raw map[string]any
	if err := json.Unmarshal(pricesJSON, &raw); err != nil {
		t.Fatal(err)
	}
	delete(raw["unpriced"].(map[string]any), TypeTopic)
	data, _ := json.Marshal(raw)
	if _, err := ParsePrices(data); !errors.Is(err, ErrPriceTable) || !strings.Contains(err.Error(), TypeTopic) {
		t.Errorf("a table without a reason for %s: err = %v", TypeTopic, err)
	}
}
