package report

import (
	"strings"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// subtotals are the totals the "other" rows are taken from.
type subtotals struct {
	all, rejected, noData Totals
	known                 bool
}

func (c *Collector) subtotals() subtotals {
	g, _, ok := c.result(invStatus)
	if !ok {
		return subtotals{}
	}
	st := subtotals{known: true}
	ac, sc := g.col("action"), g.col("log_status")
	for i, row := range g.rows {
		t := g.totals(i)
		st.all.add(t)
		if row[ac] == "REJECT" {
			st.rejected.add(t)
		}
		if row[sc] == "NODATA" || row[sc] == "SKIPDATA" {
			st.noData.add(t)
		}
	}
	return st
}

// Sections returns the report's charts, in page order, each with top bars
// before "other", and notes on the charts the inputs' formats cannot give.
func (c *Collector) Sections(top int) (secs []Section, notes []string) {
	if top <= 0 {
		top = DefaultTop
	}
	st := c.subtotals()
	pick := func(t Totals) Totals {
		if st.known {
			return t
		}
		return Totals{}
	}
	groups := func(p *part) int { return p.eval.Groups() }
	missing := func(p *part) {
		var need []string
		for _, f := range p.inv.Needs() {
			need = append(need, f.Name())
		}
		notes = append(notes, p.inv.Title+": not shown; the inputs' format lacks "+missingNames(p, c.formats)+" (needs "+strings.Join(need, ", ")+").")
	}

	if g, p, ok := c.result(invHours); ok {
		b, r := timeSections(g)
		secs = append(secs, b, r)
	} else if p != nil {
		missing(p)
	}
	bar := func(name string, s barSpec) {
		g, p, ok := c.result(name)
		if !ok {
			if p != nil {
				missing(p)
			}
			return
		}
		if s.Title == "" {
			s.Title = p.inv.Title
		}
		s.ID = name
		if s.Question == "" {
			s.Question = p.inv.Question
		}
		if s.Top == 0 {
			s.Top = top
		}
		if s.Noun != "" {
			s.Groups = groups(p)
		}
		secs = append(secs, barSection(g, s))
	}
	bar(invTalkers, barSpec{Question: "Which source addresses sent the most bytes?", Keys: []string{"srcaddr"}, Measure: "bytes", All: pick(st.all), Noun: "sources"})
	bar(invPairs, barSpec{Title: "Top source → destination pairs", Question: "Which source/destination pairs transferred the most bytes?", Keys: []string{"srcaddr", "dstaddr"}, Measure: "bytes", All: pick(st.all), Noun: "pairs",
		Label: func(v []any) string { return show("srcaddr", v[0]) + " → " + show("dstaddr", v[1]) }})
	bar(invRejPorts, barSpec{Keys: []string{"dstport", "protocol"}, Measure: "records", All: pick(st.rejected), Noun: "ports",
		Label: portLabel, Empty: "No rejected records."})
	bar(invRejSrc, barSpec{Keys: []string{"srcaddr"}, Measure: "records", All: pick(st.rejected), Noun: "sources", Empty: "No rejected records."})
	bar(invDirection, barSpec{Keys: []string{"flow_direction"}, Measure: "bytes", Split: "action", Top: 1 << 30})
	bar(invPath, barSpec{Title: "Egress traffic by traffic path", Keys: []string{"traffic_path"}, Measure: "bytes", Top: 1 << 30, Empty: "No egress records with a traffic path."})
	bar(invToSvc, barSpec{Keys: []string{"pkt_dst_aws_service"}, Measure: "bytes", Top: 1 << 30, Empty: "No traffic to AWS service addresses."})
	bar(invFromSvc, barSpec{Keys: []string{"pkt_src_aws_service"}, Measure: "bytes", Top: 1 << 30, Empty: "No traffic from AWS service addresses."})
	bar(invNoData, barSpec{Keys: []string{"interface_id"}, Measure: "records", Split: "log_status", All: pick(st.noData), Noun: "interfaces", Empty: "No NODATA or SKIPDATA records: every interface logged normally."})
	return secs, notes
}

// missingNames names the fields p needs that no input's format has.
func missingNames(p *part, formats []fl.Format) string {
	var names []string
	for _, f := range p.inv.Needs() {
		has := false
		for _, ff := range formats {
			has = has || ff.Has(f)
		}
		if !has {
			names = append(names, f.Name())
		}
	}
	return strings.Join(names, ", ")
}

// portLabel labels a destination port and protocol, e.g. "22/TCP"; a
// protocol without ports (ICMP ...) on port 0 is its name alone.
func portLabel(v []any) string {
	proto := show("protocol", v[1])
	if p, ok := v[1].(int64); ok && p != 6 && p != 17 && p != 132 && v[0] == int64(0) {
		return proto
	}
	return show("dstport", v[0]) + "/" + proto
}
