package test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/contributorinsights"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/insightsqueries"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// analyticsOptions sets every analytics setting away from its default (a golden variant).
var analyticsOptions = map[string]any{
	"stackName": "FlowLogsProd", "logFormat": customFormat,
	"analytics":                "athena,logs-insights,contributor-insights,alarms",
	"investigations":           "top-talkers,rejected-by-dst-port,traffic-from-address",
	"athenaBytesScannedCutoff": "50000000",
	"contributorInsightsState": "DISABLED",
	"alarms":                   `{"rejected":{"threshold":500,"period":600,"evaluationPeriods":2},"nodata":"off","accepted-bytes":{"threshold":1000000000}}`,
	"alarmEmails":              "secops@example.com, noc@example.com",
}

// analyticsTypes are the resource types only the analytics create.
var analyticsTypes = []string{
	"AWS::Glue::Database", "AWS::Glue::Table", "AWS::Athena::WorkGroup", "AWS::Athena::NamedQuery",
	"AWS::Logs::QueryDefinition", "AWS::CloudWatch::InsightRule", "AWS::Logs::MetricFilter",
	"AWS::CloudWatch::Alarm", "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription",
	"AWS::CloudWatch::Dashboard",
}

func mustSelect(t *testing.T, f flowlog.Format, names ...string) []investigations.Investigation {
	t.Helper()
	invs, err := investigations.Select(f, names...)
	if err != nil {
		t.Fatal(err)
	}
	return invs
}

func withoutParams(invs []investigations.Investigation) []investigations.Investigation {
	return slices.DeleteFunc(slices.Clone(invs), func(inv investigations.Investigation) bool { return len(inv.Params()) > 0 })
}

// TestAnalyticsResources: the default app answers questions about both destinations, one
// resource per catalogue entry the default format supports.
func TestAnalyticsResources(t *testing.T) {
	s := synthApp(t, nil)
	all := mustSelect(t, flowlog.DefaultFormat())
	for typ, n := range map[string]int{
		"AWS::Glue::Database":          1,
		"AWS::Glue::Table":             1,
		"AWS::Athena::WorkGroup":       1,
		"AWS::Athena::NamedQuery":      len(all),
		"AWS::Logs::QueryDefinition":   len(withoutParams(all)),
		"AWS::CloudWatch::InsightRule": 3, // top talkers, rejected traffic, rejected ports
		"AWS::Logs::MetricFilter":      len(investigations.Counters()),
		"AWS::CloudWatch::Alarm":       4, // rejected SSH/RDP, rejected, NODATA, SKIPDATA
		"AWS::SNS::Topic":              1,
		"AWS::SNS::Subscription":       0,
		"AWS::CloudWatch::Dashboard":   1,
		"AWS::KMS::Key":                1, // for the topic and the query results
		"AWS::S3::Bucket":              3, // flow logs, access logs, query results
	} {
		check(t, func() { s.template.ResourceCountIs(jsii.String(typ), jsii.Number(n)) })
	}
	if len(all) < 15 {
		t.Errorf("the default format supports only %d investigations", len(all))
	}
}

// TestAnalyticsOffIsTodaysStack: analytics=off leaves exactly the stack without analytics.
func TestAnalyticsOffIsTodaysStack(t *testing.T) {
	off := synthApp(t, map[string]any{"analytics": "off"})
	for _, typ := range append(analyticsTypes, "AWS::KMS::Key") {
		check(t, func() { off.template.ResourceCountIs(jsii.String(typ), jsii.Number(0)) })
	}
	check(t, func() { off.template.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(2)) })
	// The analytics add resources and change none, but for the access-log bucket's policy,
	// which lets the results bucket log its access there too.
	def := synthApp(t, nil)
	for id, r := range off.json["Resources"].(map[string]any) {
		d, ok := def.json["Resources"].(map[string]any)[id]
		switch {
		case !ok:
			t.Errorf("analytics=off has %s, which the default app lacks", id)
		case !strings.HasPrefix(id, "FlowLogsS3BucketAccessLogsBucketPolicy") && !reflect.DeepEqual(r, d):
			t.Errorf("the analytics change %s", id)
		}
	}
}

// resolve turns a template value into a string, with Refs to pseudo parameters and resources
// written as placeholders, so rendered strings can be compared with the libraries' output.
func resolve(v any, refs map[string]string) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			if r, ok := refs[ref]; ok {
				return r
			}
			return "<" + ref + ">"
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			var b strings.Builder
			for i, part := range j[1].([]any) {
				if i > 0 {
					b.WriteString(j[0].(string))
				}
				b.WriteString(resolve(part, refs))
			}
			return b.String()
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func onlyResource(t *testing.T, s synthesized, typ string) (string, map[string]any) {
	t.Helper()
	rs := resourcesOfType(s, typ)
	if len(rs) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(rs), typ)
	}
	for id, r := range rs {
		return id, r["Properties"].(map[string]any)
	}
	return "", nil
}

func refByPrefix(s synthesized, typ, prefix string) string {
	for id := range resourcesOfType(s, typ) {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}

// TestGlueTableIsTheAthenaPackagesTable: the table in the template is exactly what package
// athena derives from the variant's format and key layout (columns, SerDe, projection), and the
// projection covers the layout with no crawler or partition Lambda.
func TestGlueTableIsTheAthenaPackagesTable(t *testing.T) {
	for _, tc := range []struct {
		variant string
		layout  s3layout.Layout
		want    map[string]string // projection parameters the layout needs, spelled out
	}{
		{"default", s3layout.Layout{}, map[string]string{
			"projection.enabled": "true", "projection.date.type": "date", "projection.date.format": "yyyy/MM/dd",
			"projection.aws_account_id.values": "ACCOUNT", "projection.aws_region.values": "REGION",
			"storage.location.template": "s3://BUCKET/AWSLogs/${aws_account_id}/vpcflowlogs/${aws_region}/${date}/",
			"skip.header.line.count":    "1",
		}},
		{"s3-parquet-hive-hourly", s3layout.Layout{Prefix: "flow-logs/prod", Hive: true, PerHour: true, Parquet: true}, map[string]string{
			"projection.enabled": "true", "projection.hour.type": "integer", "projection.hour.range": "0,23", "projection.hour.digits": "2",
			"storage.location.template": "s3://BUCKET/flow-logs/prod/AWSLogs/aws-account-id=${aws_account_id}/aws-service=vpcflowlogs/" +
				"aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/hour=${hour}/",
		}},
	} {
		t.Run(tc.variant, func(t *testing.T) {
			s := synthApp(t, goldenVariantContext(t, tc.variant))
			cfg := s.stack.Config()
			want, err := athena.NewTable(cfg.LogFormat, tc.layout, "BUCKET", []string{"ACCOUNT"}, []string{"REGION"})
			if err != nil {
				t.Fatal(err)
			}
			_, props := onlyResource(t, s, "AWS::Glue::Table")
			refs := map[string]string{"AWS::AccountId": "ACCOUNT", "AWS::Region": "REGION"}
			for id := range resourcesOfType(s, "AWS::S3::Bucket") {
				if regexp.MustCompile(`^FlowLogsS3Bucket[0-9A-F]{8}$`).MatchString(id) {
					refs[id] = "BUCKET"
				}
			}
			in := props["TableInput"].(map[string]any)
			got := map[string]string{}
			for k, v := range in["Parameters"].(map[string]any) {
				got[k] = resolve(v, refs)
			}
			if !maps.Equal(got, want.Parameters) {
				t.Errorf("table parameters\n got  %v\n want %v", got, want.Parameters)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("parameter %s = %q, want %q", k, got[k], v)
				}
			}
			if in["TableType"] != "EXTERNAL_TABLE" {
				t.Errorf("TableType %v", in["TableType"])
			}
			sd := in["StorageDescriptor"].(map[string]any)
			if resolve(sd["Location"], refs) != want.Location || sd["SerdeInfo"].(map[string]any)["SerializationLibrary"] != want.SerDe ||
				sd["InputFormat"] != want.InputFormat || sd["OutputFormat"] != want.OutputFormat {
				t.Errorf("storage descriptor %v, want location %s, SerDe %s", sd, want.Location, want.SerDe)
			}
			for which, pair := range map[string]struct {
				got  any
				want []athena.Column
			}{"columns": {sd["Columns"], want.Columns}, "partition keys": {in["PartitionKeys"], want.PartitionKeys}} {
				cols := pair.got.([]any)
				if len(cols) != len(pair.want) {
					t.Fatalf("%s: %d, want %d", which, len(cols), len(pair.want))
				}
				for i, c := range cols {
					cm := c.(map[string]any)
					if cm["Name"] != pair.want[i].Name || cm["Type"] != pair.want[i].Type {
						t.Errorf("%s[%d] = %v %v, want %s %s", which, i, cm["Name"], cm["Type"], pair.want[i].Name, pair.want[i].Type)
					}
				}
			}
			// Text columns follow the format's order.
			for i, f := range cfg.LogFormat.Fields() {
				if name := sd["Columns"].([]any)[i].(map[string]any)["Name"]; name != f.Column() {
					t.Errorf("column %d is %v, the format's field %d is %s", i, name, i, f.Column())
				}
			}
			for _, typ := range []string{"AWS::Glue::Crawler", "AWS::Lambda::Permission", "AWS::Events::Rule"} {
				check(t, func() { s.template.ResourceCountIs(jsii.String(typ), jsii.Number(0)) })
			}
		})
	}
}

// TestAthenaWorkGroup: enforced settings, the per-query scan limit from context, engine v3,
// results encrypted with the customer managed key into the results bucket.
func TestAthenaWorkGroup(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context map[string]any
		cutoff  float64
		wgName  string
	}{
		{"default", nil, flowlogsathena.DefaultBytesScannedCutoff, "VpcFlowLogs"},
		{"from context", analyticsOptions, 50_000_000, "FlowLogsProd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := synthApp(t, tc.context)
			check(t, func() {
				s.template.HasResourceProperties(jsii.String("AWS::Athena::WorkGroup"), map[string]any{
					"Name": tc.wgName, "State": "ENABLED",
					"WorkGroupConfiguration": map[string]any{
						"EnforceWorkGroupConfiguration":   true,
						"BytesScannedCutoffPerQuery":      tc.cutoff,
						"PublishCloudWatchMetricsEnabled": true,
						"EngineVersion":                   map[string]any{"SelectedEngineVersion": "Athena engine version 3"},
						"ResultConfiguration": map[string]any{
							"EncryptionConfiguration": map[string]any{"EncryptionOption": "SSE_KMS",
								"KmsKey": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^AnalyticsKey")), "Arn"}}},
							"OutputLocation": map[string]any{"Fn::Join": []any{"", []any{"s3://",
								map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AthenaResultsBucket"))}, "/athena-results/"}}},
							"ExpectedBucketOwner": map[string]any{"Ref": "AWS::AccountId"},
						},
					},
				})
			})
		})
	}
}

// TestAthenaResultsBucketIsHardened: the results bucket is hardened like the flow-log bucket
// (logbucket), encrypted with the analytics key, logs its access to the access-log bucket and
// expires results after 30 days.
func TestAthenaResultsBucketIsHardened(t *testing.T) {
	s := synthApp(t, nil)
	check(t, func() {
		s.template.HasResource(jsii.String("AWS::S3::Bucket"), map[string]any{
			"DeletionPolicy": "Retain",
			"Properties": map[string]any{
				"PublicAccessBlockConfiguration": map[string]any{
					"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
				"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{map[string]any{
					"BucketKeyEnabled": true,
					"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms",
						"KMSMasterKeyID": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^AnalyticsKey")), "Arn"}}},
				}}},
				"OwnershipControls": map[string]any{"Rules": []any{map[string]any{"ObjectOwnership": "BucketOwnerEnforced"}}},
				"LifecycleConfiguration": map[string]any{"Rules": []any{map[string]any{
					"Id": "FlowLogRetention", "Status": "Enabled", "ExpirationInDays": 30,
					"NoncurrentVersionExpiration":    map[string]any{"NoncurrentDays": 30},
					"AbortIncompleteMultipartUpload": map[string]any{"DaysAfterInitiation": 7},
				}}},
				"LoggingConfiguration": map[string]any{
					"DestinationBucketName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsS3BucketAccessLogsBucket"))},
					"LogFilePrefix":         "s3-access-logs/",
				},
				// The hardened profile's settings in both profiles (Control Tower CT.S3.PR.4, 9, 11).
				"VersioningConfiguration":   map[string]any{"Status": "Enabled"},
				"ObjectLockEnabled":         true,
				"NotificationConfiguration": map[string]any{"EventBridgeConfiguration": map[string]any{"EventBridgeEnabled": true}},
			},
		})
	})
	resultsID := refByPrefix(s, "AWS::S3::Bucket", "AthenaResultsBucket")
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
			"Bucket": map[string]any{"Ref": resultsID},
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Effect": "Deny", "Action": "s3:*", "Principal": map[string]any{"AWS": "*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})})},
		})
	})
	// The results bucket's key lets log delivery do nothing: only CloudWatch (for the topic) and
	// the account are in its policy.
	_, key := onlyResource(t, s, "AWS::KMS::Key")
	if containsValue(key["KeyPolicy"], "delivery.logs.amazonaws.com") {
		t.Error("the analytics key lets log delivery use it")
	}
	// Hardened: versioned, Object Lock, EventBridge, the hardened profile's one key.
	h := synthApp(t, map[string]any{"hardened": "true", "logFormat": "security", "maxAggregationInterval": "60"})
	check(t, func() { h.template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1)) })
	check(t, func() {
		h.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"ObjectLockEnabled": true, "VersioningConfiguration": map[string]any{"Status": "Enabled"},
			"LifecycleConfiguration": map[string]any{"Rules": []any{assertions.Match_ObjectLike(&map[string]any{"ExpirationInDays": 30})}},
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{assertions.Match_ObjectLike(&map[string]any{
				"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms",
					"KMSMasterKeyID": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^LogsKey")), "Arn"}}},
			})}},
		})
	})
}

// TestNamedQueriesAreTheCatalogue: one named query per investigation the format supports (or per
// investigation named in context), in the workgroup, with the catalogue's SQL read over a
// default window of days (flowlogsathena.DefaultQueryWindowDays).
func TestNamedQueriesAreTheCatalogue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context map[string]any
		table   string
		names   []string
	}{
		{"default", nil, "vpcflowlogs.flow_logs", nil},
		{"custom format", goldenVariantContext(t, "custom-format"), "vpcflowlogs.flow_logs", nil},
		{"all fields", goldenVariantContext(t, "all-fields"), "vpcflowlogs.flow_logs", nil},
		{"named in context", analyticsOptions, "flowlogsprod.flow_logs", []string{"top-talkers", "rejected-by-dst-port", "traffic-from-address"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := synthApp(t, tc.context)
			f := s.stack.Config().LogFormat
			invs := mustSelect(t, f, tc.names...)
			queries := resourcesOfType(s, "AWS::Athena::NamedQuery")
			if len(queries) != len(invs) {
				t.Errorf("%d named queries, want %d (investigations.Select)", len(queries), len(invs))
			}
			wg := refByPrefix(s, "AWS::Athena::WorkGroup", "AthenaWorkGroup")
			byName := map[string]map[string]any{}
			for _, q := range queries {
				p := q["Properties"].(map[string]any)
				byName[p["Name"].(string)] = p
				if ref, _ := p["WorkGroup"].(map[string]any)["Ref"].(string); ref != wg {
					t.Errorf("query %v is in workgroup %v, want %s", p["Name"], p["WorkGroup"], wg)
				}
			}
			for _, inv := range invs {
				p, ok := byName[inv.Name]
				if !ok {
					t.Errorf("no named query %s", inv.Name)
					continue
				}
				window, err := athena.Table{Layout: s3layout.Layout{Hive: s.stack.Config().S3HiveCompatiblePartitions}}.RecentDaysPredicate(flowlogsathena.DefaultQueryWindowDays)
				if err != nil {
					t.Fatal(err)
				}
				sql, err := inv.AthenaSQLWhere(tc.table, f, window)
				if err != nil {
					t.Fatal(err)
				}
				if p["QueryString"] != sql || p["Database"] != strings.Split(tc.table, ".")[0] {
					t.Errorf("query %s: %v in %v, want the catalogue's SQL in %s", inv.Name, p["QueryString"], p["Database"], tc.table)
				}
			}
		})
	}
	// Every query reads a window of days by default, on the layout's date partition columns, and
	// its description says so.
	for variant, want := range map[string][2]string{
		"default":                {`"date" >= date_format(current_date - INTERVAL '7' DAY`, `by the condition on "date"`},
		"s3-parquet-hive-hourly": {`concat("year", '/', "month", '/', "day") >= date_format(current_date - INTERVAL '7' DAY`, `by the condition on "year", "month", "day"`},
	} {
		v := synthApp(t, goldenVariantContext(t, variant))
		check(t, func() {
			v.template.AllResourcesProperties(jsii.String("AWS::Athena::NamedQuery"), map[string]any{
				"QueryString": assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(want[0]))),
				"Description": assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta("Reads today's objects and those of the 7 days before (UTC), " + want[1] + "; widen or drop it to read more."))),
			})
		})
	}
	// A parameterised query keeps Athena's '?' placeholder.
	s := synthApp(t, analyticsOptions)
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::Athena::NamedQuery"), map[string]any{
			"Name": "traffic-from-address", "QueryString": assertions.Match_StringLikeRegexp(jsii.String(`\?`)),
			"Description": assertions.Match_StringLikeRegexp(jsii.String("Parameters, in order: srcaddr")),
		})
	})
}

// TestQueryDefinitionsAreScopedToTheLogGroup: every saved Logs Insights query is in the
// vpc-flow-logs folder, scoped to the flow-log group, with the catalogue's query.
func TestQueryDefinitionsAreScopedToTheLogGroup(t *testing.T) {
	for _, v := range []struct {
		name    string
		context map[string]any
	}{{"default", nil}, {"custom format", analyticsOptions}} {
		t.Run(v.name, func(t *testing.T) {
			s := synthApp(t, v.context)
			f := s.stack.Config().LogFormat
			names := s.stack.Config().Analytics.Investigations
			var want []investigations.Investigation
			if names == nil {
				want = withoutParams(mustSelect(t, f))
			} else {
				want = withoutParams(mustSelect(t, f, names...))
			}
			defs := resourcesOfType(s, "AWS::Logs::QueryDefinition")
			if len(defs) != len(want) || len(want) == 0 {
				t.Errorf("%d query definitions, want %d", len(defs), len(want))
			}
			lg := refByPrefix(s, "AWS::Logs::LogGroup", "FlowLogsCloudWatchLogsLogGroup")
			got := map[string]string{}
			for id, d := range defs {
				p := d["Properties"].(map[string]any)
				groups, _ := p["LogGroupNames"].([]any)
				if len(groups) != 1 || groups[0].(map[string]any)["Ref"] != lg {
					t.Errorf("%s: LogGroupNames %v, want the flow-log group %s only", id, p["LogGroupNames"], lg)
				}
				got[p["Name"].(string)] = p["QueryString"].(string)
			}
			for _, inv := range want {
				q, err := inv.InsightsQuery(f)
				if err != nil {
					t.Fatal(err)
				}
				if got[insightsqueries.DefaultFolder+"/"+inv.Name] != q {
					t.Errorf("saved query %s/%s is %q, want %q", insightsqueries.DefaultFolder, inv.Name, got[insightsqueries.DefaultFolder+"/"+inv.Name], q)
				}
			}
		})
	}
}

// TestContributorInsightsRules: the rule bodies are JSON Contributor Insights accepts for the
// flow-log group, with CLF positions that name the format's fields; their state comes from
// context.
func TestContributorInsightsRules(t *testing.T) {
	for _, v := range []struct {
		name, state string
		context     map[string]any
	}{{"default", "ENABLED", nil}, {"custom format, disabled", "DISABLED", analyticsOptions}} {
		t.Run(v.name, func(t *testing.T) {
			s := synthApp(t, v.context)
			f := s.stack.Config().LogFormat
			lg := refByPrefix(s, "AWS::Logs::LogGroup", "FlowLogsCloudWatchLogsLogGroup")
			rules := resourcesOfType(s, "AWS::CloudWatch::InsightRule")
			want, _, err := contributorinsights.Select(f, s.stack.Config().TrafficType)
			if err != nil {
				t.Fatal(err)
			}
			if len(rules) != len(want) || len(rules) == 0 {
				t.Fatalf("%d rules, want %d", len(rules), len(want))
			}
			for id, r := range rules {
				p := r["Properties"].(map[string]any)
				if p["RuleState"] != v.state || !strings.HasPrefix(p["RuleName"].(string), s.stack.Config().StackName+"-") {
					t.Errorf("%s: state %v name %v", id, p["RuleState"], p["RuleName"])
				}
				var body struct {
					Schema        struct{ Name string }
					LogGroupNames []string
					LogFormat     string
					Fields        map[string]string
					Contribution  struct {
						Keys    []string
						ValueOf string
						Filters []map[string]any
					}
					AggregateOn string
				}
				raw := resolve(p["RuleBody"], map[string]string{lg: "LOGGROUP"})
				if err := json.Unmarshal([]byte(raw), &body); err != nil {
					t.Fatalf("%s: rule body is not JSON: %v\n%s", id, err, raw)
				}
				if body.Schema.Name != "CloudWatchLogRule" || body.LogFormat != "CLF" || !slices.Equal(body.LogGroupNames, []string{"LOGGROUP"}) {
					t.Errorf("%s: %s", id, raw)
				}
				if len(body.Contribution.Keys) == 0 || len(body.Contribution.Keys) > 4 || len(body.Contribution.Filters) > 4 {
					t.Errorf("%s: %d keys, %d filters", id, len(body.Contribution.Keys), len(body.Contribution.Filters))
				}
				for pos, alias := range body.Fields {
					i, err := strconv.Atoi(pos)
					if err != nil || i < 1 || i > f.Len() {
						t.Errorf("%s: position %q is not a field of the format", id, pos)
						continue
					}
					if fld := f.Field(i - 1); alias != fld.Name() && alias != fld.Column() {
						t.Errorf("%s: position %d is %s in the format, the rule calls it %s", id, i, fld.Name(), alias)
					}
				}
			}
		})
	}
}

// TestAlarms: metric filters for every counter the format supports, alarms with thresholds and
// periods from context, each notifying the KMS-encrypted topic, with e-mail subscriptions.
func TestAlarms(t *testing.T) {
	s := synthApp(t, nil)
	f := flowlog.DefaultFormat()
	for _, c := range investigations.Counters() {
		pattern, err := c.MetricFilterPattern(f)
		if err != nil {
			t.Fatal(err)
		}
		check(t, func() {
			s.template.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]any{
				"FilterPattern": pattern,
				"LogGroupName":  map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^FlowLogsCloudWatchLogsLogGroup"))},
				"MetricTransformations": []any{map[string]any{"MetricName": c.Name, "MetricNamespace": "VpcFlowLogs/VpcFlowLogs",
					"MetricValue": c.MetricValue(), "DefaultValue": 0}},
			})
		})
	}
	topic := map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AlarmsTopic"))}
	for name, want := range map[string][2]float64{"rejected-ssh-rdp": {10, 3600}, "rejected": {1000, 300}, "nodata": {100, 3600}, "skipdata": {1, 3600}} {
		check(t, func() {
			s.template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
				"AlarmName": "VpcFlowLogs-" + name, "MetricName": name, "Namespace": "VpcFlowLogs/VpcFlowLogs", "Statistic": "Sum",
				"Threshold": want[0], "Period": want[1], "EvaluationPeriods": 1,
				"ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
				"AlarmActions": []any{topic},
			})
		})
	}
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{
			"KmsMasterKeyId": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^AnalyticsKey")), "Arn"}},
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
			"EnableKeyRotation": true,
			"KeyPolicy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
				assertions.Match_ObjectLike(&map[string]any{"Sid": "DenyGrantsExceptForAWSResources", "Effect": "Deny"}),
				assertions.Match_ObjectLike(&map[string]any{"Sid": "AllowCloudWatchAlarmsToUseTheKey",
					"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": []any{"kms:Decrypt", "kms:GenerateDataKey*"}}),
			})},
		})
	})
	check(t, func() {
		s.template.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
				assertions.Match_ObjectLike(&map[string]any{"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}),
				assertions.Match_ObjectLike(&map[string]any{"Sid": "AllowThisAccountsAlarmsToPublish", "Action": "sns:Publish",
					"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
					"Condition": assertions.Match_ObjectLike(&map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}}})}),
			})},
		})
	})

	o := synthApp(t, analyticsOptions)
	check(t, func() { o.template.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(4)) }) // nodata off, accepted-bytes on
	check(t, func() {
		o.template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"AlarmName": "FlowLogsProd-rejected", "Threshold": 500, "Period": 600, "EvaluationPeriods": 2})
	})
	check(t, func() {
		o.template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"AlarmName": "FlowLogsProd-accepted-bytes", "Threshold": 1000000000, "Period": 3600})
	})
	for _, a := range resourcesOfType(o, "AWS::CloudWatch::Alarm") {
		if a["Properties"].(map[string]any)["AlarmName"] == "FlowLogsProd-nodata" {
			t.Error("the nodata alarm is there although context turns it off")
		}
	}
	check(t, func() { o.template.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(2)) })
	for _, e := range []string{"secops@example.com", "noc@example.com"} {
		check(t, func() {
			o.template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{
				"Protocol": "email", "Endpoint": e, "TopicArn": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AlarmsTopic"))}})
		})
	}
	// An existing topic: no topic or key is created, the alarms notify it.
	const arn = "arn:aws:sns:eu-west-1:123456789012:alerts"
	e := synthApp(t, map[string]any{"destinations": "cloudwatch-logs", "alarmTopicArn": arn})
	check(t, func() { e.template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(0)) })
	check(t, func() { e.template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(0)) })
	check(t, func() {
		e.template.AllResourcesProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"AlarmActions": []any{arn}})
	})
}

// TestDashboard: one dashboard with the counters over time, the alarms, the Contributor
// Insights graphs and Logs Insights widgets on the flow-log group.
func TestDashboard(t *testing.T) {
	s := synthApp(t, nil)
	_, p := onlyResource(t, s, "AWS::CloudWatch::Dashboard")
	if p["DashboardName"] != "VpcFlowLogs" {
		t.Errorf("DashboardName %v", p["DashboardName"])
	}
	lg := refByPrefix(s, "AWS::Logs::LogGroup", "FlowLogsCloudWatchLogsLogGroup")
	body := resolve(p["DashboardBody"], map[string]string{lg: "LOGGROUP", "AWS::Region": "REGION"})
	var dash struct {
		Widgets []struct {
			Type       string
			Properties map[string]any
		}
	}
	// Alarm ARNs are Fn::GetAtt, which resolve leaves as JSON; swap them for a string first.
	body = regexp.MustCompile(`\{"Fn::GetAtt":\["(\w+)","Arn"\]\}`).ReplaceAllString(body, "ARN:$1")
	if err := json.Unmarshal([]byte(body), &dash); err != nil {
		t.Fatalf("dashboard body is not JSON: %v\n%s", err, body)
	}
	var metricGraphs, ciGraphs, alarmWidgets, logWidgets int
	for _, w := range dash.Widgets {
		raw, _ := json.Marshal(w.Properties)
		switch {
		case w.Type == "log":
			logWidgets++
			if !strings.Contains(string(raw), "SOURCE 'LOGGROUP'") {
				t.Errorf("log widget not on the flow-log group: %s", raw)
			}
		case w.Type == "alarm":
			alarmWidgets++
			if n := strings.Count(string(raw), "ARN:Alarms"); n != 4 {
				t.Errorf("alarm widget shows %d alarms, want 4", n)
			}
		case strings.Contains(string(raw), "INSIGHT_RULE_METRIC('VpcFlowLogs-"):
			ciGraphs++
		case strings.Contains(string(raw), "VpcFlowLogs/VpcFlowLogs"):
			metricGraphs++
		}
	}
	if metricGraphs != 2 || ciGraphs != 3 || alarmWidgets != 1 || logWidgets != 3 {
		t.Errorf("widgets: %d metric graphs, %d Contributor Insights graphs, %d alarm widgets, %d Logs Insights widgets; want 2, 3, 1, 3",
			metricGraphs, ciGraphs, alarmWidgets, logWidgets)
	}
}

// TestAnalyticsSettingsAreValidated: bad analytics settings stop synth with the key, the value
// and what is allowed; an investigation the format cannot answer names the missing fields.
func TestAnalyticsSettingsAreValidated(t *testing.T) {
	for _, tc := range []struct {
		name    string
		context map[string]any
		want    []string
	}{
		{"unknown part", map[string]any{"analytics": "athena,grafana"}, []string{"analytics", `"grafana"`, "logs-insights"}},
		{"part without its destination", map[string]any{"destinations": "cloudwatch-logs", "analytics": "athena"},
			[]string{"analytics=athena", "needs the s3 destination"}},
		{"investigation the format lacks", map[string]any{"investigations": "top-talking-instances,egress-by-traffic-path"},
			[]string{"investigations=", "top-talking-instances", "instance-id", "egress-by-traffic-path", "traffic-path"}},
		{"unknown investigation", map[string]any{"investigations": "top-talker"}, []string{"investigations", `"top-talker"`}},
		{"scan limit below Athena's minimum", map[string]any{"athenaBytesScannedCutoff": "1000"},
			[]string{"athenaBytesScannedCutoff", "1000", "10000000"}},
		{"rule state", map[string]any{"contributorInsightsState": "on"}, []string{"contributorInsightsState", `"on"`, "ENABLED or DISABLED"}},
		{"unknown counter", map[string]any{"alarms": `{"rejects":{"threshold":1}}`}, []string{"alarms", `"rejects"`, "rejected-ssh-rdp"}},
		{"period not a minute multiple", map[string]any{"alarms": `{"rejected":{"period":90}}`}, []string{"alarms", "period 90", "multiple of 60"}},
		{"unknown alarm option", map[string]any{"alarms": `{"rejected":{"treshold":5}}`}, []string{"alarms", `"treshold"`, "threshold"}},
		{"counter the format lacks", map[string]any{"logFormat": "${srcaddr} ${dstaddr} ${bytes}", "alarms": `{"rejected":{"threshold":5}}`},
			[]string{"alarms", `"rejected"`, "action"}},
		{"e-mail", map[string]any{"alarmEmails": "secops"}, []string{"alarmEmails", `"secops"`, "e-mail"}},
		{"topic ARN", map[string]any{"alarmTopicArn": "alerts"}, []string{"alarmTopicArn", `"alerts"`, "arn:aws:sns"}},
		{"topic and e-mails", map[string]any{"alarmTopicArn": "arn:aws:sns:eu-west-1:123456789012:alerts", "alarmEmails": "a@example.com"},
			[]string{"alarmEmails and alarmTopicArn"}},
		{"alarm settings with alarms off", map[string]any{"analytics": "athena", "alarmEmails": "a@example.com"},
			[]string{"alarmEmails", "alarms part is off"}},
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

// TestConstructsRejectInvestigationsTheFormatLacks: asked for by name, an investigation the
// format cannot answer stops synth naming the missing fields, in every construct.
func TestConstructsRejectInvestigationsTheFormatLacks(t *testing.T) {
	stack := newStack(t)
	f := flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr, flowlog.Bytes)
	bucket := newBucket(stack)
	wantAll(t, mustPanic(t, func() {
		flowlogsathena.NewFlowLogsAthena(stack, jsii.String("A"), &flowlogsathena.FlowLogsAthenaProps{
			Bucket: bucket, Format: &f, Investigations: []string{"rejected-traffic"}})
	}), "flowlogsathena: Investigations", "rejected-traffic", "action")
	lg := newLogGroup(stack)
	wantAll(t, mustPanic(t, func() {
		insightsqueries.NewInsightsQueries(stack, jsii.String("Q"), &insightsqueries.InsightsQueriesProps{
			LogGroup: lg, Format: &f, Investigations: []string{"nodata-skipdata-by-interface"}})
	}), "insightsqueries: Investigations", "interface-id", "log-status")
	wantAll(t, mustPanic(t, func() {
		contributorinsights.NewContributorInsights(stack, jsii.String("C"), &contributorinsights.ContributorInsightsProps{
			LogGroup: lg, Format: &f, Investigations: []string{"rejected-by-dst-port"}})
	}), "contributorinsights: Investigations", "dstport", "action")
	wantAll(t, mustPanic(t, func() {
		flowlogsathena.NewFlowLogsAthena(stack, jsii.String("B"), &flowlogsathena.FlowLogsAthenaProps{
			Bucket: bucket, BytesScannedCutoffPerQuery: jsii.Number(5)})
	}), "BytesScannedCutoffPerQuery 5", "10 MB")
}

func newBucket(stack awscdk.Stack) awss3.IBucket {
	return awss3.NewBucket(stack, jsii.String("Bucket"), nil)
}

func newLogGroup(stack awscdk.Stack) awslogs.ILogGroup {
	return awslogs.NewLogGroup(stack, jsii.String("LogGroup"), nil)
}

// TestAnalyticsSynthesizeForEveryPreset: with both destinations, every preset format gives a
// template that passes strict validation and the four nag packs, with one saved query per
// investigation the format supports; so does each destination alone in the hardened profile.
func TestAnalyticsSynthesizeForEveryPreset(t *testing.T) {
	cases := map[string]map[string]any{
		"hardened, s3 only":              {"hardened": "true", "destinations": "s3"},
		"hardened, cloudwatch-logs only": {"hardened": "true", "destinations": "cloudwatch-logs"},
	}
	for _, name := range flowlog.PresetNames() {
		// The default variant is tested above; the app logs a VPC, so not transit-gateway.
		if f, _ := flowlog.Preset(name); name != "default" && f.InVPCFlowLogs() {
			// ecsPermissionsGranted acknowledges that the deployer may read ECS, which formats
			// with ECS fields need once the app checks it (branch i11-resources); until then
			// the app ignores the key.
			cases["preset "+name] = map[string]any{"logFormat": name, "ecsPermissionsGranted": "true"}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		t.Run(name, func(t *testing.T) {
			s := synthApp(t, cases[name])
			cfg := s.stack.Config()
			n := 0
			if cfg.HasPart(stacks.PartAthena) {
				n = len(mustSelect(t, cfg.LogFormat))
			}
			check(t, func() { s.template.ResourceCountIs(jsii.String("AWS::Athena::NamedQuery"), jsii.Number(n)) })
			ann := assertions.Annotations_FromStack(s.stack)
			for _, m := range *ann.FindError(jsii.String("*"), assertions.Match_AnyValue()) {
				t.Errorf("error at %s: %v", *m.Id, m.Entry.Data)
			}
		})
	}
}

// TestReadmeShowsTheSynthesizedQueries: the README's example queries are the ones in the golden
// templates, so they change when the catalogue does.
func TestReadmeShowsTheSynthesizedQueries(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	for _, tc := range []struct{ intro, fence, golden, name string }{
		{"The saved query for `top-talkers`, as synthesized:", "sql", "default", "top-talkers"},
		{"`test/testdata/custom-format.template.json`:", "", "custom-format", "vpc-flow-logs/rejected-by-dst-port"},
	} {
		m := regexp.MustCompile(regexp.QuoteMeta(tc.intro) + "\\s*```" + tc.fence + "\n(?s)(.*?)\n```").FindStringSubmatch(readme)
		if m == nil {
			t.Errorf("README has no code block after %q", tc.intro)
			continue
		}
		var tpl struct {
			Resources map[string]struct{ Properties map[string]any }
		}
		if err := json.Unmarshal([]byte(readRepoFile(t, "test/testdata/"+tc.golden+".template.json")), &tpl); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range tpl.Resources {
			if r.Properties["Name"] == tc.name {
				found = true
				if r.Properties["QueryString"] != m[1] {
					t.Errorf("README's %s query is not the synthesized one:\n%s\nwant\n%s", tc.name, m[1], r.Properties["QueryString"])
				}
			}
		}
		if !found {
			t.Errorf("no query %s in %s", tc.name, tc.golden)
		}
	}
}

// TestAnalyticsConstructPropsAreValidated: each construct names the bad prop, the value and
// what is allowed.
func TestAnalyticsConstructPropsAreValidated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(s awscdk.Stack)
		want  []string
	}{
		{"athena without a bucket", func(s awscdk.Stack) {
			flowlogsathena.NewFlowLogsAthena(s, jsii.String("A"), nil)
		}, []string{"flowlogsathena: Bucket is nil"}},
		{"database name", func(s awscdk.Stack) {
			flowlogsathena.NewFlowLogsAthena(s, jsii.String("A"), &flowlogsathena.FlowLogsAthenaProps{Bucket: newBucket(s), DatabaseName: jsii.String("Flow-Logs")})
		}, []string{"flowlogsathena: DatabaseName", `"Flow-Logs"`, "lower-case letters, digits and underscores"}},
		{"query window", func(s awscdk.Stack) {
			flowlogsathena.NewFlowLogsAthena(s, jsii.String("A"), &flowlogsathena.FlowLogsAthenaProps{Bucket: newBucket(s), QueryWindowDays: jsii.Number(1.5)})
		}, []string{"flowlogsathena: QueryWindowDays 1.5", "whole number of days from 0 to 399"}},
		{"traffic type", func(s awscdk.Stack) {
			insightsqueries.NewInsightsQueries(s, jsii.String("Q"), &insightsqueries.InsightsQueriesProps{LogGroup: newLogGroup(s), TrafficType: jsii.String("accept")})
		}, []string{"insightsqueries: TrafficType", `"accept"`, "ALL, ACCEPT or REJECT"}},
		{"queries without a log group", func(s awscdk.Stack) {
			insightsqueries.NewInsightsQueries(s, jsii.String("Q"), nil)
		}, []string{"insightsqueries: LogGroup is nil"}},
		{"query with parameters", func(s awscdk.Stack) {
			insightsqueries.NewInsightsQueries(s, jsii.String("Q"), &insightsqueries.InsightsQueriesProps{
				LogGroup: newLogGroup(s), Investigations: []string{"traffic-from-address"}})
		}, []string{"insightsqueries: Investigations", "traffic-from-address", "parameters", "Athena"}},
		{"rule state", func(s awscdk.Stack) {
			contributorinsights.NewContributorInsights(s, jsii.String("C"), &contributorinsights.ContributorInsightsProps{
				LogGroup: newLogGroup(s), RuleState: jsii.String("on")})
		}, []string{"contributorinsights: RuleState", `"on"`, "ENABLED or DISABLED"}},
		{"investigation that does not fit a rule", func(s awscdk.Stack) {
			contributorinsights.NewContributorInsights(s, jsii.String("C"), &contributorinsights.ContributorInsightsProps{
				LogGroup: newLogGroup(s), Investigations: []string{"bytes-per-hour"}})
		}, []string{"contributorinsights: Investigations", "bytes-per-hour", "does not fit"}},
		{"alarm period", func(s awscdk.Stack) {
			flowlogalarms.NewFlowLogAlarms(s, jsii.String("L"), &flowlogalarms.FlowLogAlarmsProps{
				LogGroup: newLogGroup(s), Alarms: map[string]flowlogalarms.AlarmOptions{"rejected": {Period: jsii.Number(45)}}})
		}, []string{"flowlogalarms: Alarms", `"rejected"`, "period 45", "multiple of 60"}},
		{"e-mail", func(s awscdk.Stack) {
			flowlogalarms.NewFlowLogAlarms(s, jsii.String("L"), &flowlogalarms.FlowLogAlarmsProps{LogGroup: newLogGroup(s), Emails: []string{"noc"}})
		}, []string{"flowlogalarms: Emails[0]", `"noc"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			wantAll(t, mustPanic(t, func() { tc.build(stack) }), tc.want...)
		})
	}
}

// TestAnalyticsConstructsDoNotMutateProps: defaults go into copies.
func TestAnalyticsConstructsDoNotMutateProps(t *testing.T) {
	stack := newStack(t)
	lg := newLogGroup(stack)
	ap := &flowlogsathena.FlowLogsAthenaProps{Bucket: newBucket(stack)}
	flowlogsathena.NewFlowLogsAthena(stack, jsii.String("A"), ap)
	qp := &insightsqueries.InsightsQueriesProps{LogGroup: lg}
	insightsqueries.NewInsightsQueries(stack, jsii.String("Q"), qp)
	cp := &contributorinsights.ContributorInsightsProps{LogGroup: lg}
	contributorinsights.NewContributorInsights(stack, jsii.String("C"), cp)
	lp := &flowlogalarms.FlowLogAlarmsProps{LogGroup: lg}
	flowlogalarms.NewFlowLogAlarms(stack, jsii.String("L"), lp)
	if ap.Format != nil || ap.DatabaseName != nil || ap.BytesScannedCutoffPerQuery != nil || ap.ResultsBucket != nil ||
		qp.Format != nil || qp.Folder != nil || cp.RuleState != nil || cp.Investigations != nil ||
		lp.Alarms != nil || lp.Topic != nil || lp.EncryptionKey != nil {
		t.Error("a construct filled in its caller's props")
	}
}

// TestReadmeCountsTheDefaultAppsResources: the resource counts the README gives for the
// analytics are the default golden template's.
func TestReadmeCountsTheDefaultAppsResources(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	var tpl struct {
		Resources map[string]struct{ Type string }
	}
	if err := json.Unmarshal([]byte(readRepoFile(t, "test/testdata/default.template.json")), &tpl); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range tpl.Resources {
		count[r.Type]++
	}
	m := regexp.MustCompile(`adds (\d+)\s+resources to the (\d+) of the flow logs \((\d+) in all\)`).FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README does not say how many resources the analytics add")
	}
	added, _ := strconv.Atoi(m[1])
	base, _ := strconv.Atoi(m[2])
	total, _ := strconv.Atoi(m[3])
	if total != len(tpl.Resources) || added+base != total {
		t.Errorf("README says %d + %d = %d resources; the default template has %d", added, base, total, len(tpl.Resources))
	}
	for _, typ := range []string{"AWS::Athena::NamedQuery", "AWS::Logs::QueryDefinition", "AWS::CloudWatch::InsightRule", "AWS::Logs::MetricFilter", "AWS::CloudWatch::Alarm"} {
		want := fmt.Sprintf("%d `%s`", count[typ], typ)
		if !strings.Contains(readme, want) {
			t.Errorf("README does not say %q", want)
		}
	}
}

// goldenVariantContext is the context of a golden variant, so tests share its synth.
func goldenVariantContext(t *testing.T, name string) map[string]any {
	t.Helper()
	for _, v := range variants {
		if v.name == name {
			return v.context
		}
	}
	t.Fatalf("no variant %q", name)
	return nil
}
