package review

import (
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func goldens(t *testing.T) []string {
	t.Helper()
	ps, _ := filepath.Glob(filepath.Join("..", "test", "testdata", "*.template.json"))
	if len(ps) == 0 {
		t.Fatal("no golden templates in ../test/testdata")
	}
	return ps
}

func load(t *testing.T, path string) *Template {
	t.Helper()
	tpl, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// Every golden template of the app reviews fully: every flow log's format is
// decoded (transit gateways' with their own, version 6 fields), CloudWatch Logs
// and S3 destinations are resolved to resources of the template, capture
// settings are read, CloudWatch Logs delivery roles are explained, and every
// finding names a rule and a resource of the template. (Whether a golden
// passes is the gates' test: reviewed exceptions live in gates/allowlist.json.)
func TestGoldenTemplates(t *testing.T) {
	total := 0
	for _, p := range goldens(t) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			rep := Explain(load(t, p))
			total += len(rep.FlowLogs)
			tpl := load(t, p)
			for _, f := range rep.Findings {
				if _, ok := RuleByID(f.Rule); !ok || (f.LogicalID != "" && tpl.Resources[f.LogicalID].Type != f.ResourceType) {
					t.Errorf("finding with an unknown rule or resource: %s", f)
				}
				if f.Severity.Blocks() && filepath.Base(p) == "default.template.json" {
					t.Errorf("blocking finding on the default app's template: %s", f)
				}
			}
			for _, fl := range rep.FlowLogs {
				tgw := IsTransitGateway(fl.ResourceType)
				if !fl.Format.Checked || len(fl.Format.Fields) == 0 || fl.Format.Version < 2 || (tgw && fl.Format.Version != 6) {
					t.Errorf("%s: format not decoded: %+v", fl.LogicalID, fl.Format)
				}
				if fl.Destination.Type != DestFirehose && (fl.Destination.ResourceID == "" || len(fl.Storage) != 1) {
					t.Errorf("%s: destination %q not resolved to a resource", fl.LogicalID, fl.Destination.Target)
				}
				if kinds, ok := resourceTypes[fl.ResourceType]; !ok || (fl.ResourceKind != "" && !contains(kinds, fl.ResourceKind)) {
					t.Errorf("%s: resource %s %s (%s)", fl.LogicalID, fl.ResourceType, fl.Resource, fl.ResourceKind)
				}
				if fl.Interval == 0 || (fl.TrafficType == "") != tgw {
					t.Errorf("%s: capture not read: interval %d, traffic %q", fl.LogicalID, fl.Interval, fl.TrafficType)
				}
				if fl.Destination.Type == DestCloudWatchLogs && (fl.Delivery == nil || len(fl.Delivery.Trust) == 0 || len(fl.Delivery.Permissions) == 0) {
					t.Errorf("%s: delivery role not explained: %+v", fl.LogicalID, fl.Delivery)
				}
			}
		})
	}
	if total == 0 {
		t.Error("no flow logs in the golden templates")
	}
	rep := Explain(load(t, filepath.Join("..", "test", "testdata", "s3-parquet-hive-hourly.template.json")))
	d := rep.FlowLogs[0].Destination
	if d.FileFormat != "parquet" || !d.Hive || !d.PerHour || d.OptionsCase != "" {
		t.Errorf("s3-parquet-hive-hourly: destination options %+v", d)
	}
}

type ruleAt struct{ Rule, LogicalID string }

func findingSet(fs []Finding) []ruleAt {
	var out []ruleAt
	for _, f := range fs {
		out = append(out, ruleAt{f.Rule, f.LogicalID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule+out[i].LogicalID < out[j].Rule+out[j].LogicalID })
	return out
}

// A template that is not ours: what aws-cdk-lib's own ec2.FlowLog writes
// (testdata/cdk-ec2-flowlog.js): camelCase DestinationOptions, no aggregation
// interval, an auto-created role without confused-deputy conditions, an
// auto-created bucket without an SSL-only policy or lifecycle.
func TestCDKEc2FlowLogTemplate(t *testing.T) {
	rep := Explain(load(t, filepath.Join("testdata", "cdk-ec2-flowlog.template.json")))
	want := []ruleAt{
		{"PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", "VpcToCloudWatchLogsFlowLog9ABBDE0B"},
		{"PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", "VpcToS3FlowLogD2AD9289"},
		{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "VpcToCloudWatchLogsIAMRole9679F425"},
		{"PROJECT.LOGS_KMS_ENCRYPTION", "VpcToCloudWatchLogsLogGroup9F086EF1"},
		{"PROJECT.LOGS_KMS_ENCRYPTION", "VpcToS3Bucket931E789A"},
		{"PROJECT.S3_BUCKET_SSL_ONLY", "VpcToS3Bucket931E789A"},
		{"PROJECT.S3_LOG_EXPIRATION", "VpcToS3Bucket931E789A"},
	}
	if got := findingSet(rep.Findings); !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	byID := map[string]FlowLogReport{}
	for _, fl := range rep.FlowLogs {
		byID[fl.LogicalID] = fl
	}
	s3 := byID["VpcToS3FlowLogD2AD9289"]
	if d := s3.Destination; d.FileFormat != "parquet" || !d.Hive || !d.PerHour || d.OptionsCase != "camelCase" || d.Prefix != "flow" || d.ResourceID != "VpcToS3Bucket931E789A" {
		t.Errorf("S3 destination: %+v", d)
	}
	if s3.TrafficType != "REJECT" || !s3.Format.Default || s3.Format.Version != 2 || len(s3.Format.Fields) != 14 {
		t.Errorf("S3 flow log: %s, format %+v", s3.TrafficType, s3.Format)
	}
	cwl := byID["VpcToCloudWatchLogsFlowLog9ABBDE0B"]
	if cwl.Delivery == nil || cwl.Delivery.LogicalID != "VpcToCloudWatchLogsIAMRole9679F425" || len(cwl.Delivery.Trust[0].Conditions) != 0 ||
		len(cwl.Delivery.Permissions) != 1 || cwl.Delivery.Permissions[0].Source != "VpcToCloudWatchLogsIAMRoleDefaultPolicy574CD369" {
		t.Errorf("CDK delivery role: %+v", cwl.Delivery)
	}
	if st := cwl.Storage[0]; st.RetentionDays != 731 || st.DeletionPolicy != "Retain" {
		t.Errorf("CDK log group: %+v", st)
	}
}

// The YAML template with short-form tags reads like its JSON equivalent and
// links its analytics.
func TestYAMLTemplate(t *testing.T) {
	rep := Explain(load(t, filepath.Join("testdata", "good.yaml")))
	if len(rep.Findings) != 0 {
		t.Errorf("good.yaml has findings: %v", rep.Findings)
	}
	if len(rep.FlowLogs) != 2 {
		t.Fatalf("%d flow logs", len(rep.FlowLogs))
	}
	cwl, s3 := rep.FlowLogs[0], rep.FlowLogs[1]
	if cwl.Resource != "${Vpc}" || cwl.Destination.Target != "${LogGroup}" || cwl.Delivery.LogicalID != "DeliveryRole" {
		t.Errorf("intrinsics not resolved: %+v", cwl)
	}
	wantConds := []string{
		"ArnLike aws:SourceArn = arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*",
		"StringEquals aws:SourceAccount = ${AWS::AccountId}",
	}
	if got := cwl.Delivery.Trust[0].Conditions; !reflect.DeepEqual(got, wantConds) {
		t.Errorf("trust conditions %q", got)
	}
	var linked []string
	for _, a := range cwl.Analytics {
		linked = append(linked, a.LogicalID)
	}
	// Linked by Ref (filter, query), by metric name (alarm), by the log group's
	// name inside a rule body (insight rule).
	if want := []string{"RejectedByPort", "RejectedSsh", "RejectedSshAlarm", "TopTalkers"}; !reflect.DeepEqual(linked, want) {
		t.Errorf("analytics %v, want %v", linked, want)
	}
	// Linked by Sub (table), from the table (database), by the database's
	// literal name (saved query), from the query (workgroup).
	linked = nil
	for _, a := range s3.Analytics {
		linked = append(linked, a.LogicalID)
	}
	if want := []string{"Database", "RejectedQuery", "Table", "WorkGroup"}; !reflect.DeepEqual(linked, want) {
		t.Errorf("S3 analytics %v, want %v", linked, want)
	}
	last := s3.Format.Fields[len(s3.Format.Fields)-1]
	if last.Name != "instance-tag" || last.Version != 11 || last.TagKey != "team" || s3.Format.Version != 11 {
		t.Errorf("v11 tag field: %+v (format v%d)", last, s3.Format.Version)
	}
	if pol := cwl.Storage[0].Policy; len(pol) != 1 || pol[0].Source != "LogGroupReaders" || pol[0].Principal != "AWS arn:${AWS::Partition}:iam::${AWS::AccountId}:role/SecurityAudit" ||
		strings.Join(pol[0].Actions, ",") != "logs:GetLogEvents,logs:FilterLogEvents" {
		t.Errorf("log group resource policy: %+v", pol)
	}
	if s3.Destination.Prefix != "flow/" || s3.Storage[0].KMSKey != "Key" || s3.Storage[0].Lifecycle.ExpirationDays != 365 {
		t.Errorf("S3 destination %+v storage %+v", s3.Destination, s3.Storage[0])
	}
}

// Weakening the good template one thing at a time gives exactly the expected
// new findings and exactly the expected --base changes.
func TestWeakenOneThingAtATime(t *testing.T) {
	props := func(tpl *Template, id string) map[string]any { return tpl.Resources[id].Properties }
	stmt := func(doc any, i int) map[string]any {
		return doc.(map[string]any)["Statement"].([]any)[i].(map[string]any)
	}
	setRes := func(tpl *Template, id string, f func(*Resource)) {
		r := tpl.Resources[id]
		f(&r)
		tpl.Resources[id] = r
	}
	for _, tc := range []struct {
		name     string
		mutate   func(*Template)
		findings []ruleAt
		changes  []string // kinds, in order
	}{
		{"capture narrowed to REJECT", func(tpl *Template) { props(tpl, "CwlFlowLog")["TrafficType"] = "REJECT" },
			nil, []string{KindCaptureNarrowed}},
		{"fields removed", func(tpl *Template) {
			props(tpl, "S3FlowLog")["LogFormat"] = "${version} ${srcaddr} ${dstaddr} ${action} ${log-status}"
		}, nil, []string{KindFieldsRemoved}},
		{"flow log removed", func(tpl *Template) { delete(tpl.Resources, "S3FlowLog") },
			nil, []string{KindFlowLogRemoved}},
		{"trust condition dropped", func(tpl *Template) {
			delete(stmt(props(tpl, "DeliveryRole")["AssumeRolePolicyDocument"], 0)["Condition"].(map[string]any), "ArnLike")
		}, []ruleAt{{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole"}}, []string{KindTrustDropped}},
		{"retention shortened", func(tpl *Template) { props(tpl, "LogGroup")["RetentionInDays"] = 30.0 },
			nil, []string{KindRetentionShortened}},
		{"retention removed", func(tpl *Template) { delete(props(tpl, "LogGroup"), "RetentionInDays") },
			[]ruleAt{{"PROJECT.LOG_GROUP_RETENTION", "LogGroup"}}, []string{KindRetentionLengthened}},
		{"log group deleted with the stack", func(tpl *Template) { setRes(tpl, "LogGroup", func(r *Resource) { r.DeletionPolicy = "Delete" }) },
			[]ruleAt{{"PROJECT.LOGS_DELETED_WITH_STACK", "LogGroup"}}, []string{KindDeletionPolicy}},
		{"log group encryption removed", func(tpl *Template) { delete(props(tpl, "LogGroup"), "KmsKeyId") },
			[]ruleAt{{"PROJECT.LOGS_KMS_ENCRYPTION", "LogGroup"}}, []string{KindEncryptionRemoved}},
		{"bucket encryption downgraded to SSE-S3", func(tpl *Template) {
			props(tpl, "Bucket")["BucketEncryption"] = map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}
		}, []ruleAt{{"PROJECT.LOGS_KMS_ENCRYPTION", "Bucket"}}, []string{KindEncryptionRemoved}},
		{"SSL-only deny removed", func(tpl *Template) {
			doc := props(tpl, "BucketPolicy")["PolicyDocument"].(map[string]any)
			doc["Statement"] = doc["Statement"].([]any)[1:]
		}, []ruleAt{{"PROJECT.S3_BUCKET_SSL_ONLY", "Bucket"}}, nil},
		{"interval coarser", func(tpl *Template) { props(tpl, "CwlFlowLog")["MaxAggregationInterval"] = 600.0 },
			nil, []string{KindIntervalCoarser}},
		{"interval AWS rejects", func(tpl *Template) { props(tpl, "CwlFlowLog")["MaxAggregationInterval"] = 120.0 },
			[]ruleAt{{"PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", "CwlFlowLog"}}, []string{KindIntervalCoarser}},
		{"bucket expiration shortened", func(tpl *Template) {
			rule := props(tpl, "Bucket")["LifecycleConfiguration"].(map[string]any)["Rules"].([]any)[0].(map[string]any)
			rule["ExpirationInDays"] = 60.0
		}, nil, []string{KindRetentionShortened}},
		{"log delivery conditions dropped", func(tpl *Template) {
			s := stmt(props(tpl, "BucketPolicy")["PolicyDocument"], 1)
			s["Condition"] = map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control"}}
		}, []ruleAt{{"PROJECT.LOG_DELIVERY_CONFUSED_DEPUTY", "BucketPolicy"}}, []string{KindDeliveryDropped}},
		{"role may write anywhere", func(tpl *Template) {
			pol := props(tpl, "DeliveryRole")["Policies"].([]any)[0].(map[string]any)
			stmt(pol["PolicyDocument"], 0)["Resource"] = "*"
		}, []ruleAt{{"PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole"}}, []string{KindPermissionsWidened}}, // "*" covers the log group: nothing is narrowed
		{"role may do any logs action", func(tpl *Template) {
			pol := props(tpl, "DeliveryRole")["Policies"].([]any)[0].(map[string]any)
			stmt(pol["PolicyDocument"], 0)["Action"] = "logs:*"
		}, nil, []string{KindPermissionsWidened}},
		{"anyone may assume the delivery role", func(tpl *Template) {
			stmt(props(tpl, "DeliveryRole")["AssumeRolePolicyDocument"], 0)["Principal"] = "*"
		}, []ruleAt{{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole"}}, []string{KindTrustWidened}},
		{"a second trust statement lets AWS * assume the delivery role", func(tpl *Template) {
			doc := props(tpl, "DeliveryRole")["AssumeRolePolicyDocument"].(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sts:AssumeRole"})
		}, []ruleAt{{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole"}}, []string{KindTrustWidened}},
		{"trust conditions only if present", func(tpl *Template) {
			c := stmt(props(tpl, "DeliveryRole")["AssumeRolePolicyDocument"], 0)["Condition"].(map[string]any)
			c["StringEqualsIfExists"], c["ArnLikeIfExists"] = c["StringEquals"], c["ArnLike"]
			delete(c, "StringEquals")
			delete(c, "ArnLike")
		}, []ruleAt{{"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole"}}, []string{KindTrustUnpinned}},
		{"log delivery may write anywhere in the bucket", func(tpl *Template) {
			stmt(props(tpl, "BucketPolicy")["PolicyDocument"], 1)["Resource"] = map[string]any{"Fn::Sub": "${Bucket.Arn}/*"}
		}, nil, []string{KindAccessWidened}},
		{"anyone may read the bucket", func(tpl *Template) {
			doc := props(tpl, "BucketPolicy")["PolicyDocument"].(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": map[string]any{"Fn::Sub": "${Bucket.Arn}/*"}})
		}, []ruleAt{{"PROJECT.FLOW_LOGS_NOT_PUBLIC", "BucketPolicy"}}, []string{KindAccessWidened}},
		{"role may write to every resource but one", func(tpl *Template) {
			pol := props(tpl, "DeliveryRole")["Policies"].([]any)[0].(map[string]any)
			st := stmt(pol["PolicyDocument"], 0)
			delete(st, "Resource")
			st["NotResource"] = "arn:aws:logs:us-east-1:111122223333:log-group:other"
		}, []ruleAt{{"PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole"}}, []string{KindPermissionsWidened}}, // NotResource covers the log group
		{"retention CloudWatch Logs rejects", func(tpl *Template) { props(tpl, "LogGroup")["RetentionInDays"] = 366.0 },
			[]ruleAt{{"PROJECT.LOG_GROUP_RETENTION", "LogGroup"}}, nil}, // never in force: no retention change either way
		{"log group deleted on replacement", func(tpl *Template) {
			setRes(tpl, "LogGroup", func(r *Resource) { r.UpdateReplacePolicy = "Delete" })
		}, nil, []string{KindReplacePolicy}},
		{"unknown format field", func(tpl *Template) {
			props(tpl, "CwlFlowLog")["LogFormat"] = "${version} ${src-addr}"
		}, []ruleAt{{"FLOWLOG.FORMAT", "CwlFlowLog"}}, []string{KindFieldsRemoved}},
		{"traffic type AWS rejects", func(tpl *Template) { props(tpl, "CwlFlowLog")["TrafficType"] = "EVERYTHING" },
			[]ruleAt{{"PROJECT.FLOW_LOG_TRAFFIC_TYPE", "CwlFlowLog"}}, []string{KindCaptureNarrowed}},
		{"bucket versioning suspended", func(tpl *Template) {
			props(tpl, "Bucket")["VersioningConfiguration"] = map[string]any{"Status": "Suspended"}
		},
			nil, []string{KindProtectionRemoved}},
		{"another reader of the log group", func(tpl *Template) {
			props(tpl, "LogGroupReaders")["PolicyDocument"] = map[string]any{"Fn::Sub": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/SecurityAudit"},"Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"${LogGroup.Arn}"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"logs:GetLogEvents","Resource":"${LogGroup.Arn}"}]}`}
		}, []ruleAt{{"PROJECT.FLOW_LOGS_NOT_PUBLIC", "LogGroupReaders"}}, []string{KindAccessWidened}},
		{"destination moved to another log group", func(tpl *Template) { props(tpl, "CwlFlowLog")["LogGroupName"] = "/other" },
			nil, []string{KindDestinationChanged}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := load(t, filepath.Join("testdata", "good.yaml"))
			head := load(t, filepath.Join("testdata", "good.yaml"))
			tc.mutate(head)
			d := Compare(base, head)
			if got := findingSet(d.NewFindings); !reflect.DeepEqual(got, tc.findings) {
				t.Errorf("new findings %v, want %v", got, tc.findings)
			}
			var kinds []string
			weak := false
			for _, c := range d.Changes {
				kinds = append(kinds, c.Kind)
				weak = weak || c.Weakening
			}
			if !reflect.DeepEqual(kinds, tc.changes) {
				t.Errorf("changes %v, want %v:\n%v", kinds, tc.changes, d.Changes)
			}
			if tc.name != "destination moved to another log group" && !d.Weakened(SeverityMedium) && !weak {
				t.Errorf("not reported as a weakening: %+v", d)
			}
			if len(d.ResolvedFindings) != 0 {
				t.Errorf("resolved findings %v", d.ResolvedFindings)
			}
			// And back: the reverse comparison resolves the findings and weakens nothing new.
			back := Compare(head, base)
			if got := findingSet(back.ResolvedFindings); !reflect.DeepEqual(got, tc.findings) {
				t.Errorf("reverse: resolved %v, want %v", got, tc.findings)
			}
			for _, c := range back.Changes {
				if c.Weakening {
					t.Errorf("reverse: the fix is reported as a weakening: %+v", c)
				}
			}
			if back.Weakened(SeverityInfo) {
				t.Errorf("reverse: Weakened = true; want false (undoing a weakening weakens nothing)")
			}
		})
	}
}

// Logical IDs that change (a construct moved) still pair flow logs by what
// they log and where to.
func TestCompareMatchesRenamedFlowLogs(t *testing.T) {
	base := load(t, filepath.Join("testdata", "good.yaml"))
	head := load(t, filepath.Join("testdata", "good.yaml"))
	head.Resources["RenamedCwlFlowLog"] = head.Resources["CwlFlowLog"]
	delete(head.Resources, "CwlFlowLog")
	head.Resources["RenamedCwlFlowLog"].Properties["TrafficType"] = "ACCEPT"
	d := Compare(base, head)
	if len(d.Changes) != 1 || d.Changes[0].Kind != KindCaptureNarrowed || d.Changes[0].FlowLog != "RenamedCwlFlowLog" || d.Changes[0].BaseID != "CwlFlowLog" ||
		!strings.Contains(d.Changes[0].Message, "REJECT traffic is no longer logged") {
		t.Errorf("changes %+v", d.Changes)
	}
}

func TestLiteralAndShow(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
		ok   bool
	}{
		{"${version} ${srcaddr}", "${version} ${srcaddr}", true},
		{map[string]any{"Fn::Join": []any{" ", []any{"${version}", "${srcaddr}"}}}, "${version} ${srcaddr}", true},
		{map[string]any{"Fn::Join": []any{"", []any{"${version} ", map[string]any{"Fn::Join": []any{"", []any{"${srcaddr}"}}}}}}, "${version} ${srcaddr}", true},
		{map[string]any{"Ref": "Format"}, "", false},
		{map[string]any{"Fn::Join": []any{" ", []any{"${version}", map[string]any{"Ref": "X"}}}}, "", false},
		{42.0, "", false},
		// Fn::Sub without variables, and with variables of literal values.
		{map[string]any{"Fn::Sub": "arn:aws:s3:::bucket"}, "arn:aws:s3:::bucket", true},
		{map[string]any{"Fn::Sub": []any{"arn:aws:s3:::bucket", map[string]any{}}}, "arn:aws:s3:::bucket", true},
		{map[string]any{"Fn::Sub": "${!version} ${!srcaddr}"}, "${version} ${srcaddr}", true},
		{map[string]any{"Fn::Sub": []any{"arn:aws:s3:::${B}/${P}", map[string]any{"B": "logs", "P": map[string]any{"Fn::Sub": "flow"}}}}, "arn:aws:s3:::logs/flow", true},
		{map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::Sub": "a"}, "b"}}}, "ab", true},
		{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::bucket"}, "", false},
		{map[string]any{"Fn::Sub": "${Bucket.Arn}"}, "", false},
		{map[string]any{"Fn::Sub": []any{"${B}", map[string]any{"B": map[string]any{"Ref": "X"}}}}, "", false},
		{map[string]any{"Fn::Sub": []any{"${B}", map[string]any{}}}, "", false},
		{map[string]any{"Fn::Sub": []any{"x"}}, "", false},
		{map[string]any{"Fn::Sub": "x", "Ref": "y"}, "", false},
	} {
		got, ok := Literal(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Literal(%v) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		in   any
		want string
	}{
		{map[string]any{"Ref": "AWS::AccountId"}, "${AWS::AccountId}"},
		{map[string]any{"Fn::GetAtt": []any{"Bucket", "Arn"}}, "${Bucket.Arn}"},
		{map[string]any{"Fn::GetAtt": "Bucket.Arn"}, "${Bucket.Arn}"},
		{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/x"}, "arn:${AWS::Partition}:s3:::${Bucket}/x"},
		{map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{"B", "Arn"}}, "/p"}}}, "${B.Arn}/p"},
		{60.0, "60"},
	} {
		if got := Show(tc.in); got != tc.want {
			t.Errorf("Show(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Targets(map[string]any{"Fn::Sub": []any{"${Bucket.Arn}/${Prefix}/${AWS::Region}", map[string]any{"Prefix": map[string]any{"Ref": "P"}}}}); !reflect.DeepEqual(got, []string{"Bucket", "P"}) {
		t.Errorf("Targets of Fn::Sub = %v", got)
	}
}

func TestYAMLShortForms(t *testing.T) {
	tpl, err := Parse("t.yaml", []byte(`
Resources:
  X:
    Type: AWS::EC2::FlowLog
    Properties:
      A: !Ref Vpc
      B: !GetAtt Role.Arn
      C: !GetAtt [Role, Arn]
      D: !Sub "arn:${AWS::Partition}:s3:::b"
      E: !Join ["", [a, !Ref B]]
      F: 60
      G: !Select [0, !GetAZs ""]
`))
	if err != nil {
		t.Fatal(err)
	}
	p := tpl.Resources["X"].Properties
	want := map[string]any{
		"A": map[string]any{"Ref": "Vpc"},
		"B": map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}},
		"C": map[string]any{"Fn::GetAtt": []any{"Role", "Arn"}},
		"D": map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::b"},
		"E": map[string]any{"Fn::Join": []any{"", []any{"a", map[string]any{"Ref": "B"}}}},
		"F": 60.0,
		"G": map[string]any{"Fn::Select": []any{0.0, map[string]any{"Fn::GetAZs": ""}}},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got %#v", p)
	}
	if _, err := Parse("bad.yaml", []byte("Resources:\n  X: !Bogus y\n")); err == nil {
		t.Error("unknown tag accepted")
	}
	if _, err := Parse("none.json", []byte(`{"AWSTemplateFormatVersion": "2010-09-09"}`)); err == nil {
		t.Error("template without Resources accepted")
	}
}

func TestLoadDirectory(t *testing.T) {
	ts, err := Load(filepath.Join("..", "gates", "testdata", "fixtures"))
	if err != nil || len(ts) != 1 {
		t.Fatalf("Load(fixtures) = %d, %v", len(ts), err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("empty directory accepted")
	}
}

// A log group whose logical ID changed is a destination change (CloudFormation
// replaces it), not a new grant: the delivery role's permissions on
// ${LogGroupX.Arn} compare as the same as on ${LogGroup.Arn}.
func TestCompareRenamedLogGroupIsNoNewGrant(t *testing.T) {
	base := load(t, filepath.Join("testdata", "good.yaml"))
	head := variant(t, "  LogGroup:\n", "  LogGroupX:\n", "Resource: !GetAtt LogGroup.Arn", "Resource: !GetAtt LogGroupX.Arn",
		"      LogGroupName: !Ref LogGroup\n      DeliverLogsPermissionArn", "      LogGroupName: !Ref LogGroupX\n      DeliverLogsPermissionArn")
	d := Compare(base, head)
	for _, c := range d.Changes {
		if c.Weakening || c.Kind == KindPermissionsWidened || c.Kind == KindPermissionsNarrowed {
			t.Errorf("renamed log group: %+v", c)
		}
	}
}
