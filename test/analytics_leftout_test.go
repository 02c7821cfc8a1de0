package test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/contributorinsights"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// propNames returns the values of one property of the template's resources of a type.
func propNames(s synthesized, typ, prop string) []string {
	var out []string
	for _, r := range resourcesOfType(s, typ) {
		if v, ok := r["Properties"].(map[string]any)[prop].(string); ok {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func anyHas(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}

// infos returns the info annotations of a synthesized stack.
func infos(s synthesized) []string {
	var out []string
	for _, m := range *assertions.Annotations_FromStack(s.stack).FindInfo(jsii.String("*"), assertions.Match_AnyValue()) {
		if d, ok := m.Entry.Data.(string); ok {
			out = append(out, *m.Id+": "+d)
		}
	}
	return out
}

// TestTrafficTypeLeavesOutWhatCanOnlyBeEmpty: a REJECT flow log gets no accepted-traffic query,
// metric filter or alarm, and an ACCEPT one no rejected-traffic query, Contributor Insights
// rule, metric filter, alarm or dashboard widget; the stack says what it left out and why.
func TestTrafficTypeLeavesOutWhatCanOnlyBeEmpty(t *testing.T) {
	all := synthApp(t, nil)
	if !anyHas(propNames(all, "AWS::Athena::NamedQuery", "Name"), "accepted-tcp-traffic") ||
		!anyHas(propNames(all, "AWS::Logs::MetricFilter", "FilterName"), "accepted-bytes") {
		t.Fatal("with ALL traffic the accepted-traffic pieces should be there")
	}

	rej := synthApp(t, map[string]any{"trafficType": "REJECT"})
	for _, c := range []struct{ typ, prop, name string }{
		{"AWS::Athena::NamedQuery", "Name", "accepted-tcp-traffic"},
		{"AWS::Logs::QueryDefinition", "Name", "accepted-tcp-traffic"},
		{"AWS::Logs::MetricFilter", "FilterName", "accepted-bytes"},
	} {
		if anyHas(propNames(rej, c.typ, c.prop), c.name) {
			t.Errorf("REJECT: %s %s is provisioned", c.typ, c.name)
		}
	}
	if !anyHas(propNames(rej, "AWS::Athena::NamedQuery", "Name"), "rejected-traffic") ||
		len(resourcesOfType(rej, "AWS::CloudWatch::InsightRule")) != 3 || len(resourcesOfType(rej, "AWS::CloudWatch::Alarm")) != 4 {
		t.Errorf("REJECT keeps the rejected-traffic pieces: queries %v, %d rules, %d alarms", propNames(rej, "AWS::Athena::NamedQuery", "Name"),
			len(resourcesOfType(rej, "AWS::CloudWatch::InsightRule")), len(resourcesOfType(rej, "AWS::CloudWatch::Alarm")))
	}
	notes := strings.Join(infos(rej), "\n")
	wantAll(t, notes, "left out of the Athena named queries", "accepted-tcp-traffic (counts only ACCEPT records; trafficType is REJECT)",
		"left out of the metric filters and alarms: accepted-bytes (counts only ACCEPT records; trafficType is REJECT)")

	acc := synthApp(t, map[string]any{"trafficType": "ACCEPT"})
	for _, c := range []struct{ typ, prop, name string }{
		{"AWS::Athena::NamedQuery", "Name", "rejected"},
		{"AWS::Logs::QueryDefinition", "Name", "rejected"},
		{"AWS::CloudWatch::InsightRule", "RuleName", "rejected"},
		{"AWS::Logs::MetricFilter", "FilterName", "rejected"},
		{"AWS::CloudWatch::Alarm", "AlarmName", "rejected"},
	} {
		if anyHas(propNames(acc, c.typ, c.prop), c.name) {
			t.Errorf("ACCEPT: a %s named %s* is provisioned: %v", c.typ, c.name, propNames(acc, c.typ, c.prop))
		}
	}
	_, dash := onlyResource(t, acc, "AWS::CloudWatch::Dashboard")
	body := resolve(dash["DashboardBody"], map[string]string{})
	if strings.Contains(body, "Rejected") || strings.Contains(body, "REJECT") {
		t.Errorf("ACCEPT: the dashboard shows rejected traffic:\n%s", body)
	}
	wantAll(t, strings.Join(infos(acc), "\n"), "left out of the Contributor Insights rules: rejected-traffic (counts only REJECT records; trafficType is ACCEPT)",
		"left out of the dashboard's Logs Insights widgets")

	// Asked for by name, a piece the traffic type never fills is an error.
	_, err := stacks.ConfigFromMap(map[string]any{"trafficType": "ACCEPT", "investigations": "top-talkers,rejected-traffic"})
	wantAll(t, fmt.Sprint(err), "investigations=top-talkers,rejected-traffic", "trafficType=ACCEPT", "rejected-traffic counts only REJECT records")
	_, err = stacks.ConfigFromMap(map[string]any{"trafficType": "REJECT", "alarms": `{"accepted-bytes":{"threshold":1}}`})
	wantAll(t, fmt.Sprint(err), "alarms", `"accepted-bytes" counts only ACCEPT records`)
	stack := newStack(t)
	lg := newLogGroup(stack)
	wantAll(t, mustPanic(t, func() {
		contributorinsights.NewContributorInsights(stack, jsii.String("C"), &contributorinsights.ContributorInsightsProps{
			LogGroup: lg, TrafficType: jsii.String("ACCEPT"), Investigations: []string{"rejected-by-dst-port"}})
	}), "contributorinsights: Investigations", "rejected-by-dst-port counts only REJECT")
	wantAll(t, mustPanic(t, func() {
		flowlogalarms.NewFlowLogAlarms(stack, jsii.String("A"), &flowlogalarms.FlowLogAlarmsProps{
			LogGroup: lg, TrafficType: jsii.String("DENY")})
	}), "flowlogalarms: TrafficType", `"DENY"`, "ALL, ACCEPT or REJECT")
}

// TestFormatWithoutPacketsStillGetsItsAnalytics: a custom format without ${packets} used to get
// no investigation at all; now it gets every one whose filter, keys and order it has (without
// a packets column), and the stack names the ones left out with the fields they lack.
func TestFormatWithoutPacketsStillGetsItsAnalytics(t *testing.T) {
	format := "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end} ${action} ${log-status}"
	s := synthApp(t, map[string]any{"logFormat": format})
	queries := propNames(s, "AWS::Athena::NamedQuery", "Name")
	for _, want := range []string{"top-talkers", "rejected-traffic", "bytes-per-hour", "nodata-skipdata-by-interface"} {
		if !slices.Contains(queries, want) {
			t.Errorf("no named query %s; got %v", want, queries)
		}
	}
	for _, r := range resourcesOfType(s, "AWS::Athena::NamedQuery") {
		if q := r["Properties"].(map[string]any)["QueryString"].(string); strings.Contains(q, "packets") {
			t.Errorf("a query sums packets the format lacks:\n%s", q)
		}
	}
	if n := len(resourcesOfType(s, "AWS::CloudWatch::InsightRule")); n != 3 {
		t.Errorf("%d Contributor Insights rules, want the 3 featured ones", n)
	}
	wantAll(t, strings.Join(infos(s), "\n"), "left out of the Athena named queries", "top-talkers-packet-level (the format lacks pkt-srcaddr)",
		"left out of the saved Logs Insights queries")
	f, _ := flowlog.ParseFormat(format)
	stack := newStack(t)
	a := flowlogsathena.NewFlowLogsAthena(stack, jsii.String("A"), &flowlogsathena.FlowLogsAthenaProps{Bucket: newBucket(stack), Format: &f})
	if len(a.Dropped()) == 0 || len(a.Dropped())+len(a.Investigations()) != len(mustSelect(t, flowlog.AllFields())) {
		t.Errorf("Dropped %v and Investigations %d do not cover the catalogue", a.Dropped(), len(a.Investigations()))
	}
}

// TestFeaturedIsOneList: the Contributor Insights rules and the dashboard's Logs Insights
// widgets both show investigations.Featured(), the one list of them.
func TestFeaturedIsOneList(t *testing.T) {
	s := synthApp(t, nil)
	var want, rules []string
	for _, n := range investigations.Featured() {
		inv, _ := investigations.Lookup(n)
		want = append(want, inv.Title)
		rules = append(rules, "VpcFlowLogs-"+n)
	}
	slices.Sort(rules)
	if got := propNames(s, "AWS::CloudWatch::InsightRule", "RuleName"); !slices.Equal(got, rules) {
		t.Errorf("rules %v, want %v", got, rules)
	}
	_, dash := onlyResource(t, s, "AWS::CloudWatch::Dashboard")
	body := resolve(dash["DashboardBody"], map[string]string{})
	for _, title := range want {
		if !strings.Contains(body, `"type":"log"`) || !strings.Contains(body, `"title":"`+title+`"`) {
			t.Errorf("no Logs Insights widget %q on the dashboard", title)
		}
	}
}
