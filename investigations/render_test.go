package investigations_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// presets returns every preset plus the default format reversed, a
// format with the same fields in another order.
func presets(t *testing.T) map[string]flowlog.Format {
	t.Helper()
	out := map[string]flowlog.Format{}
	for _, n := range flowlog.PresetNames() {
		f, _ := flowlog.Preset(n)
		out[n] = f
	}
	def := flowlog.DefaultFormat().Fields()
	for i, j := 0, len(def)-1; i < j; i, j = i+1, j-1 {
		def[i], def[j] = def[j], def[i]
	}
	out["default-reversed"] = flowlog.MustFormat(def...)
	return out
}

type ciBody struct {
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

// TestRenderingsFollowTheFormat checks, over every preset, that Insights
// parse clauses, Contributor Insights positions and metric-filter
// patterns name the format's fields in order, and that the limits of
// each service hold.
func TestRenderingsFollowTheFormat(t *testing.T) {
	seenCI := map[string]string{} // preset -> top-pairs rule body
	defer func() {
		// Moving the fields moves the rule's positions: the default format,
		// its reverse and the security preset place srcaddr, dstaddr and
		// bytes differently (v5 and all start like the default, so they
		// share its positions).
		if seenCI["default"] == seenCI["default-reversed"] || seenCI["default"] == seenCI["security"] || seenCI["security"] == seenCI["cost"] {
			t.Errorf("rule bodies do not follow the format: %q", seenCI)
		}
	}()
	parseRE := regexp.MustCompile(`^parse @message "([* ]+)" as (.+)$`)
	seenParse := map[string]string{}
	seenMF := map[string]string{}
	for name, f := range presets(t) {
		// Insights parse clause: one '*' per field, then the fields' names in order.
		p := investigations.InsightsParse(f)
		if f == flowlog.DefaultFormat() {
			if p != "" {
				t.Errorf("default format gets a parse clause: %s", p)
			}
		} else {
			m := parseRE.FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("%s: parse clause %q", name, p)
			}
			stars := strings.Fields(m[1])
			names := strings.Split(m[2], ", ")
			if len(stars) != f.Len() || len(names) != f.Len() {
				t.Errorf("%s: %d stars, %d names, %d fields", name, len(stars), len(names), f.Len())
			}
			for i, n := range names {
				if n != investigations.InsightsField(f.Field(i)) {
					t.Errorf("%s: parse name %d is %s, field %s", name, i, n, f.Field(i).Name())
				}
			}
			if other, dup := seenParse[p]; dup {
				t.Errorf("%s and %s share a parse clause", name, other)
			}
			seenParse[p] = name
		}

		for _, inv := range investigations.Catalogue() {
			if len(inv.Missing(f)) > 0 {
				continue
			}
			if len(inv.Params()) > 0 {
				inv, _ = inv.Bind("10.0.0.1")
			}
			if _, err := inv.AthenaSQL("flows", f); err != nil {
				t.Errorf("%s/%s SQL: %v", name, inv.Name, err)
			}
			q, err := inv.InsightsQuery(f)
			if err != nil {
				t.Errorf("%s/%s Insights: %v", name, inv.Name, err)
			}
			if len(q) > 10000 {
				t.Errorf("%s/%s: Insights query of %d characters", name, inv.Name, len(q))
			}
			if p != "" && !strings.HasPrefix(q, p+"\n| ") {
				t.Errorf("%s/%s: query does not start with the parse clause", name, inv.Name)
			}
			body, ok, err := inv.ContributorRule(f, "/vpc/flow-logs")
			if err != nil {
				t.Errorf("%s/%s CI: %v", name, inv.Name, err)
			}
			if !ok {
				continue
			}
			checkRule(t, name+"/"+inv.Name, f, body)
			if inv.Name == "top-pairs-by-bytes" {
				seenCI[name] = body
			}
		}

		for _, c := range investigations.Counters() {
			pat, err := c.MetricFilterPattern(f)
			if len(c.Missing(f)) > 0 {
				if err == nil {
					t.Errorf("%s/%s: pattern despite missing fields", name, c.Name)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s/%s: %v", name, c.Name, err)
			}
			checkPattern(t, name+"/"+c.Name, f, pat)
			if c.Name == "rejected" {
				if other, dup := seenMF[pat]; dup {
					t.Errorf("%s and %s share a pattern", name, other)
				}
				seenMF[pat] = name
			}
		}
	}
}

func checkRule(t *testing.T, what string, f flowlog.Format, body string) {
	t.Helper()
	if len(body) > investigations.MaxRuleBodyLen {
		t.Errorf("%s: rule of %d characters", what, len(body))
	}
	var r ciBody
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if r.Schema.Name != "CloudWatchLogRule" || r.LogFormat != "CLF" || len(r.LogGroupNames) != 1 {
		t.Errorf("%s: header %+v", what, r)
	}
	aliases := map[string]bool{}
	for pos, alias := range r.Fields {
		i, err := strconv.Atoi(pos)
		if err != nil || i < 1 || i > f.Len() {
			t.Fatalf("%s: position %q", what, pos)
		}
		if f.Field(i-1).Name() != alias {
			t.Errorf("%s: position %d is %s in the format, rule says %s", what, i, f.Field(i-1).Name(), alias)
		}
		aliases[alias] = true
	}
	if n := len(r.Contribution.Keys); n < 1 || n > investigations.MaxContributorKeys {
		t.Errorf("%s: %d keys", what, n)
	}
	if n := len(r.Contribution.Filters); n > investigations.MaxContributorFilters {
		t.Errorf("%s: %d filters", what, n)
	}
	if (r.Contribution.ValueOf != "") != (r.AggregateOn == "Sum") {
		t.Errorf("%s: ValueOf %q with %s", what, r.Contribution.ValueOf, r.AggregateOn)
	}
	used := append([]string{r.Contribution.ValueOf}, r.Contribution.Keys...)
	for _, flt := range r.Contribution.Filters {
		used = append(used, flt["Match"].(string))
	}
	for _, u := range used {
		if u != "" && !aliases[u] {
			t.Errorf("%s: %s is not among the rule's fields", what, u)
		}
	}
}

func checkPattern(t *testing.T, what string, f flowlog.Format, pat string) {
	t.Helper()
	if !strings.HasPrefix(pat, "[") || !strings.HasSuffix(pat, "]") {
		t.Fatalf("%s: %s", what, pat)
	}
	parts := strings.Split(pat[1:len(pat)-1], ", ")
	if len(parts) != f.Len() {
		t.Fatalf("%s: %d terms for %d fields: %s", what, len(parts), f.Len(), pat)
	}
	nameRE := regexp.MustCompile(`^[a-z0-9_]+`)
	for i, p := range parts {
		want := investigations.PatternField(f.Field(i))
		for alt := range strings.SplitSeq(p, " || ") {
			if got := nameRE.FindString(alt); got != want {
				t.Errorf("%s: term %d is %q, field %s", what, i, alt, want)
			}
		}
	}
}

func TestContributorShapes(t *testing.T) {
	f := flowlog.AllFields()
	fits := map[string]bool{}
	for _, inv := range investigations.Catalogue() {
		_, ok, err := inv.ContributorRule(f, "g")
		if err != nil {
			t.Fatal(err)
		}
		fits[inv.Name] = ok
	}
	// The top-N investigations the issue names fit; time series, derived
	// keys and parameters do not.
	for _, n := range []string{"top-talkers", "top-pairs-by-bytes", "rejected-ssh-rdp", "rejected-by-dst-port", "rejected-traffic", "top-talking-instances"} {
		if !fits[n] {
			t.Errorf("%s should fit a Contributor Insights rule", n)
		}
	}
	for _, n := range []string{"bytes-per-hour", "ipv4-vs-ipv6-bytes", "traffic-from-address", "traffic-by-direction"} {
		if fits[n] {
			t.Errorf("%s should not fit", n)
		}
	}
	// Five filters do not fit.
	inv := investigations.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 10, investigations.And(
		investigations.Equal(flowlog.Action, "REJECT"), investigations.Equal(flowlog.Protocol, "6"),
		investigations.Compare(flowlog.Bytes, investigations.Gt, 10), investigations.Present(flowlog.InstanceID),
		investigations.Equal(flowlog.FlowDirection, "ingress")))
	if _, ok, err := inv.ContributorRule(f); ok || err != nil {
		t.Errorf("5 filters: ok=%v err=%v", ok, err)
	}
	if err := inv.ContributorFit(f); err == nil {
		t.Error("ContributorFit gives no reason")
	}
}

func TestMetricFilterPatterns(t *testing.T) {
	c, _ := investigations.LookupCounter("rejected-ssh-rdp")
	got, err := c.MetricFilterPattern(flowlog.DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	// AWS's own example for the default format
	// (https://docs.aws.amazon.com/vpc/latest/userguide/process-records-cwl.html)
	// with our names and both ports.
	want := `[version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport=22 || dstport=3389, protocol, packets, bytes, start, end, action="REJECT", log_status]`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if c.MetricValue() != "1" {
		t.Error(c.MetricValue())
	}
	b, _ := investigations.LookupCounter("accepted-bytes")
	if b.MetricValue() != "$bytes" {
		t.Error(b.MetricValue())
	}
	for _, name := range []string{"rejected-ssh-rdp", "rejected", "nodata", "skipdata"} {
		if _, ok := investigations.LookupCounter(name); !ok {
			t.Errorf("no counter %s", name)
		}
	}
	// No pattern form for a prefix.
	bad := investigations.Counter{Name: "x", Where: investigations.InPrefix(flowlog.SrcAddr, mustPrefix("10.0.0.0/8")), Value: investigations.Records}
	if _, err := bad.MetricFilterPattern(flowlog.DefaultFormat()); err == nil {
		t.Error("prefix pattern rendered")
	}
}
