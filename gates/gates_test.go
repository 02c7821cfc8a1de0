package gates

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

const fixtureDir = "testdata/fixtures"

// requireTools fails (never skips) when `npm ci` has not installed the checkers.
func requireTools(t *testing.T) *Tools {
	t.Helper()
	tools, err := FindTools()
	if err != nil {
		if errors.Is(err, ErrToolsMissing) {
			t.Fatalf("%v\nThe template gates need the validator, cfn-guard and the Control Tower rules from node_modules: run `npm ci` in the repository root.", err)
		}
		t.Fatal(err)
	}
	return tools
}

func fixtures(t *testing.T) []string {
	t.Helper()
	ps, err := TemplatesIn(fixtureDir)
	if err != nil || len(ps) == 0 {
		t.Fatalf("no fixture templates in %s: %v", fixtureDir, err)
	}
	return ps
}

var mutantDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gates-mutants-")
	if err != nil {
		panic(err)
	}
	mutantDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir) // a temp dir; nothing to do if it stays
	os.Exit(code)
}

func goldens() []string {
	ps, _ := filepath.Glob(filepath.Join("..", "test", "testdata", "*.template.json"))
	return ps
}

// shared runs every gate once over the fixtures, the goldens and all mutants:
// one validator process and one cfn-guard process for the whole test binary,
// as in CI.
var shared struct {
	once     sync.Once
	findings []Finding
	mutants  map[string]string // mutation name -> template path
	timing   []string
	err      error
}

func allFindings(t *testing.T) []Finding {
	t.Helper()
	requireTools(t)
	shared.once.Do(func() {
		paths := append(fixtures(t), goldens()...)
		shared.mutants, shared.err = writeMutants(fixtures(t)[0], mutantDir, mutations)
		if shared.err != nil {
			return
		}
		for _, m := range mutations {
			paths = append(paths, shared.mutants[m.name])
		}
		// The same kinds of breakage in the golden template of the default app, when present.
		if golden := goldenDefault(); golden != "" {
			var gm map[string]string
			gm, shared.err = writeMutants(golden, mutantDir, goldenMutations)
			if shared.err != nil {
				return
			}
			for name, p := range gm {
				shared.mutants[name] = p
				paths = append(paths, p)
			}
		}
		// The breakages of the Firehose and ECS goldens, each from its own golden.
		for _, m := range goldenFileMutations {
			var gm map[string]string
			gm, shared.err = writeMutants(filepath.Join("..", "test", "testdata", m.golden), mutantDir, []mutation{m})
			if shared.err != nil {
				return
			}
			shared.mutants[m.name] = gm[m.name]
			paths = append(paths, gm[m.name])
		}
		// The three gates side by side, as RunAll runs them, each timed.
		gs := []struct {
			name string
			run  func([]string) ([]Finding, error)
		}{{GateSchema, ValidateSchema}, {GateGuard, RunGuard}, {GateProject, CheckProjectRules}}
		results := make([][]Finding, len(gs))
		errs := make([]error, len(gs))
		took := make([]time.Duration, len(gs))
		var wg sync.WaitGroup
		start := time.Now()
		for i, g := range gs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				results[i], errs[i] = g.run(paths)
				took[i] = time.Since(t0)
			}()
		}
		wg.Wait()
		for i, g := range gs {
			if errs[i] != nil {
				shared.err = errs[i]
				return
			}
			shared.findings = append(shared.findings, results[i]...)
			shared.timing = append(shared.timing, fmt.Sprintf("%s gate over %d templates: %s", g.name, len(paths), took[i].Round(time.Millisecond)))
		}
		shared.timing = append(shared.timing, fmt.Sprintf("all gates side by side: %s", time.Since(start).Round(time.Millisecond)))
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.findings
}

// findingsIn returns the findings about the given templates.
func findingsIn(all []Finding, paths []string) []Finding {
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	var out []Finding
	for _, f := range all {
		if want[f.Template] {
			out = append(out, f)
		}
	}
	return out
}

func TestAllowListEntriesAreReasonedAndCiteAWS(t *testing.T) {
	entries, err := AllowList()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if len(e.Reason) < 40 {
			t.Errorf("%s %s: reason too short to review: %q", e.Gate, e.Rule, e.Reason)
		}
		if !strings.HasPrefix(e.Doc, "https://docs.aws.amazon.com/") {
			t.Errorf("%s %s: doc must be an AWS documentation URL, got %q", e.Gate, e.Rule, e.Doc)
		}
		if e.ResourceType == "" || (e.LogicalID == "" && e.When == "") {
			t.Errorf("%s %s: an entry must be scoped to a resource type and a logical-ID pattern or predicate", e.Gate, e.Rule)
		}
	}
}

// The project gate runs exactly the rules `flowlog review` runs: one
// definition (package review), two callers.
func TestProjectGateRunsTheReviewRules(t *testing.T) {
	all := allFindings(t)
	fromGate := map[string]bool{}
	for _, f := range all {
		if f.Gate == GateProject {
			fromGate[f.Rule] = true
		}
	}
	for _, r := range review.Rules() {
		if r.Severity.Blocks() && !fromGate[r.ID] {
			t.Errorf("rule %s (%s) produced no project-gate finding on the fixtures, goldens or mutants: add a mutant that breaks it", r.ID, r.Severity)
		}
	}
}

func TestFixturesPassEveryGate(t *testing.T) {
	findings := findingsIn(allFindings(t), fixtures(t))
	for _, l := range shared.timing {
		t.Log(l)
	}
	for _, f := range Blocking(findings) {
		t.Errorf("blocking: %s", f)
	}
	// Every allow-list entry must still be needed by the fixture or a golden
	// template; a stale exception is removed, not kept.
	entries, _ := AllowList()
	used := map[string]bool{}
	for _, f := range allFindings(t) {
		if f.Allowed {
			used[f.Gate+" "+f.Rule+" "+f.AllowReason] = true
		}
	}
	for _, f := range findings {
		if f.Allowed {
			t.Logf("allowed: %s", f)
		}
	}
	for _, e := range entries {
		if !used[e.Gate+" "+e.Rule+" "+e.Reason] {
			t.Errorf("allow-list entry %s %s (%.60s…) matched nothing in the fixtures or golden templates", e.Gate, e.Rule, e.Reason)
		}
	}
	logSummary(t, findings)
}

// The golden snapshots written by test/ must pass every gate too.
func TestGoldenTemplatesPassEveryGate(t *testing.T) {
	gs := goldens()
	if len(gs) == 0 {
		t.Fatal("no golden templates in ../test/testdata: the gates would pass without checking anything (go test ./test -update writes them)")
	}
	findings := findingsIn(allFindings(t), gs)
	for _, f := range Blocking(findings) {
		t.Errorf("blocking: %s", f)
	}
	logSummary(t, findings)
}

func TestApplicableControlsCoverEmittedTypes(t *testing.T) {
	requireTools(t)
	controls, err := ApplicableControls(fixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range controls {
		ids[c.ID] = true
	}
	for _, want := range []string{"CT.S3.PR.1", "CT.S3.PR.8", "CT.IAM.PR.1", "CT.IAM.PR.5", "CT.KMS.PR.1", "CT.CLOUDWATCH.PR.2", "CT.CLOUDWATCH.PR.3", "CT.EC2.PR.11", "CT.LAMBDA.PR.3"} {
		if !ids[want] {
			t.Errorf("control %s not selected for the fixture", want)
		}
	}
	if ids["CT.RDS.PR.2"] {
		t.Error("CT.RDS.PR.2 selected although the fixture has no RDS resource")
	}
	var list []string
	for id := range ids {
		list = append(list, id)
	}
	sort.Strings(list)
	t.Logf("%d applicable Control Tower controls: %s", len(list), strings.Join(list, " "))
}

// mutation breaks a copy of the fixture template in one way; the gate must
// report Rule on Resource.
type mutation struct {
	name     string
	mutate   func(p func(id string) map[string]any)
	gate     string
	rule     string
	resource string
	golden   string // for goldenFileMutations: the golden template (in test/testdata) it breaks
}

const (
	cwlFlowLog    = "FlowLogCwlFlowLog6CB8301F"
	s3FlowLog     = "FlowLogS3FlowLog073421EA"
	tgwFlowLog    = "TgwFlowLogF231FA28"
	rolePolicy    = "FlowLogRoleDefaultPolicy9078999B"
	bucketPol     = "FlowLogBucketPolicyD22C263C"
	accessLogsPol = "AccessLogsBucketPolicy7F77476F"
	bucketID      = "FlowLogBucket0863ACCA"
	logGroupID    = "FlowLogGroup3E25AA51"
	vpcID         = "Vpc8378EB38"
	flowLogRole   = "FlowLogRoleCB27E7DF"
)

var mutations = []mutation{
	{
		name: "misspelled-flowlog-property",
		mutate: func(p func(string) map[string]any) {
			fl := p(cwlFlowLog)
			fl["MaxAggregationIntervall"] = fl["MaxAggregationInterval"]
			delete(fl, "MaxAggregationInterval")
		},
		gate: GateSchema, rule: "F3002", resource: cwlFlowLog,
	},
	{
		// What CDK's ec2.FlowLog emits; CDK's own validation acknowledges it.
		name: "camelcase-destination-options",
		mutate: func(p func(string) map[string]any) {
			p(s3FlowLog)["DestinationOptions"] = map[string]any{"fileFormat": "parquet", "hiveCompatiblePartitions": true, "perHourPartition": true}
		},
		gate: GateSchema, rule: "F3002", resource: s3FlowLog,
	},
	{
		name:   "interval-120",
		mutate: func(p func(string) map[string]any) { p(cwlFlowLog)["MaxAggregationInterval"] = 120 },
		gate:   GateProject, rule: "PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", resource: cwlFlowLog,
	},
	{
		name:   "tgw-interval-600",
		mutate: func(p func(string) map[string]any) { p(tgwFlowLog)["MaxAggregationInterval"] = 600 },
		gate:   GateProject, rule: "PROJECT.FLOW_LOG_TGW_SETTINGS", resource: tgwFlowLog,
	},
	{
		name:   "no-traffic-type",
		mutate: func(p func(string) map[string]any) { delete(p(cwlFlowLog), "TrafficType") },
		gate:   GateProject, rule: "PROJECT.FLOW_LOG_TRAFFIC_TYPE", resource: cwlFlowLog,
	},
	{
		name: "iam-star-resource",
		mutate: func(p func(string) map[string]any) {
			doc := p(rolePolicy)["PolicyDocument"].(map[string]any)
			doc["Statement"].([]any)[0].(map[string]any)["Resource"] = "*"
		},
		gate: GateProject, rule: "PROJECT.IAM_NO_WILDCARD_RESOURCE", resource: rolePolicy,
	},
	{
		name: "bucket-without-ssl-deny",
		mutate: func(p func(string) map[string]any) {
			doc := p(bucketPol)["PolicyDocument"].(map[string]any)
			dropDenyStatements(doc)
		},
		gate: GateProject, rule: "PROJECT.S3_BUCKET_SSL_ONLY", resource: bucketID,
	},
	{
		// The same breakage seen by the Control Tower control on the policy itself.
		name: "bucket-policy-without-ssl-deny",
		mutate: func(p func(string) map[string]any) {
			doc := p(bucketPol)["PolicyDocument"].(map[string]any)
			dropDenyStatements(doc)
		},
		gate: GateGuard, rule: "CT.S3.PR.8", resource: bucketPol,
	},
	{
		name: "no-ssl-only-policy-anywhere",
		mutate: func(p func(string) map[string]any) {
			for _, id := range []string{bucketPol, accessLogsPol} {
				p(id)["__delete__"] = true
			}
		},
		gate: GateProject, rule: "PROJECT.S3_BUCKET_SSL_ONLY", resource: bucketID,
	},
	{
		name: "vpc-without-vpc-flow-log",
		mutate: func(p func(string) map[string]any) {
			for _, id := range []string{cwlFlowLog, s3FlowLog} {
				p(id)["ResourceType"] = "Subnet"
				p(id)["ResourceId"] = map[string]any{"Ref": "VpcprivateSubnet1SubnetCEAD3716"}
			}
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_EVERY_VPC", resource: vpcID,
	},
	{
		name: "s3-flow-log-with-delivery-role",
		mutate: func(p func(string) map[string]any) {
			p(s3FlowLog)["DeliverLogsPermissionArn"] = map[string]any{"Fn::GetAtt": []any{"FlowLogRoleCB27E7DF", "Arn"}}
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_DESTINATION", resource: s3FlowLog,
	},
	{
		name:   "log-group-without-retention",
		mutate: func(p func(string) map[string]any) { delete(p(logGroupID), "RetentionInDays") },
		gate:   GateProject, rule: "PROJECT.LOG_GROUP_RETENTION", resource: logGroupID,
	},
	{
		name: "guard-suppression-metadata",
		mutate: func(p func(string) map[string]any) {
			// p returns Properties; the suppression sits beside them, so go through the parent.
			p(bucketID)["__metadata__"] = map[string]any{"guard": map[string]any{"SuppressedRules": []any{"S3_BUCKET_SSL_ONLY"}}}
		},
		gate: GateProject, rule: "PROJECT.NO_CHECKER_SUPPRESSIONS", resource: bucketID,
	},
	{
		// Issue 8: either condition alone used to pass the cfn-guard rule.
		name: "trust-source-account-only",
		mutate: func(p func(string) map[string]any) {
			doc := p(flowLogRole)["AssumeRolePolicyDocument"].(map[string]any)
			delete(doc["Statement"].([]any)[0].(map[string]any)["Condition"].(map[string]any), "ArnLike")
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", resource: flowLogRole,
	},
	{
		name: "trust-source-arn-only",
		mutate: func(p func(string) map[string]any) {
			doc := p(flowLogRole)["AssumeRolePolicyDocument"].(map[string]any)
			delete(doc["Statement"].([]any)[0].(map[string]any)["Condition"].(map[string]any), "StringEquals")
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", resource: flowLogRole,
	},
	{
		name:   "tgw-traffic-type",
		mutate: func(p func(string) map[string]any) { p(tgwFlowLog)["TrafficType"] = "ALL" },
		gate:   GateProject, rule: "PROJECT.FLOW_LOG_TGW_SETTINGS", resource: tgwFlowLog,
	},
	{
		name: "subnet-flow-log-on-a-vpc",
		mutate: func(p func(string) map[string]any) {
			p(s3FlowLog)["ResourceType"] = "Subnet" // ResourceId still Refs the VPC
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_RESOURCE", resource: s3FlowLog,
	},
	{
		name: "firehose-cross-account-without-source-role",
		mutate: func(p func(string) map[string]any) {
			fl := p(s3FlowLog)
			delete(fl, "DestinationOptions")
			fl["LogDestinationType"] = "kinesis-data-firehose"
			fl["LogDestination"] = "arn:aws:firehose:eu-west-1:444455556666:deliverystream/flow-logs"
			fl["DeliverCrossAccountRole"] = "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole-flow-logs"
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_DESTINATION", resource: s3FlowLog,
	},
	{
		name: "log-delivery-without-source-conditions",
		mutate: func(p func(string) map[string]any) {
			for _, st := range p(bucketPol)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				st := st.(map[string]any)
				if c, ok := st["Condition"].(map[string]any); ok && st["Effect"] == "Allow" {
					delete(c, "ArnLike")
					if se, ok := c["StringEquals"].(map[string]any); ok {
						delete(se, "aws:SourceAccount")
					}
				}
			}
		},
		gate: GateProject, rule: "PROJECT.LOG_DELIVERY_CONFUSED_DEPUTY", resource: bucketPol,
	},
	{
		name: "cwl-flow-log-with-cross-account-role",
		mutate: func(p func(string) map[string]any) {
			p(cwlFlowLog)["DeliverCrossAccountRole"] = "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole"
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_DESTINATION", resource: cwlFlowLog,
	},
	{
		// The W9013 exception covers Firehose flow logs only: a hard-coded
		// account ID in a CloudWatch Logs flow log still blocks.
		name: "cwl-flow-log-with-hard-coded-account",
		mutate: func(p func(string) map[string]any) {
			p(cwlFlowLog)["DeliverCrossAccountRole"] = "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole"
		},
		gate: GateSchema, rule: "W9013", resource: cwlFlowLog,
	},
	{
		name: "tgw-tag-field-specifications",
		mutate: func(p func(string) map[string]any) {
			p(tgwFlowLog)["TagFieldSpecifications"] = []any{map[string]any{"ResourceType": "instance", "TagKeys": []any{"Name"}}}
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_TGW_SETTINGS", resource: tgwFlowLog,
	},
	{
		name:   "duplicate-log-format-field",
		mutate: func(p func(string) map[string]any) { p(cwlFlowLog)["LogFormat"] = "${version} ${srcaddr} ${srcaddr}" },
		gate:   GateProject, rule: RuleFlowLogFormat, resource: cwlFlowLog,
	},
	{
		name:   "unknown-log-format-field",
		mutate: func(p func(string) map[string]any) { p(s3FlowLog)["LogFormat"] = "${version} ${src-addr}" },
		gate:   GateProject, rule: RuleFlowLogFormat, resource: s3FlowLog,
	},
}

// writeMutants writes one broken copy of src per mutation into dir.
func writeMutants(src, dir string, mutations []mutation) (paths map[string]string, err error) {
	raw, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	paths = map[string]string{}
	for _, m := range mutations {
		var tpl map[string]any
		if err := json.Unmarshal(raw, &tpl); err != nil {
			return nil, err
		}
		resources := tpl["Resources"].(map[string]any)
		var missing string
		m.mutate(func(id string) map[string]any {
			r, ok := resources[id].(map[string]any)
			if !ok {
				missing = id
				return map[string]any{"PolicyDocument": map[string]any{"Statement": []any{map[string]any{}}}}
			}
			return r["Properties"].(map[string]any)
		})
		if missing != "" {
			return nil, fmt.Errorf("mutation %s: fixture %s has no resource %s", m.name, src, missing)
		}
		for id, r := range resources {
			r := r.(map[string]any)
			if props, ok := r["Properties"].(map[string]any); ok {
				if props["__delete__"] == true {
					delete(resources, id)
					continue
				}
				if md, ok := props["__metadata__"]; ok {
					delete(props, "__metadata__")
					r["Metadata"] = md
				}
			}
		}
		out, _ := json.MarshalIndent(tpl, "", " ")
		p := filepath.Join(dir, m.name+".template.json")
		if err := os.WriteFile(p, out, 0o644); err != nil {
			return nil, err
		}
		paths[m.name] = p
	}
	return paths, nil
}

// Each way of breaking a good template is caught by the right gate and rule.
func TestGatesCatchBrokenTemplates(t *testing.T) {
	all := allFindings(t)
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			var got []string
			caught := false
			for _, f := range findingsIn(all, []string{shared.mutants[m.name]}) {
				if !f.Blocks() {
					continue
				}
				got = append(got, f.String())
				if f.Gate == m.gate && f.Rule == m.rule && f.LogicalID == m.resource {
					caught = true
				}
			}
			if !caught {
				t.Errorf("gate %s did not report %s on %s; blocking findings:\n  %s", m.gate, m.rule, m.resource, strings.Join(got, "\n  "))
			}
			for _, g := range got {
				t.Logf("caught: %s", g)
			}
		})
	}
}

// Logical IDs in test/testdata/default.template.json (the default app's golden template).
const (
	goldenCwlFlowLog  = "FlowLogsCloudWatchLogsFlowLog6B1F2F95"
	goldenS3FlowLog   = "FlowLogsS3FlowLog2CD7E502"
	goldenRolePolicy  = "FlowLogsCloudWatchLogsDeliveryRolePolicy0FE51BA8"
	goldenBucket      = "FlowLogsS3BucketF84DE353"
	goldenBucketPol   = "FlowLogsS3BucketPolicy533097E8"
	goldenMutantLabel = "golden-"
)

// goldenMutations break the default app's golden template in the four ways the issue names.
var goldenMutations = []mutation{
	{
		name: goldenMutantLabel + "misspelled-flowlog-property",
		mutate: func(p func(string) map[string]any) {
			fl := p(goldenS3FlowLog)
			fl["LogDestinationTyp"] = fl["LogDestinationType"]
			delete(fl, "LogDestinationType")
		},
		gate: GateSchema, rule: "F3002", resource: goldenS3FlowLog,
	},
	{
		name:   goldenMutantLabel + "interval-120",
		mutate: func(p func(string) map[string]any) { p(goldenCwlFlowLog)["MaxAggregationInterval"] = 120 },
		gate:   GateProject, rule: "PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", resource: goldenCwlFlowLog,
	},
	{
		name: goldenMutantLabel + "iam-star-resource",
		mutate: func(p func(string) map[string]any) {
			doc := p(goldenRolePolicy)["PolicyDocument"].(map[string]any)
			doc["Statement"].([]any)[0].(map[string]any)["Resource"] = "*"
		},
		gate: GateProject, rule: "PROJECT.IAM_NO_WILDCARD_RESOURCE", resource: goldenRolePolicy,
	},
	{
		name: goldenMutantLabel + "bucket-public-read",
		mutate: func(p func(string) map[string]any) {
			doc := p(goldenBucketPol)["PolicyDocument"].(map[string]any)
			doc["Statement"] = append(doc["Statement"].([]any), map[string]any{
				"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::any-bucket/*"})
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOGS_NOT_PUBLIC", resource: goldenBucketPol,
	},
	{
		name: goldenMutantLabel + "bucket-without-ssl-deny",
		mutate: func(p func(string) map[string]any) {
			doc := p(goldenBucketPol)["PolicyDocument"].(map[string]any)
			dropDenyStatements(doc)
		},
		gate: GateProject, rule: "PROJECT.S3_BUCKET_SSL_ONLY", resource: goldenBucket,
	},
}

// Logical IDs in the Firehose and ECS golden templates of issue 11.
const (
	goldenFirehose           = "firehose.template.json"
	goldenCrossAccount       = "firehose-cross-account.template.json"
	goldenDestinationAccount = "firehose-destination-account.template.json"
	goldenECS                = "ecs-fields.template.json"
	crossAccountFlowLog      = "FlowLogsFirehoseFlowLog10D34E20"
	crossAccountSourcePolicy = "FlowLogsFirehoseSourceRolePolicy073F07DB"
	destinationRole          = "CrossAccountRole41527DFD"
	destinationRolePolicy    = "CrossAccountRolePolicyAEC1B27B"
	destinationStream        = "Stream790BDEE4"
	sameAccountStream        = "FlowLogsFirehoseStream94D96C14"
	sameAccountStreamRole    = "FlowLogsFirehoseStreamRoleDFBECFD1"
	ecsFieldPermissions      = "FlowLogsECSFieldPermissionsDE9E8267"
)

// statement returns statement i of a policy document property.
func statement(props map[string]any, doc string, i int) map[string]any {
	return props[doc].(map[string]any)["Statement"].([]any)[i].(map[string]any)
}

// goldenFileMutations break the Firehose and ECS goldens in the ways the rules
// that replaced the allow-list stopgaps of issue 11 catch.
var goldenFileMutations = []mutation{
	{
		name:   goldenMutantLabel + "firehose-destination-options",
		golden: goldenCrossAccount,
		mutate: func(p func(string) map[string]any) {
			p(crossAccountFlowLog)["DestinationOptions"] = map[string]any{"FileFormat": "plain-text"}
		},
		gate: GateProject, rule: "PROJECT.FLOW_LOG_DESTINATION", resource: crossAccountFlowLog,
	},
	{
		name:   goldenMutantLabel + "source-role-passes-itself-unconditioned",
		golden: goldenCrossAccount,
		mutate: func(p func(string) map[string]any) {
			delete(statement(p(crossAccountSourcePolicy), "PolicyDocument", 0), "Condition")
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_SOURCE_ROLE", resource: crossAccountSourcePolicy,
	},
	{
		// The log-delivery actions may take "*"; another action beside them may not.
		name:   goldenMutantLabel + "source-role-star-beyond-log-delivery",
		golden: goldenCrossAccount,
		mutate: func(p func(string) map[string]any) {
			st := statement(p(crossAccountSourcePolicy), "PolicyDocument", 1)
			st["Action"] = append(st["Action"].([]any), "logs:PutLogEvents")
		},
		gate: GateProject, rule: "PROJECT.IAM_NO_WILDCARD_RESOURCE", resource: crossAccountSourcePolicy,
	},
	{
		name:   goldenMutantLabel + "destination-role-trusts-anyone",
		golden: goldenDestinationAccount,
		mutate: func(p func(string) map[string]any) {
			statement(p(destinationRole), "AssumeRolePolicyDocument", 0)["Principal"] = map[string]any{"AWS": "*"}
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_DESTINATION_ROLE", resource: destinationRole,
	},
	{
		name:   goldenMutantLabel + "destination-role-creates-any-service-linked-role",
		golden: goldenDestinationAccount,
		mutate: func(p func(string) map[string]any) {
			delete(statement(p(destinationRolePolicy), "PolicyDocument", 0), "Condition")
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_DESTINATION_ROLE", resource: destinationRolePolicy,
	},
	{
		name:   goldenMutantLabel + "stream-read-from-kinesis",
		golden: goldenDestinationAccount,
		mutate: func(p func(string) map[string]any) {
			p(destinationStream)["DeliveryStreamType"] = "KinesisStreamAsSource"
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_STREAM", resource: destinationStream,
	},
	{
		name:   goldenMutantLabel + "stream-log-delivery-disabled",
		golden: goldenDestinationAccount,
		mutate: func(p func(string) map[string]any) {
			p(destinationStream)["Tags"] = []any{map[string]any{"Key": "LogDeliveryEnabled", "Value": "false"}}
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_STREAM", resource: destinationStream,
	},
	{
		name:   goldenMutantLabel + "stream-unencrypted",
		golden: goldenFirehose,
		mutate: func(p func(string) map[string]any) {
			delete(p(sameAccountStream), "DeliveryStreamEncryptionConfigurationInput")
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_STREAM", resource: sameAccountStream,
	},
	{
		name:   goldenMutantLabel + "stream-role-without-external-id",
		golden: goldenFirehose,
		mutate: func(p func(string) map[string]any) {
			delete(statement(p(sameAccountStreamRole), "AssumeRolePolicyDocument", 0), "Condition")
		},
		gate: GateProject, rule: "PROJECT.FIREHOSE_STREAM", resource: sameAccountStreamRole,
	},
	{
		// ecs:ListClusters may take "*"; ecs:ListServices has a resource type (the cluster).
		name:   goldenMutantLabel + "ecs-star-list-services",
		golden: goldenECS,
		mutate: func(p func(string) map[string]any) {
			statement(p(ecsFieldPermissions), "PolicyDocument", 1)["Action"] = []any{"ecs:ListClusters", "ecs:ListServices"}
		},
		gate: GateProject, rule: "PROJECT.IAM_NO_WILDCARD_RESOURCE", resource: ecsFieldPermissions,
	},
}

// dropDenyStatements removes the Deny statements (the TLS-only ones) from a policy document.
func dropDenyStatements(doc map[string]any) {
	var kept []any
	for _, st := range doc["Statement"].([]any) {
		if st.(map[string]any)["Effect"] != "Deny" {
			kept = append(kept, st)
		}
	}
	doc["Statement"] = kept
}

func goldenDefault() string {
	for _, g := range goldens() {
		if filepath.Base(g) == "default.template.json" {
			return g
		}
	}
	return ""
}

// Each of the four breakages of the default app's golden template, and each
// breakage of the Firehose and ECS goldens, is caught by the right gate and rule.
func TestGatesCatchBrokenGoldenTemplate(t *testing.T) {
	if goldenDefault() == "" {
		t.Fatal("test/testdata/default.template.json is missing")
	}
	all := allFindings(t)
	for _, m := range append(append([]mutation(nil), goldenMutations...), goldenFileMutations...) {
		t.Run(m.name, func(t *testing.T) {
			caught := false
			for _, f := range findingsIn(all, []string{shared.mutants[m.name]}) {
				caught = caught || (f.Blocks() && f.Gate == m.gate && f.Rule == m.rule && f.LogicalID == m.resource)
			}
			if !caught {
				t.Errorf("gate %s did not report %s on %s", m.gate, m.rule, m.resource)
			}
		})
	}
}

func logSummary(t *testing.T, findings []Finding) {
	t.Helper()
	count := map[string]int{}
	for _, f := range findings {
		state := f.Severity
		if f.Allowed {
			state = "allowed"
		}
		count[f.Gate+" "+f.Rule+" "+state]++
	}
	var keys []string
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%4d × %s", count[k], k)
	}
}
