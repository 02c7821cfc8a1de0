package main

import (
	"encoding/json"
	"github.com/seed-e6b90e5a/vpc-flow-logs/gates"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	goldenDefault = "../../test/testdata/default.template.json"
	goodYAML      = "../../review/testdata/good.yaml"
	cdkTemplate   = "../../review/testdata/cdk-ec2-flowlog.template.json"
)

func TestReviewHelpAndUsage(t *testing.T) {
	out, _, code := runCmd(t, "", "review", "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Exit status:") || !strings.Contains(out, "--base") {
		t.Errorf("--help: %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"review"},
		{"review", "--cost", "lots", goldenDefault},
		{"review", "--strict=severe", goldenDefault},
		{"review", "--json", "--markdown", goldenDefault},
		{"review", "--base", goldenDefault},
		{"review", "does-not-exist.json"},
		{"review", "../../go.mod"},
	} {
		if _, errOut, code := runCmd(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestReviewGoldenText(t *testing.T) {
	out, _, code := runCmd(t, "", "review", "--strict", goldenDefault)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"default.template.json: 2 flow logs, 2 findings (0 error, 0 high, 0 medium, 0 low, 2 info)",
		"FlowLogsCloudWatchLogsFlowLog6B1F2F95: flow log on VPC ${NetworkVpc7FB7348F} (AWS::EC2::VPC)",
		"capture      ALL traffic, 600 s aggregation",
		"log-status                 v2",
		"trust      Allow service vpc-flow-logs.amazonaws.com sts:AssumeRole if ArnLike aws:SourceArn",
		"log group    FlowLogsCloudWatchLogsLogGroup76FFAF4B: retention 365 days",
		"the same fields as FlowLogsCloudWatchLogsFlowLog6B1F2F95",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	// The default profile has info findings (no customer managed key): --strict=info fails.
	if _, errOut, code := runCmd(t, "", "review", "--strict=info", goldenDefault); code != 1 || !strings.Contains(errOut, "2 finding(s) of severity info") {
		t.Errorf("--strict=info: exit %d, %q", code, errOut)
	}
}

func TestReviewNotOursJSONAndMarkdown(t *testing.T) {
	out, _, code := runCmd(t, "", "review", "--json", "--strict=high", cdkTemplate)
	if code != 1 {
		t.Errorf("--strict=high on CDK's ec2.FlowLog template: exit %d, want 1", code)
	}
	var doc struct {
		Reports []struct {
			FlowLogs []struct {
				LogicalID   string `json:"logicalId"`
				Destination struct {
					OptionsCase string `json:"optionsCase"`
				} `json:"destination"`
			} `json:"flowLogs"`
			Findings []struct {
				Rule     string `json:"rule"`
				Severity string `json:"severity"`
			} `json:"findings"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if len(doc.Reports) != 1 || len(doc.Reports[0].FlowLogs) != 2 || doc.Reports[0].FlowLogs[1].Destination.OptionsCase != "camelCase" {
		t.Errorf("JSON report: %+v", doc)
	}
	high := 0
	for _, f := range doc.Reports[0].Findings {
		if f.Severity == "high" {
			high++
		}
	}
	if high != 2 {
		t.Errorf("%d high findings, want 2 (role trust, bucket SSL): %+v", high, doc.Reports[0].Findings)
	}
	md, _, code := runCmd(t, "", "review", "--markdown", "--cost", "5", cdkTemplate)
	for _, want := range []string{"### `flowlog review` of", "| high | `PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY` |", "<details><summary>14 fields</summary>", "### Estimated monthly cost (estimate, not a quote)", "| | **total** |"} {
		if code != 0 || !strings.Contains(md, want) {
			t.Errorf("markdown (exit %d) lacks %q\n%s", code, want, md)
		}
	}
}

func TestReviewBaseAndCost(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(goodYAML)
	if err != nil {
		t.Fatal(err)
	}
	weak := strings.Replace(string(src), "RetentionInDays: 365", "RetentionInDays: 30", 1)
	weak = strings.Replace(weak, "      TrafficType: ALL\n      MaxAggregationInterval: 60", "      TrafficType: REJECT\n      MaxAggregationInterval: 60", 1)
	head := filepath.Join(dir, "head.yaml")
	if err := os.WriteFile(head, []byte(weak), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, "", "review", "--strict", "--cost", "10", "--base", goodYAML, head)
	if code != 1 || !strings.Contains(errOut, "weakens") {
		t.Errorf("--strict --base on a weakening: exit %d, %q", code, errOut)
	}
	for _, want := range []string{
		"2 posture changes (2 weakening), 0 new findings, 0 resolved findings",
		"WEAKER   CwlFlowLog: capture narrowed from ALL to REJECT: ACCEPT traffic is no longer logged",
		"WEAKER   CwlFlowLog: retention shortened on log group LogGroup: 365 days -> 30 days",
		// Only the log group's storage changes (the volume is the flag's): 10 GB x 0.15
		// x 30 days x $0.03 = 1.35 instead of 16.425, so 257.1298 - 15.075 = 242.0548.
		"estimated monthly cost at 10 GB/day per flow log: $257.13 -> $242.05 (-15.08)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	// No change: exit 0 even with --strict.
	if out, _, code := runCmd(t, "", "review", "--strict", "--base", goodYAML, goodYAML); code != 0 || !strings.Contains(out, "0 posture changes") {
		t.Errorf("identical templates: exit %d\n%s", code, out)
	}
	out, _, code = runCmd(t, "", "review", "--cost", "10", goodYAML)
	if code != 0 || !strings.Contains(out, "ESTIMATE, not a quote: us-east-1 list prices of") || !strings.Contains(out, "total: $257.13 a month for 2 flow logs") {
		t.Errorf("--cost: exit %d\n%s", code, out)
	}
}

// --prices takes another Region's table in prices.json's format.
func TestReviewOtherPriceTable(t *testing.T) {
	data, err := os.ReadFile("../../review/prices.json")
	if err != nil {
		t.Fatal(err)
	}
	var table map[string]any
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	table["region"] = "eu-west-1"
	prices := table["prices"].(map[string]any)
	cwl := prices["vended.cwl"].(map[string]any)
	cwl["tiers"] = []any{map[string]any{"usd": 1.0}} // one flat tier, to see it used
	dir := t.TempDir()
	p := filepath.Join(dir, "eu-west-1.json")
	out, _ := json.Marshal(table)
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	got, errOut, code := runCmd(t, "", "review", "--prices", p, "--cost", "10", "../../test/testdata/cloudwatch-only.template.json")
	// 300 GB x $1.00 delivery + 10 x 0.15 x 731 days x $0.03 storage = 300 + 32.895 (32.89 in binary floating point).
	if code != 0 || !strings.Contains(got, "ESTIMATE, not a quote: eu-west-1 list prices") || !strings.Contains(got, "total: $332.89 a month") {
		t.Errorf("--prices: exit %d %s\n%s", code, errOut, got)
	}
	delete(prices, "kms.key")
	out, _ = json.Marshal(table)
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCmd(t, "", "review", "--prices", p, "--cost", "10", goldenDefault); code != 2 || !strings.Contains(errOut, "no price for kms.key") {
		t.Errorf("incomplete table: exit %d, %q", code, errOut)
	}
}

// --base with two directories pairs templates by file name; a template that
// is gone removes its flow logs.
func TestReviewBaseDirectories(t *testing.T) {
	base, head := t.TempDir(), t.TempDir()
	for _, name := range []string{"default.template.json", "cloudwatch-only.template.json"} {
		data, err := os.ReadFile(filepath.Join("../../test/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(base, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if name == "default.template.json" {
			data = []byte(strings.Replace(string(data), `"RetentionInDays": 365`, `"RetentionInDays": 7`, 1))
			if err := os.WriteFile(filepath.Join(head, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, _, code := runCmd(t, "", "review", "--strict", "--base", base, head)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"WEAKER   FlowLogsCloudWatchLogsFlowLog6B1F2F95: retention shortened on log group FlowLogsCloudWatchLogsLogGroup76FFAF4B: 365 days -> 7 days",
		"cloudwatch-only.template.json -> (none): 1 posture change (1 weakening)",
		"WEAKER   FlowLogsCloudWatchLogsFlowLog6B1F2F95: flow log on VPC ${NetworkVpc7FB7348F} to cloud-watch-logs -> ${FlowLogsCloudWatchLogsLogGroup76FFAF4B} removed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}

// `flowlog review --strict --allowlist` gives the gates' project-gate
// verdict on each template: exit 1 exactly when gates.CheckProjectRules has a
// blocking finding that the allowlist does not cover. The goldens pass,
// CDK's own ec2.FlowLog template (with findings) fails, so both verdicts are
// compared.
func TestReviewAllowlistIsTheGatesVerdict(t *testing.T) {
	goldens, _ := filepath.Glob("../../test/testdata/*.template.json")
	paths := append(goldens, "../../review/testdata/cdk-ec2-flowlog.template.json")
	verdicts := map[int]int{}
	for _, p := range paths {
		fs, err := gates.CheckProjectRules([]string{p})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, f := range fs {
			if f.Blocks() {
				want = 1
			}
		}
		verdicts[want]++
		if _, errOut, code := runCmd(t, "", "review", "--strict", "--allowlist", p); code != want {
			t.Errorf("%s: review --strict --allowlist exit %d, the project gate's verdict %d: %s", p, code, want, errOut)
		}
	}
	if verdicts[0] == 0 || verdicts[1] == 0 {
		t.Errorf("verdicts %v: want templates that pass and templates that fail", verdicts)
	}
	out, _, _ := runCmd(t, "", append([]string{"review", "--allowlist", "--json"}, paths...)...)
	if strings.Contains(out, `"allowed": true`) && !strings.Contains(out, `"allowReason": "`) {
		t.Error("allowed finding without its reason")
	}
}

// Every usage error of review says what is wrong and what is allowed, in one
// line that says "flowlog review:" once; flags may follow the templates.
func TestReviewUsageMessages(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"review"}, "flowlog review: no template given: name template files or directories"},
		{[]string{"review", "--base", goodYAML}, "flowlog review: --base OLD needs the NEW template"},
		{[]string{"review", "--base", goodYAML, goodYAML, goldenDefault}, "flowlog review: --base OLD compares with exactly one NEW template or directory, not 2"},
		{[]string{"review", goodYAML, "--base", goodYAML, goodYAML}, "flowlog review: --base OLD compares with exactly one NEW template or directory, not 2"},
		{[]string{"review", "--strict=severe", goodYAML}, "flowlog review: --strict: unknown severity \"severe\" (want one of"},
		{[]string{"review", "--strict=", goodYAML}, "flowlog review: --strict: unknown severity \"\" (want one of"},
		{[]string{"review", "--cost", "NaN", goodYAML}, "flowlog review: --cost \"NaN\": want GB of flow-log records per day from 0 to 1000000"},
		{[]string{"review", "--cost", "1e300", goodYAML}, "flowlog review: --cost \"1e300\": want GB"},
		{[]string{"review", "--cost", "Inf", goodYAML}, "flowlog review: --cost \"Inf\": want GB"},
		{[]string{"review", "--cost=", goodYAML}, "flowlog review: --cost \"\": want GB"},
		{[]string{"review", "../../go.mod"}, "flowlog review: ../../go.mod: not a CloudFormation template"},
		{[]string{"review", "--prices", "../../go.mod", goodYAML}, "flowlog review: --prices: bad price table"},
	} {
		_, errOut, code := runCmd(t, "", c.args...)
		if code != 2 || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "review:") != 1 || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line starting %q", c.args, code, errOut, c.want)
		}
	}
	// Flags after the template apply.
	if out, _, code := runCmd(t, "", "review", goodYAML, "--json"); code != 0 || !strings.HasPrefix(out, "{") {
		t.Errorf("review TEMPLATE --json: exit %d, output %.40q", code, out)
	}
}
