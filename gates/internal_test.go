package gates

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTemplatesInFindsNestedAssemblies(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"A.template.json", "assembly-Stage/B.template.json", "B.assets.json", "manifest.json", "A.nested.template.json"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := TemplatesIn(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "A.nested.template.json"),
		filepath.Join(dir, "A.template.json"),
		filepath.Join(dir, "assembly-Stage/B.template.json"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TemplatesIn = %v, want %v", got, want)
	}
}

func TestTidyGuardMessage(t *testing.T) {
	in := "\n        [CT.S3.PR.8]: Require that Amazon S3 bucket requests use Secure Sockets Layer\n        [FIX]: Configure a deny statement.\n        "
	if got, want := tidyGuardMessage(in), "Require that Amazon S3 bucket requests use Secure Sockets Layer Fix: Configure a deny statement."; got != want {
		t.Errorf("tidyGuardMessage = %q, want %q", got, want)
	}
}

func TestCfnDocURL(t *testing.T) {
	if got, want := cfnDocURL("AWS::EC2::FlowLog"), "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html"; got != want {
		t.Errorf("cfnDocURL = %q, want %q", got, want)
	}
	if got := cfnDocURL("Custom::VpcRestrictDefaultSG"); got != "" {
		t.Errorf("cfnDocURL(Custom::...) = %q, want empty", got)
	}
}

func TestAccessLogTargetPredicate(t *testing.T) {
	tpl := &template{Resources: map[string]resource{
		"Logs":  {Type: "AWS::S3::Bucket"},
		"Data":  {Type: "AWS::S3::Bucket", Properties: map[string]any{"LoggingConfiguration": map[string]any{"DestinationBucketName": map[string]any{"Ref": "Logs"}}}},
		"Other": {Type: "AWS::S3::Bucket"},
	}}
	p := allowPredicates["s3-access-log-target"]
	if !p(tpl, "Logs") || p(tpl, "Data") || p(tpl, "Other") {
		t.Error("s3-access-log-target must hold for Logs only")
	}
}

func TestFirehoseDestinationGivenByARNPredicate(t *testing.T) {
	fl := func(props map[string]any) resource { return resource{Type: "AWS::EC2::FlowLog", Properties: props} }
	tpl := &template{Resources: map[string]resource{
		"CrossAccount": fl(map[string]any{"LogDestinationType": "kinesis-data-firehose", "DeliverCrossAccountRole": "arn:aws:iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole",
			"LogDestination": "arn:aws:firehose:eu-west-1:222222222222:deliverystream/s"}),
		"GivenARN":    fl(map[string]any{"LogDestinationType": "kinesis-data-firehose", "LogDestination": "arn:aws:firehose:eu-west-1:111111111111:deliverystream/s"}),
		"OwnStream":   fl(map[string]any{"LogDestinationType": "kinesis-data-firehose", "LogDestination": map[string]any{"Fn::GetAtt": []any{"Stream", "Arn"}}}),
		"S3GivenARN":  fl(map[string]any{"LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::bucket"}),
		"CWLWithRole": fl(map[string]any{"DeliverCrossAccountRole": "arn:aws:iam::222222222222:role/x", "LogGroupName": "g"}),
		"NotAFlowLog": {Type: "AWS::IAM::Role", Properties: map[string]any{"LogDestinationType": "kinesis-data-firehose", "DeliverCrossAccountRole": "x"}},
	}}
	p := allowPredicates["firehose-destination-given-by-arn"]
	for id, want := range map[string]bool{"CrossAccount": true, "GivenARN": true, "OwnStream": false, "S3GivenARN": false, "CWLWithRole": false, "NotAFlowLog": false} {
		if got := p(tpl, id); got != want {
			t.Errorf("firehose-destination-given-by-arn(%s) = %v, want %v", id, got, want)
		}
	}
}

// A rules file that does not parse makes the guard gate fail loudly: cfn-guard
// would otherwise report PASS for the rules it could read.
func TestGuardRejectsUnparsableRules(t *testing.T) {
	tools := requireTools(t)
	bad := *tools
	bad.ControlTowerRules = t.TempDir()
	for p, body := range map[string]string{
		"metadata/s3/broken.metadata.json": `{"Id": "CT.S3.PR.99", "DisplayName": "broken", "Severity": "LOW", "EvaluatedResourceTypes": ["AWS::S3::Bucket"]}`,
		"cfn-guard/s3/broken.guard":        "rule BROKEN when Resources exists { Resources.*[ Type == \n",
	} {
		full := filepath.Join(bad.ControlTowerRules, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, _ := TemplatesIn(fixtureDir)
	if _, err := runGuard(&bad, paths); err == nil {
		t.Fatal("runGuard accepted a rules file that does not parse")
	} else {
		t.Logf("as expected: %v", err)
	}
}

// A project rule filed under the guard gate (where it ran before the rules
// moved to Go) is refused with a message that says what to write instead.
func TestAllowListRefusesProjectRulesUnderGuard(t *testing.T) {
	_, err := parseAllowList([]byte(`[{"gate": "guard", "rule": "PROJECT.IAM_NO_WILDCARD_RESOURCE", "resourceType": "AWS::IAM::Policy", "logicalId": "^X$", "reason": "r", "doc": "https://docs.aws.amazon.com/"}]`))
	if err == nil || !strings.Contains(err.Error(), `use "gate": "project"`) {
		t.Errorf("err = %v", err)
	}
}
