package review

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// yamlBomb returns a "billion laughs" template: levels anchors, each a list
// of ten aliases of the one before, so the last expands to 10^levels values.
func yamlBomb(levels int) []byte {
	var b strings.Builder
	b.WriteString("Resources:\n  Bomb:\n    Type: AWS::S3::Bucket\n    Metadata:\n")
	b.WriteString("      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "      l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n",
			i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return []byte(b.String())
}

// A YAML alias bomb fails fast, names the input, and allocates little: nine
// levels would expand to 10^9 values (gigabytes) without the budget.
func TestYAMLAliasBomb(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse("bomb.yaml", yamlBomb(9))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "bomb.yaml") || !strings.Contains(err.Error(), "alias") {
		t.Fatalf("err = %v; want ErrTooLarge naming bomb.yaml and aliases", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 256<<20 {
		t.Errorf("allocated %d MB on the bomb; want it bounded (< 256 MB)", alloc>>20)
	}
	t.Logf("a 10^9-value alias bomb fails after allocating %.1f MB", float64(alloc)/(1<<20))
	// Aliases that do not multiply the document are fine.
	ok := "Base: &b {Type: AWS::S3::Bucket}\nResources:\n  A: *b\n  B: *b\n"
	if _, err := Parse("ok.yaml", []byte(ok)); err != nil {
		t.Errorf("plain aliases: %v", err)
	}
}

// An input larger than MaxTemplateBytes is refused before it is parsed, and
// ReadFile reads no more of it than the limit.
func TestTemplateSizeLimit(t *testing.T) {
	big := append([]byte(`{"Resources": {}, "Pad": "`), bytes.Repeat([]byte("x"), MaxTemplateBytes)...)
	big = append(big, `"}`...)
	if _, err := Parse("big.json", big); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "big.json") {
		t.Fatalf("Parse: err = %v; want ErrTooLarge naming big.json", err)
	}
	p := filepath.Join(t.TempDir(), "big.template.json")
	if err := os.WriteFile(p, big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadFile: err = %v; want ErrTooLarge", err)
	}
	if _, err := Load(filepath.Dir(p)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Load of a directory with a too-large template: err = %v; want ErrTooLarge", err)
	}
}

// A key written twice in a mapping is an error naming the key and where it
// is, in JSON as in YAML: CloudFormation rejects such a template.
func TestDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ name, doc, want string }{
		{"top.json", `{"Resources": {}, "Resources": {}}`, `duplicate key "Resources" in the top level`},
		{"prop.json", `{"Resources": {"Log": {"Type": "AWS::EC2::FlowLog", "Properties": {"TrafficType": "ALL", "TrafficType": "REJECT"}}}}`,
			`duplicate key "TrafficType" in Resources.Log.Properties`},
		{"list.json", `{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Effect": "Deny"}]}}}}}`,
			`duplicate key "Effect" in Resources.P.Properties.PolicyDocument.Statement[0]`},
		{"top.yaml", "Resources: {}\nResources: {}\n", `duplicate key "Resources" in the top level`},
		{"prop.yaml", "Resources:\n  Log:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      TrafficType: ALL\n      TrafficType: REJECT\n",
			`line 6: duplicate key "TrafficType" in Resources.Log.Properties`},
		{"sub.yaml", "Resources:\n  R:\n    Type: X\n    Properties:\n      A: !Sub\n        - x\n        - {V: 1, V: 2}\n",
			`duplicate key "V" in Resources.R.Properties.A.Fn::Sub[1]`},
	} {
		_, err := Parse(c.name, []byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: err = %v; want it to name the file and say %s", c.name, err, c.want)
		}
	}
	// The same keys once each are fine, and JSON decodes as encoding/json does.
	tpl, err := Parse("ok.json", []byte(`{"Resources": {"Log": {"Type": "AWS::EC2::FlowLog", "Properties": {"MaxAggregationInterval": 60, "Tags": []}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v := tpl.Resources["Log"].Properties["MaxAggregationInterval"]; v != float64(60) {
		t.Errorf("MaxAggregationInterval = %#v; want float64 60", v)
	}
	if _, err := Parse("trailing.json", []byte(`{"Resources": {}} {}`)); err == nil {
		t.Error("data after the template: no error")
	}
}

// An Fn::Sub without variables, as a string or with an empty map, is a
// literal: the flow log's destination resolves to the bucket or log group
// that names itself so, and the S3 prefix and an escaped LogFormat decode.
func TestFnSubLiterals(t *testing.T) {
	tpl, err := Parse("sub.json", []byte(`{"Resources": {
  "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "flow-bucket"}},
  "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "flow-group", "RetentionInDays": 30}},
  "ToS3": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceType": "VPC", "ResourceId": "vpc-1", "TrafficType": "ALL",
    "MaxAggregationInterval": 600, "LogDestinationType": "s3",
    "LogDestination": {"Fn::Sub": "arn:aws:s3:::flow-bucket/logs/"},
    "LogFormat": {"Fn::Sub": "${!version} ${!srcaddr} ${!dstaddr}"}}},
  "ToCWL": {"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceType": "VPC", "ResourceId": "vpc-1", "TrafficType": "ALL",
    "MaxAggregationInterval": 600, "LogGroupName": {"Fn::Sub": ["flow-group", {}]}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	rep := Explain(tpl)
	got := map[string]FlowLogReport{}
	for _, fl := range rep.FlowLogs {
		got[fl.LogicalID] = fl
	}
	if d := got["ToS3"].Destination; d.ResourceID != "Bucket" || d.Prefix != "logs/" {
		t.Errorf("ToS3 destination = %+v; want Bucket with prefix logs/", d)
	}
	if f := got["ToS3"].Format; f.Error != "" || len(f.Fields) != 3 {
		t.Errorf("ToS3 format = %+v; want 3 decoded fields", f)
	}
	if d := got["ToCWL"].Destination; d.ResourceID != "Group" {
		t.Errorf("ToCWL destination = %+v; want Group", d)
	}
}

// A template nested deeper than MaxNestingDepth fails fast with an error
// naming the input and allocating little, in JSON as in YAML: a
// 100,000-deep [[...]] of 200 KB once took 4 GB (a path string per level).
// Nesting up to the limit parses, and a duplicate key still names its path.
func TestNestingDepthLimit(t *testing.T) {
	const deep = 100_000
	nested := func(open, close string, n int) []byte {
		return []byte(`{"Resources": {}, "Deep": ` + strings.Repeat(open, n) + strings.Repeat(close, n) + `}`)
	}
	for _, c := range []struct {
		name string
		doc  []byte
	}{
		{"deep.json", nested("[", "]", deep)},
		{"deepmap.json", []byte(`{"Resources": {}, "Deep": ` + strings.Repeat(`{"a": `, deep) + `1` + strings.Repeat("}", deep) + `}`)},
		{"deep.yaml", []byte("Resources: {}\nDeep: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n")},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Parse(c.name, c.doc)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: err = %v; want an error naming the input", c.name, err)
			continue
		}
		if len(err.Error()) > 300 {
			t.Errorf("%s: a %d-character error; want the path cut short", c.name, len(err.Error()))
		}
		if strings.HasSuffix(c.name, ".json") && !errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: err = %v; want ErrTooDeep", c.name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MB; want < 64 MB", c.name, alloc>>20)
		}
	}
	okDepth := MaxNestingDepth - 2
	for name, doc := range map[string]string{
		"ok.json": string(nested("[", "]", okDepth)),
		"ok.yaml": "Resources: {}\nDeep: " + strings.Repeat("[", okDepth) + strings.Repeat("]", okDepth) + "\n",
	} {
		if _, err := Parse(name, []byte(doc)); err != nil {
			t.Errorf("%s nested %d deep: %v", name, okDepth, err)
		}
	}
	yamlDeep := "Resources: {}\nDeep: " + strings.Repeat("[", MaxNestingDepth+5) + strings.Repeat("]", MaxNestingDepth+5) + "\n"
	if _, err := Parse("d.yaml", []byte(yamlDeep)); !errors.Is(err, ErrTooDeep) || !strings.Contains(err.Error(), "d.yaml") {
		t.Errorf("YAML nested %d deep: err = %v; want ErrTooDeep naming d.yaml", MaxNestingDepth+5, err)
	}
}
