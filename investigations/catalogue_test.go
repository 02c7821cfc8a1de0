package investigations_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func TestCatalogueIsValid(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, inv := range investigations.Catalogue() {
		if err := inv.Validate(); err != nil {
			t.Errorf("%s: %v", inv.Name, err)
		}
		if !kebab.MatchString(inv.Name) || seen[inv.Name] {
			t.Errorf("name %q not kebab-case or repeated", inv.Name)
		}
		seen[inv.Name] = true
		if inv.Title == "" || !strings.HasSuffix(inv.Question, "?") {
			t.Errorf("%s: title %q, question %q", inv.Name, inv.Title, inv.Question)
		}
		if got, ok := investigations.Lookup(inv.Name); !ok || got.Name != inv.Name {
			t.Errorf("Lookup(%s)", inv.Name)
		}
		if len(inv.Needs()) == 0 {
			t.Errorf("%s needs no field", inv.Name)
		}
	}
	if _, ok := investigations.Lookup("no-such"); ok {
		t.Error("Lookup of an unknown name succeeded")
	}
}

// Every named query of the AWS Athena integration
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-run-athena-query.html)
// has an investigation.
func TestCoversAWSNamedQueries(t *testing.T) {
	aws := []string{"VpcFlowLogsAcceptedTraffic", "VpcFlowLogsAdminPortTraffic", "VpcFlowLogsIPv4Traffic", "VpcFlowLogsIPv6Traffic",
		"VpcFlowLogsRejectedTCPTraffic", "VpcFlowLogsRejectedTraffic", "VpcFlowLogsSshRdpTraffic", "VpcFlowLogsTopTalkers",
		"VpcFlowLogsTopTalkersPacketLevel", "VpcFlowLogsTopTalkingInstances", "VpcFlowLogsTopTalkingSubnets", "VpcFlowLogsTopTCPTraffic",
		"VpcFlowLogsTotalBytesTransferred", "VpcFlowLogsTotalBytesTransferredPacketLevel", "VpcFlowLogsTrafficFrmSrcAddr", "VpcFlowLogsTrafficToDstAddr"}
	var names []string
	for _, inv := range investigations.Catalogue() {
		for n := range strings.SplitSeq(inv.AWSName, ", ") {
			names = append(names, n)
		}
	}
	for _, n := range aws {
		if !slices.Contains(names, n) {
			t.Errorf("no investigation answers %s", n)
		}
	}
}

// The third-party reproduction of VpcFlowLogsTotalBytesTransferred sorts
// ascending; ours lists the largest pairs first.
func TestTopPairsDescending(t *testing.T) {
	inv, _ := investigations.Lookup("top-pairs-by-bytes")
	q, err := inv.AthenaSQL("flows", flowlog.DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q, "ORDER BY 5 DESC") || inv.OrderBy != investigations.Bytes || inv.Limit != 50 {
		t.Errorf("top pairs not by bytes descending:\n%s", q)
	}
}

func TestSelect(t *testing.T) {
	def := flowlog.DefaultFormat()
	got, err := investigations.Select(def)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, inv := range got {
		names = append(names, inv.Name)
		if m := inv.Missing(def); len(m) > 0 {
			t.Errorf("Select returned %s, which misses %v", inv.Name, m)
		}
	}
	if !slices.Contains(names, "rejected-ssh-rdp") || slices.Contains(names, "top-talking-instances") || slices.Contains(names, "egress-by-traffic-path") {
		t.Errorf("default format selects %v", names)
	}
	all, _ := investigations.Select(flowlog.AllFields())
	if len(all) != len(investigations.Catalogue()) {
		t.Errorf("all fields: %d of %d", len(all), len(investigations.Catalogue()))
	}

	// Asked for by name: exactly those, or an error naming the fields.
	got, err = investigations.Select(def, "top-talkers", "rejected-ssh-rdp")
	if err != nil || len(got) != 2 || got[0].Name != "top-talkers" {
		t.Fatalf("Select by name: %v %v", got, err)
	}
	_, err = investigations.Select(def, "top-talkers", "egress-by-traffic-path")
	var me *investigations.MissingError
	if !errors.Is(err, investigations.ErrMissingFields) || !errors.As(err, &me) {
		t.Fatalf("missing fields: %v", err)
	}
	if me.Name != "egress-by-traffic-path" || !strings.Contains(err.Error(), "flow-direction, traffic-path") {
		t.Errorf("error does not name the fields: %v", err)
	}
	if _, err := investigations.Select(def, "nope"); !errors.Is(err, investigations.ErrUnknown) {
		t.Errorf("unknown: %v", err)
	}
	// Renderers refuse too.
	inv, _ := investigations.Lookup("top-talking-instances")
	if _, err := inv.AthenaSQL("t", def); !errors.Is(err, investigations.ErrMissingFields) {
		t.Errorf("AthenaSQL: %v", err)
	}
	if _, err := inv.InsightsQuery(def); !errors.Is(err, investigations.ErrMissingFields) {
		t.Errorf("InsightsQuery: %v", err)
	}
	if _, _, err := inv.ContributorRule(def); !errors.Is(err, investigations.ErrMissingFields) {
		t.Errorf("ContributorRule: %v", err)
	}
	if _, err := inv.NewEvaluator(def); !errors.Is(err, investigations.ErrMissingFields) {
		t.Errorf("NewEvaluator: %v", err)
	}
}

func TestParams(t *testing.T) {
	inv, _ := investigations.Lookup("traffic-from-address")
	ps := inv.Params()
	if len(ps) != 1 || ps[0].Field != flowlog.SrcAddr {
		t.Fatalf("params %v", ps)
	}
	q, _ := inv.AthenaSQL("t", flowlog.DefaultFormat())
	if !strings.Contains(q, `CAST("srcaddr" AS IPADDRESS) = CAST(? AS IPADDRESS)`) {
		t.Errorf("no placeholder:\n%s", q)
	}
	if _, err := inv.InsightsQuery(flowlog.DefaultFormat()); !errors.Is(err, investigations.ErrUnboundParam) {
		t.Errorf("unbound Insights: %v", err)
	}
	if _, ok, err := inv.ContributorRule(flowlog.DefaultFormat()); ok || err != nil {
		t.Errorf("parameterised CI rule: %v %v", ok, err)
	}
	b, err := inv.Bind("2001:DB8::1")
	if err != nil {
		t.Fatal(err)
	}
	iq, err := b.InsightsQuery(flowlog.DefaultFormat())
	if err != nil || !strings.Contains(iq, `filter isIpv6InSubnet(srcAddr, "2001:db8::1/128")`) {
		t.Errorf("bound: %v\n%s", err, iq)
	}
	if _, err := inv.Bind("not-an-ip"); err == nil {
		t.Error("bad address accepted")
	}
	if _, err := inv.Bind(); !errors.Is(err, investigations.ErrInvalid) {
		t.Errorf("no value: %v", err)
	}
	if _, err := inv.NewEvaluator(flowlog.DefaultFormat()); err == nil {
		t.Error("evaluator without the parameter value")
	}
}

func TestValidateRejects(t *testing.T) {
	for name, inv := range map[string]investigations.Investigation{
		"no name":     {Measures: []investigations.Measure{investigations.Records}},
		"no measures": {Name: "x"},
		"bad order":   {Name: "x", Measures: []investigations.Measure{investigations.Records}, OrderBy: investigations.Bytes},
		"bad cond":    {Name: "x", Measures: []investigations.Measure{investigations.Records}, Where: investigations.Equal(flowlog.Action, "DENY")},
		"bad hour":    {Name: "x", Measures: []investigations.Measure{investigations.Records}, GroupBy: []investigations.Key{investigations.HourOf(flowlog.Bytes)}},
		"double key":  {Name: "x", Measures: []investigations.Measure{investigations.Records}, GroupBy: []investigations.Key{investigations.By(flowlog.SrcAddr), investigations.By(flowlog.SrcAddr)}},
	} {
		if err := inv.Validate(); !errors.Is(err, investigations.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
