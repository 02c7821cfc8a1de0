package review

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A policy part written with Fn::If is reviewed with both branches: a
// finding if either branch has it, and a weakening against the base if
// either branch grants what the base did not. (These templates once gave 0
// findings and 0 changes: the Fn::If was dropped.)
func TestFnIfPolicyPartsAreCheckedWithBothBranches(t *testing.T) {
	base := load(t, filepath.Join("testdata", "fnif-base.yaml"))
	for _, tc := range []struct {
		file, rule, id, change string
	}{
		{"fnif-trust-principal.yaml", "PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", KindTrustWidened},
		{"fnif-trust-statement.yaml", "PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", KindTrustWidened},
		{"fnif-bucket-principal.yaml", "PROJECT.FLOW_LOGS_NOT_PUBLIC", "BucketPolicy", KindAccessWidened},
		{"fnif-resource.yaml", "PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole", KindPermissionsWidened},
		{"fnif-action.yaml", "PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole", KindPermissionsWidened},
		// A Ref to a parameter is checked with each of its AllowedValues.
		{"fnif-parameter.yaml", "PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole", KindPermissionsWidened},
	} {
		t.Run(tc.file, func(t *testing.T) {
			head := load(t, filepath.Join("testdata", tc.file))
			if got := findingSet(Explain(head).Findings); !slices.Contains(got, ruleAt{tc.rule, tc.id}) {
				t.Errorf("findings %v, want %s on %s", got, tc.rule, tc.id)
			}
			d := Compare(base, head)
			if !d.Weakened(SeverityMedium) {
				t.Errorf("not a weakening against the base: %+v", d)
			}
			var kinds []string
			for _, c := range d.Changes {
				kinds = append(kinds, c.Kind)
			}
			if !slices.Contains(kinds, tc.change) {
				t.Errorf("changes %v, want %s", kinds, tc.change)
			}
		})
	}
}

// The whole Principal, or the whole document, under Fn::If.
func TestFnIfOnWholePrincipalAndDocument(t *testing.T) {
	service := map[string]any{"Service": "vpc-flow-logs.amazonaws.com"}
	for name, mutate := range map[string]func(doc map[string]any){
		"principal": func(doc map[string]any) {
			st := doc["Statement"].([]any)[0].(map[string]any)
			st["Principal"] = map[string]any{"Fn::If": []any{"IsX", "*", service}}
		},
		"condition": func(doc map[string]any) {
			st := doc["Statement"].([]any)[0].(map[string]any)
			st["Condition"] = map[string]any{"Fn::If": []any{"IsX", st["Condition"], map[string]any{"Ref": "AWS::NoValue"}}}
		},
		"statement list": func(doc map[string]any) {
			open := []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sts:AssumeRole"}}
			doc["Statement"] = map[string]any{"Fn::If": []any{"IsX", doc["Statement"], open}}
		},
		"document": func(doc map[string]any) {
			open := map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}}
			whole := map[string]any{}
			for k, v := range doc {
				whole[k] = v
			}
			for k := range doc {
				delete(doc, k)
			}
			doc["Fn::If"] = []any{"IsX", open, whole}
		},
	} {
		t.Run(name, func(t *testing.T) {
			head := load(t, filepath.Join("testdata", "fnif-base.yaml"))
			mutate(head.Resources["DeliveryRole"].Properties["AssumeRolePolicyDocument"].(map[string]any))
			if got := findingSet(Explain(head).Findings); !slices.Contains(got, ruleAt{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole"}) {
				t.Errorf("findings %v, want the confused-deputy finding", got)
			}
		})
	}
}

// A statement with more forms than review evaluates is taken as the broadest
// statement (fail closed), and its path says why.
func TestFnIfBeyondTheBoundFailsClosed(t *testing.T) {
	head := load(t, filepath.Join("testdata", "fnif-base.yaml"))
	pol := head.Resources["DeliveryRole"].Properties["Policies"].([]any)[0].(map[string]any)
	st := pol["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)
	var actions []any
	for i := range 7 { // 2^7 = 128 forms
		actions = append(actions, map[string]any{"Fn::If": []any{"IsX", fmt.Sprintf("logs:A%d", i), "logs:PutLogEvents"}})
	}
	st["Action"] = actions
	var hit bool
	for _, f := range Explain(head).Findings {
		if f.Rule == "PROJECT.IAM_NO_WILDCARD_RESOURCE" && f.LogicalID == "DeliveryRole" && strings.Contains(f.Message, "cannot be evaluated") {
			hit = true
		}
	}
	if !hit {
		t.Errorf("no finding for a statement beyond the bound: %v", Explain(head).Findings)
	}
	sts := Statements(pol["PolicyDocument"], "PolicyDocument")
	if len(sts) != 1 || !sts[0].Unevaluable || !sts[0].Principal.Everyone() || sts[0].Actions[0] != "*" {
		t.Errorf("statements %+v, want one Unevaluable, taken as Allow * to *", sts)
	}
}

func TestAlternatives(t *testing.T) {
	noValue := map[string]any{"Ref": "AWS::NoValue"}
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"x", `["x"]`},
		{map[string]any{"Fn::If": []any{"C", "a", "b"}}, `["a","b"]`},
		{map[string]any{"Fn::If": []any{"C", "a", "a"}}, `["a"]`},
		{[]any{"a", map[string]any{"Fn::If": []any{"C", "b", noValue}}}, `[["a","b"],["a"]]`},
		{map[string]any{"K": map[string]any{"Fn::If": []any{"C", "v", noValue}}, "L": "w"}, `[{"K":"v","L":"w"},{"L":"w"}]`},
	} {
		got, ok := alternatives(tc.in, maxAlternatives)
		b, _ := json.Marshal(got)
		if s := string(b); !ok || s != tc.want {
			t.Errorf("alternatives(%v) = %s, %v; want %s", Show(tc.in), s, ok, tc.want)
		}
	}
	var many []any
	for range 7 {
		many = append(many, map[string]any{"Fn::If": []any{"C", "a", "b"}})
	}
	if _, ok := alternatives(many, maxAlternatives); ok {
		t.Error("128 forms within the bound of 64")
	}
}

// RetentionInDays from Fn::If or a parameter with AllowedValues counts as its
// shortest value and shows every value; it was shown as NEVER EXPIRES, so
// 365 -> !If [IsX, 365, 1] read as "retention lengthened".
func TestRetentionAlternatives(t *testing.T) {
	base := load(t, filepath.Join("testdata", "good.yaml"))
	head := load(t, filepath.Join("testdata", "fnif-retention.yaml"))
	d := Compare(base, head)
	var got []string
	for _, c := range d.Changes {
		got = append(got, c.Kind+": "+c.Message)
	}
	if len(d.Changes) != 1 || d.Changes[0].Kind != KindRetentionShortened || !d.Changes[0].Weakening || !strings.Contains(d.Changes[0].Message, "365 days -> 1 or 365 days") {
		t.Errorf("changes %q, want retention shortened 365 days -> 1 or 365 days", got)
	}
	if line := storageLine(Explain(head).FlowLogs[0].Storage[0]); !strings.Contains(line, "retention 1 or 365 days") {
		t.Errorf("storage line %q", line)
	}

	param := load(t, filepath.Join("testdata", "good.yaml"))
	param.Parameters = map[string]any{"Days": map[string]any{"Type": "Number", "AllowedValues": []any{"30", "365"}}}
	param.Resources["LogGroup"].Properties["RetentionInDays"] = map[string]any{"Ref": "Days"}
	if d := Compare(base, param); len(d.Changes) != 1 || d.Changes[0].Kind != KindRetentionShortened {
		t.Errorf("parameter 30 or 365: changes %+v, want retention shortened", d.Changes)
	}

	unknown := load(t, filepath.Join("testdata", "good.yaml"))
	unknown.Resources["LogGroup"].Properties["RetentionInDays"] = map[string]any{"Fn::ImportValue": "days"}
	if d := Compare(base, unknown); len(d.Changes) != 1 || d.Changes[0].Kind != KindRetentionShortened || !d.Changes[0].Weakening {
		t.Errorf("import: changes %+v, want retention (may be) shortened", d.Changes)
	}
}

// An S3 LogDestination joined from an imported bucket name is shown as
// written and checked only where it is known: the import is not a prefix
// (it was reported as the S3 prefix {"Fn::ImportValue"...}, an error).
func TestS3DestinationFromAnImport(t *testing.T) {
	imp := map[string]any{"Fn::ImportValue": "bucket-name"}
	for _, tc := range []struct {
		parts  []any
		prefix string
		error  bool
	}{
		{[]any{"arn:aws:s3:::", imp}, "", false},
		{[]any{"arn:aws:s3:::", imp, "/flow/"}, "flow/", false},
		{[]any{"arn:aws:s3:::", imp, "/AWSLogs/"}, "AWSLogs/", true},
		{[]any{"arn:aws:s3:::bucket/", imp}, `{"Fn::ImportValue":"bucket-name"}`, false},
	} {
		tpl := load(t, filepath.Join("testdata", "good.yaml"))
		tpl.Resources["S3FlowLog"].Properties["LogDestination"] = map[string]any{"Fn::Join": []any{"", tc.parts}}
		rep := Explain(tpl)
		var prefix string
		for _, fl := range rep.FlowLogs {
			if fl.LogicalID == "S3FlowLog" {
				prefix = fl.Destination.Prefix
			}
		}
		got := slices.Contains(findingSet(rep.Findings), ruleAt{"PROJECT.FLOW_LOG_DESTINATION", "S3FlowLog"})
		if prefix != tc.prefix || got != tc.error {
			t.Errorf("%s: prefix %q, error %v; want %q, %v", Show(tc.parts), prefix, got, tc.prefix, tc.error)
		}
	}
}

// A bucket lifecycle rule's ExpirationInDays from Fn::If counts as the
// shortest branch (it was read as no expiration at all).
func TestBucketExpirationAlternatives(t *testing.T) {
	base := load(t, filepath.Join("testdata", "fnif-base.yaml"))
	head := load(t, filepath.Join("testdata", "fnif-base.yaml"))
	rule := head.Resources["Bucket"].Properties["LifecycleConfiguration"].(map[string]any)["Rules"].([]any)[0].(map[string]any)
	rule["ExpirationInDays"] = map[string]any{"Fn::If": []any{"IsX", rule["ExpirationInDays"], 1.0}}
	if lc := BucketLifecycle(head.Resources["Bucket"]); lc.ExpirationDays != 1 || len(lc.Transitions) != len(BucketLifecycle(base.Resources["Bucket"]).Transitions) {
		t.Errorf("lifecycle %+v, want expiration 1 and the base's transitions", lc)
	}
	if d := Compare(base, head); len(d.Changes) != 1 || d.Changes[0].Kind != KindRetentionShortened {
		t.Errorf("changes %+v, want retention shortened", d.Changes)
	}
}
