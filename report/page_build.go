package report

import (
	"fmt"
	"slices"
	"strconv"
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
	// What --keep-going skipped: the inputs not read (to the end) and the
	// bad lines left out. The page says so at the top.
	SkippedInputs []string
	BadLines      int
}

// Build returns the page of c's numbers: the totals and tables of its
// summary.Summary, drawn.
func Build(c *Collector, m Meta) Page {
	if m.Title == "" {
		m.Title = "VPC Flow Logs report"
	}
	if m.Generated.IsZero() {
		m.Generated = time.Now()
	}
	s := c.Summary()
	top := c.plan.Top()
	p := Page{Title: m.Title, Generated: m.Generated.UTC()}
	p.Sections, p.Notes = c.sections(s, top)
	p.Incomplete = incomplete(m)
	if len(c.formats) == 0 {
		p.Notes = append(p.Notes, "No records were read, so there is nothing to chart.")
	}

	inputs := Fact{Label: "Inputs", List: m.Inputs, Code: true}
	if len(m.Inputs) == 0 {
		inputs = Fact{Label: "Inputs", Value: "standard input"}
	}
	filters := "none: every record"
	if len(m.Filters) > 0 {
		filters = strings.Join(m.Filters, " ")
	}
	t := s.Totals
	span := "no times in the records"
	if !t.First.IsZero() && !t.Last.IsZero() {
		span = t.First.Format("2006-01-02 15:04:05") + " to " + t.Last.Format("2006-01-02 15:04:05") + " (" + duration(t.Last.Sub(t.First)) + ")"
	}
	p.Facts = []Fact{
		inputs,
		{Label: "Filters", Value: filters, Code: len(m.Filters) > 0},
		{Label: "Time span (UTC)", Value: span},
		{Label: "Charts", Value: fmt.Sprintf("top %d per chart, the rest as \"other\"; exact numbers in each table", top)},
		formatFact(sortedFormats(c.formats)),
	}

	recs := u(t.Records)
	p.Cards = []Card{
		{Key: "records", Label: "Flow records", Value: recs},
		{Key: "bytes", Label: "Bytes", Value: u(t.Bytes), Unit: Bytes},
		{Key: "packets", Label: "Packets", Value: u(t.Packets)},
		{Key: "accepted", Label: "Accepted", Value: u(t.Accepted), Tone: "accept", Note: percent(u(t.Accepted), recs)},
		{Key: "rejected", Label: "Rejected", Value: u(t.Rejected), Tone: "reject", Note: percent(u(t.Rejected), recs)},
		{Key: "nodata", Label: "NODATA", Value: u(t.NoData), Tone: "muted", Note: percent(u(t.NoData), recs)},
		{Key: "skipdata", Label: "SKIPDATA", Value: u(t.SkipData), Tone: "muted", Note: percent(u(t.SkipData), recs)},
	}
	return p
}

// formatFact describes the inputs' formats.
func formatFact(fs []fl.Format) Fact {
	f := Fact{Label: "Format", Code: true, Wide: true}
	if len(fs) == 0 {
		f.Value, f.Code = "no records read", false
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

// duration says d in words people read at a glance: "55 hours 33 minutes",
// "3.2 days", "42 seconds".
func duration(d time.Duration) string {
	switch {
	case d >= 72*time.Hour:
		return strconv.FormatFloat(d.Hours()/24, 'f', 1, 64) + " days"
	case d >= time.Hour:
		return plural(int64(d/time.Hour), "hour") + " " + plural(int64(d%time.Hour/time.Minute), "minute")
	case d >= time.Minute:
		return plural(int64(d/time.Minute), "minute") + " " + plural(int64(d%time.Minute/time.Second), "second")
	}
	return plural(int64(d/time.Second), "second")
}

// maxSkippedShown bounds the skipped inputs the page lists by name.
const maxSkippedShown = 20

// incomplete says what the numbers leave out, one sentence per kind.
func incomplete(m Meta) []string {
	var out []string
	if n := len(m.SkippedInputs); n > 0 {
		names := m.SkippedInputs[:min(n, maxSkippedShown)]
		s := plural(int64(n), "input") + " skipped (not read, or not to the end): " + strings.Join(names, ", ")
		if n > len(names) {
			s += fmt.Sprintf(", and %d more", n-len(names))
		}
		out = append(out, s+".")
	}
	if m.BadLines > 0 {
		out = append(out, plural(int64(m.BadLines), "bad line")+" skipped.")
	}
	if len(out) > 0 {
		out = append(out, "The numbers below leave these out; standard error of flowlog report named each one.")
	}
	return out
}

// sortedFormats returns a sorted copy of fs: workers meet the formats in
// an order that changes from run to run, and the page must not.
func sortedFormats(fs []fl.Format) []fl.Format {
	out := slices.Clone(fs)
	slices.SortFunc(out, func(a, b fl.Format) int { return strings.Compare(a.String(), b.String()) })
	return out
}
