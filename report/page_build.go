package report

import (
	"fmt"
	"strings"
	"time"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Meta is what a report covers, as the caller read it.
type Meta struct {
	Title     string    // default "VPC Flow Logs report"
	Inputs    []string  // as given on the command line
	Filters   []string  // the filters applied, for people, e.g. "--action REJECT"
	Generated time.Time // default now
	Top       int       // bars per chart before "other"; default DefaultTop
}

// Build returns the page of c's numbers.
func Build(c *Collector, m Meta) Page {
	if m.Title == "" {
		m.Title = "VPC Flow Logs report"
	}
	if m.Generated.IsZero() {
		m.Generated = time.Now()
	}
	if m.Top <= 0 {
		m.Top = DefaultTop
	}
	p := Page{Title: m.Title, Generated: m.Generated.UTC()}
	secs, notes := c.Sections(m.Top)
	p.Sections, p.Notes = secs, notes

	p.Facts = append(p.Facts, Fact{Label: "Inputs", List: m.Inputs, Code: true})
	if len(m.Inputs) == 0 {
		p.Facts[0] = Fact{Label: "Inputs", Value: "standard input"}
	}
	filters := "none: every record"
	if len(m.Filters) > 0 {
		filters = strings.Join(m.Filters, " ")
	}
	p.Facts = append(p.Facts, Fact{Label: "Filters", Value: filters})
	p.Facts = append(p.Facts, Fact{Label: "Time span (flow starts, UTC)", Value: c.span()})
	p.Facts = append(p.Facts, Fact{Label: "Charts", Value: fmt.Sprintf("top %d per chart, the rest as \"other\"; exact numbers in each table", m.Top)})
	p.Facts = append(p.Facts, formatFact(c.Formats()))

	st := c.subtotals()
	if st.known {
		recs := st.all.Records
		var acc, rej, nod, skip uint64
		g, _, _ := c.result(invStatus)
		ac, sc := g.col("action"), g.col("log_status")
		for i, row := range g.rows {
			n := g.totals(i).Records
			switch {
			case row[ac] == "ACCEPT":
				acc += n
			case row[ac] == "REJECT":
				rej += n
			}
			switch row[sc] {
			case "NODATA":
				nod += n
			case "SKIPDATA":
				skip += n
			}
		}
		p.Cards = []Card{
			{Key: "records", Label: "Flow records", Value: recs},
			{Key: "bytes", Label: "Bytes", Value: st.all.Bytes, Unit: Bytes},
			{Key: "packets", Label: "Packets", Value: st.all.Packets},
			{Key: "accepted", Label: "Accepted", Value: acc, Tone: "accept", Note: pctNote(acc, recs)},
			{Key: "rejected", Label: "Rejected", Value: rej, Tone: "reject", Note: pctNote(rej, recs)},
			{Key: "nodata", Label: "NODATA", Value: nod, Tone: "muted", Note: pctNote(nod, recs)},
			{Key: "skipdata", Label: "SKIPDATA", Value: skip, Tone: "muted", Note: pctNote(skip, recs)},
		}
	}
	return p
}

func pctNote(part, whole uint64) string {
	if whole == 0 {
		return ""
	}
	return percent(part, whole)
}

// formatFact describes the inputs' formats.
func formatFact(fs []fl.Format) Fact {
	f := Fact{Label: "Format", Code: true, Wide: true}
	if len(fs) == 0 {
		f.Value = "no records read"
		return f
	}
	for _, x := range fs {
		name := fmt.Sprintf("version %d, %d fields: %s", x.Version(), x.Len(), x.Header())
		if x == fl.DefaultFormat() {
			name = "default (version 2, 14 fields): " + x.Header()
		}
		f.List = append(f.List, name)
	}
	if len(f.List) == 1 {
		f.Value, f.List = f.List[0], nil
	}
	return f
}

// span returns the hours of the first and last flow starts.
func (c *Collector) span() string {
	g, _, ok := c.result(invHours)
	if !ok || len(g.rows) == 0 {
		return "unknown"
	}
	hc := g.col("hour")
	var first, last time.Time
	for _, row := range g.rows {
		t, ok := row[hc].(time.Time)
		if !ok {
			continue
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return "unknown"
	}
	return first.Format("2006-01-02 15:04") + " to " + last.Add(time.Hour).Format("2006-01-02 15:04")
}
