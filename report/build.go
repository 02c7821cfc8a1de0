package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// subtotals are the totals the "other" rows are taken from; a zero
// Totals means unknown (no "other" row).
type subtotals struct {
	all, rejected, noData Totals
}

func u(n int64) uint64 { return uint64(max(n, 0)) }

// subtotalsOf takes the totals of all records from the summary's totals,
// of NODATA and SKIPDATA records from its counts (they have no packets or
// bytes), and of rejected records from the hourly table, when it ran.
func subtotalsOf(s summary.Summary) subtotals {
	t := s.Totals
	st := subtotals{
		all:    Totals{u(t.Records), u(t.Packets), u(t.Bytes)},
		noData: Totals{Records: u(t.NoData + t.SkipData)},
	}
	if tab, ok := table(s, invHours); ok {
		g := newGrid(tab.Result.Columns, tab.Result.Rows)
		ac := g.col("action")
		for i, row := range g.rows {
			if row[ac] == "REJECT" {
				st.rejected.add(g.totals(i))
			}
		}
	}
	return st
}

func table(s summary.Summary, name string) (summary.Table, bool) {
	for _, t := range s.Tables {
		if t.Investigation.Name == name {
			return t, true
		}
	}
	return summary.Table{}, false
}

// sections returns the report's charts, in page order, each with top bars
// before "other", and notes on the charts the format could not give.
func (c *Collector) sections(s summary.Summary, top int) (secs []Section, notes []string) {
	st := subtotalsOf(s)
	if c.plan != nil {
		for _, sk := range c.plan.skipped {
			var need []string
			for _, f := range sk.missing {
				need = append(need, f.Name())
			}
			notes = append(notes, sk.inv.Title+": not shown; the format lacks "+strings.Join(need, ", ")+".")
		}
	}
	if c.plan != nil {
		c.plan.mu.Lock()
		for _, g := range c.plan.groupList {
			if len(g.inputs) == 0 {
				continue
			}
			in := slices.Clone(g.inputs)
			slices.Sort(in) // workers finish in any order
			n := "1 input"
			if len(in) > 1 {
				n = fmt.Sprint(len(in)) + " inputs"
			}
			notes = append(notes, g.title+": computed without "+n+" whose format lacks "+
				strings.Join(g.missing, ", ")+" ("+strings.Join(in, ", ")+").")
		}
		c.plan.mu.Unlock()
	}
	if tab, ok := table(s, invHours); ok {
		b, r := timeSections(newGrid(tab.Result.Columns, tab.Result.Rows))
		secs = append(secs, b, r)
	}
	bar := func(name string, spec barSpec) {
		tab, ok := table(s, name)
		if !ok {
			return
		}
		inv := tab.Investigation
		spec.ID = name
		if kt, ok := table(s, totalsPrefix+name); ok && len(kt.Result.Rows) == 1 {
			spec.All = newGrid(kt.Result.Columns, kt.Result.Rows).totals(0)
		}
		if spec.Title == "" {
			spec.Title = inv.Title
		}
		if spec.Question == "" {
			spec.Question = inv.Question
		}
		if spec.Top == 0 {
			spec.Top = top
		}
		secs = append(secs, barSection(newGrid(tab.Result.Columns, tab.Result.Rows), spec))
	}
	bar(invSources, barSpec{Title: "Top sources (talkers)", Question: "Which source addresses sent the most bytes?",
		Keys: []string{"srcaddr"}, Measure: "bytes", All: st.all, Noun: "sources"})
	bar(invDests, barSpec{Title: "Top destinations", Question: "Which destination addresses received the most bytes?",
		Keys: []string{"dstaddr"}, Measure: "bytes", All: st.all, Noun: "destinations"})
	bar(invPairs, barSpec{Title: "Top source → destination pairs", Question: "Which source/destination pairs transferred the most bytes?",
		Keys: []string{"srcaddr", "dstaddr"}, Measure: "bytes", All: st.all, Noun: "pairs",
		Label: func(v []any) string { return show("srcaddr", v[0]) + " → " + show("dstaddr", v[1]) }})
	bar(invRejPorts, barSpec{Keys: []string{"dstport", "protocol"}, Measure: "records", Class: "reject", All: st.rejected, Noun: "ports",
		Label: portLabel, Empty: "No rejected records."})
	bar(invRejSrc, barSpec{Keys: []string{"srcaddr"}, Measure: "records", Class: "reject", All: st.rejected, Noun: "sources", Empty: "No rejected records."})
	bar(invDirection, barSpec{Keys: []string{"flow_direction"}, Measure: "bytes", Split: "action", Top: noLimit})
	bar(invPath, barSpec{Title: "Egress traffic by traffic path", Keys: []string{"traffic_path"}, Measure: "bytes", Top: noLimit, Empty: "No egress records with a traffic path."})
	bar(invToSvc, barSpec{Keys: []string{"pkt_dst_aws_service"}, Measure: "bytes", Top: noLimit, Empty: "No traffic to AWS service addresses."})
	bar(invFromSvc, barSpec{Keys: []string{"pkt_src_aws_service"}, Measure: "bytes", Top: noLimit, Empty: "No traffic from AWS service addresses."})
	bar(invNoData, barSpec{Keys: []string{"interface_id"}, Measure: "records", Split: "log_status", All: st.noData, Noun: "interfaces",
		Empty: "No NODATA or SKIPDATA records: every interface logged normally."})
	return secs, notes
}

// noLimit draws every group of a chart of few groups.
const noLimit = 1 << 30

// portLabel labels a destination port and protocol, e.g. "22/TCP"; a
// protocol without ports (ICMP ...) on port 0 is its name alone.
func portLabel(v []any) string {
	proto := show("protocol", v[1])
	if p, ok := v[1].(int64); ok && p != 6 && p != 17 && p != 132 && v[0] == int64(0) {
		return proto
	}
	return show("dstport", v[0]) + "/" + proto
}
