package report

import (
	"errors"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func collect(t *testing.T, p *Plan, f fl.Format, recs []fl.Record) *Collector {
	t.Helper()
	c := p.Collector()
	if err := c.Begin(f); err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		c.Add(&recs[i])
	}
	return c
}

func generated(f fl.Format, n int) []fl.Record {
	g := fl.NewGenerator(3, f)
	out := make([]fl.Record, n)
	for i := range out {
		out[i] = g.Record()
	}
	return out
}

func section(p Page, id string) (Section, bool) {
	for _, s := range p.Sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// TestManySources: thousands of distinct sources draw as the top N and
// one "other" bar, which holds exactly the rest of the bytes.
func TestManySources(t *testing.T) {
	f := fl.DefaultFormat()
	recs := generated(f, 5000)
	for i := range recs { // a distinct source per record
		_ = recs[i].SetAddr(fl.SrcAddr, netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
	}
	page := Build(collect(t, NewPlan(investigations.Cond{}, 7), f, recs), Meta{})
	s, ok := section(page, invSources)
	if !ok {
		t.Fatal("no top sources")
	}
	c := s.Chart
	if len(c.Labels) != 8 || !c.OtherLast || c.Labels[7] != "other sources" {
		t.Fatalf("labels %q", c.Labels)
	}
	var drawn, total uint64
	for _, v := range c.Values {
		drawn += v[0]
	}
	for _, card := range page.Cards {
		if card.Key == "bytes" {
			total = card.Value
		}
	}
	if drawn != total {
		t.Errorf("the bars add up to %d bytes, the total is %d", drawn, total)
	}
	if len(s.Table.Rows) != 8 || s.Table.Rows[7][0].Text != "other sources" {
		t.Errorf("table rows %d", len(s.Table.Rows))
	}
}

// TestMergeIsOnePass: collectors of parts of the records, merged, give
// the page of one collector of all of them.
func TestMergeIsOnePass(t *testing.T) {
	f, _ := fl.Preset("v5")
	recs := generated(f, 3000)
	plan := NewPlan(investigations.Cond{}, 0)
	one := collect(t, plan, f, recs)
	a, b := collect(t, plan, f, recs[:1000]), collect(t, plan, f, recs[1000:])
	a.Merge(b)
	m := Meta{Generated: one.Summary().Totals.First}
	if got, want := Build(a, m), Build(one, m); !reflect.DeepEqual(got, want) {
		t.Error("merged page differs from the one-pass page")
	}
}

// TestFormatDecides: the first input's format decides the charts; a
// later input lacking their fields, or the filter's, is refused.
func TestFormatDecides(t *testing.T) {
	plan := NewPlan(investigations.Equal(fl.Action, "REJECT"), 0)
	page := Build(collect(t, plan, fl.DefaultFormat(), generated(fl.DefaultFormat(), 100)), Meta{})
	if _, ok := section(page, invDirection); ok {
		t.Error("direction drawn without flow-direction")
	}
	notes := strings.Join(page.Notes, "\n")
	if !strings.Contains(notes, "Traffic by flow direction: not shown; the format lacks flow-direction") {
		t.Errorf("notes: %s", notes)
	}
	noAction := fl.MustFormat(fl.SrcAddr, fl.DstAddr, fl.Bytes)
	if err := plan.Collector().Begin(noAction); !errors.Is(err, investigations.ErrMissingFields) {
		t.Errorf("a format without action: %v", err)
	}
}

// TestEmpty: no input, or a filter that keeps no record, still make a
// page, which says so.
func TestEmpty(t *testing.T) {
	page := Build(NewPlan(investigations.Cond{}, 0).Collector(), Meta{})
	if len(page.Cards) == 0 || page.Cards[0].Value != 0 || len(page.Sections) != 0 ||
		!strings.Contains(strings.Join(page.Notes, " "), "No records were read") {
		t.Errorf("no input: cards %+v, %d sections, notes %q", page.Cards, len(page.Sections), page.Notes)
	}
	none := NewPlan(investigations.Compare(fl.DstPort, investigations.Gt, 70000), 0)
	page = Build(collect(t, none, fl.DefaultFormat(), generated(fl.DefaultFormat(), 50)), Meta{})
	if len(page.Sections) == 0 {
		t.Fatal("no sections")
	}
	for _, s := range page.Sections {
		if s.Empty == "" || s.Chart.Marks() != 0 {
			t.Errorf("%s: drawn without records", s.ID)
		}
	}
}

// TestOtherHasTheKey: the "other" row of an address chart holds the rest
// of the records that have the address, not of every record: NODATA and
// SKIPDATA records (no addresses) are in no source, shown or other.
func TestOtherHasTheKey(t *testing.T) {
	f := fl.DefaultFormat()
	recs := generated(f, 5000)
	for i := range recs {
		if recs[i].Has(fl.SrcAddr) {
			_ = recs[i].SetAddr(fl.SrcAddr, netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
		}
	}
	var want Totals
	var noAddr int
	for i := range recs {
		if recs[i].Has(fl.SrcAddr) {
			want.add(Totals{1, recs[i].Packets(), recs[i].Bytes()})
		} else {
			noAddr++
		}
	}
	if noAddr == 0 {
		t.Fatal("the generator made no record without an address")
	}
	page := Build(collect(t, NewPlan(investigations.Cond{}, 7), f, recs), Meta{})
	s, ok := section(page, invSources)
	if !ok {
		t.Fatal("no top sources")
	}
	var got Totals
	for _, row := range s.Table.Rows {
		for i, c := range s.Table.Columns {
			n, _ := strconv.ParseUint(row[i].Raw, 10, 64)
			switch c.Name {
			case "records":
				got.Records += n
			case "packets":
				got.Packets += n
			case "bytes":
				got.Bytes += n
			}
		}
	}
	if got != want {
		t.Errorf("the rows with \"other\" add up to %+v, the records with a source to %+v (%d without)", got, want, noAddr)
	}
}

// TestIncomplete: inputs --keep-going skipped and bad lines are said at
// the top of the page, before any number.
func TestIncomplete(t *testing.T) {
	c := collect(t, NewPlan(investigations.Cond{}, 0), fl.DefaultFormat(), generated(fl.DefaultFormat(), 20))
	if p := Build(c, Meta{}); len(p.Incomplete) != 0 {
		t.Errorf("complete read: %q", p.Incomplete)
	}
	var skipped []string
	for i := range 25 {
		skipped = append(skipped, "s3://b/obj"+strconv.Itoa(i)+".log.gz")
	}
	page := Build(c, Meta{SkippedInputs: skipped, BadLines: 3})
	got := strings.Join(page.Incomplete, "\n")
	for _, want := range []string{"25 inputs skipped", "s3://b/obj0.log.gz, ", "s3://b/obj19.log.gz, and 5 more.", "3 bad lines skipped."} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
	var b strings.Builder
	if err := Write(&b, page); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	alert, cards := strings.Index(html, `role="alert"`), strings.Index(html, `class="cards"`)
	if alert < 0 || alert > cards || !strings.Contains(html, "3 bad lines skipped.") {
		t.Errorf("the warning is not shown before the totals (at %d, cards at %d)", alert, cards)
	}
}

// TestChartLeavesOutInputs: charts chosen by a v5 first input leave out a
// later default-format input that lacks their fields, and the page says
// which; the totals and the other charts cover both inputs.
func TestChartLeavesOutInputs(t *testing.T) {
	v5, _ := fl.Preset("v5")
	plan := NewPlan(investigations.Cond{}, 0)
	c := plan.Collector()
	a, b := generated(v5, 300), generated(fl.DefaultFormat(), 200)
	for _, in := range []struct {
		name string
		f    fl.Format
		recs []fl.Record
	}{{"a.log", v5, a}, {"b.log", fl.DefaultFormat(), b}} {
		if err := c.BeginInput(in.name, in.f); err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		for i := range in.recs {
			c.Add(&in.recs[i])
		}
	}
	s := c.Summary()
	if s.Totals.Records != 500 {
		t.Errorf("totals: %d records, want 500", s.Totals.Records)
	}
	sum := func(name string) (n int64) {
		tab, ok := table(s, name)
		if !ok {
			t.Fatalf("no table %s", name)
		}
		g := newGrid(tab.Result.Columns, tab.Result.Rows)
		for i := range g.rows {
			n += int64(g.totals(i).Records)
		}
		return n
	}
	var v5Dir int64
	for i := range a {
		if a[i].Has(fl.FlowDirection) {
			v5Dir++
		}
	}
	if got := sum(invDirection); got != v5Dir {
		t.Errorf("direction chart: %d records, want the v5 input's %d", got, v5Dir)
	}
	hours := func(c *Collector) (n int64) {
		tab, _ := table(c.Summary(), invHours)
		g := newGrid(tab.Result.Columns, tab.Result.Rows)
		for i := range g.rows {
			n += int64(g.totals(i).Records)
		}
		return n
	}
	want := hours(collect(t, NewPlan(investigations.Cond{}, 0), v5, a)) + hours(collect(t, NewPlan(investigations.Cond{}, 0), fl.DefaultFormat(), b))
	if got := sum(invHours); got != want || want == 0 {
		t.Errorf("hours chart: %d records, want both inputs' %d", got, want)
	}
	notes := strings.Join(Build(c, Meta{}).Notes, "\n")
	if !strings.Contains(notes, "Traffic by flow direction: computed without 1 input whose format lacks flow-direction (b.log).") {
		t.Errorf("notes: %s", notes)
	}
}
