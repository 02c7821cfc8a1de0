package summary

import (
	"errors"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func records(n int, f flowlog.Format) []flowlog.Record {
	g := flowlog.NewGenerator(3, f)
	out := make([]flowlog.Record, n)
	for i := range out {
		g.Next(&out[i])
	}
	return out
}

func TestTotalsAndMerge(t *testing.T) {
	recs := records(5000, flowlog.DefaultFormat())
	spec := &Spec{
		Where:  Filter{Protocols: []uint8{6}}.Cond(),
		Tables: []investigations.Investigation{TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 5), TopN([]flowlog.Field{flowlog.DstPort}, investigations.Records, 0)},
	}
	one, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := one.Begin(flowlog.DefaultFormat()); err != nil {
		t.Fatal(err)
	}
	var want Totals
	first, last := int64(1<<62), int64(0)
	for i := range recs {
		r := &recs[i]
		one.Add(r)
		if r.Protocol() != 6 || !r.Has(flowlog.Protocol) {
			continue
		}
		want.Records++
		want.Packets += int64(r.Packets())
		want.Bytes += int64(r.Bytes())
		if r.Action() == flowlog.Accept {
			want.Accepted++
		} else if r.Action() == flowlog.Reject {
			want.Rejected++
		}
		first, last = min(first, r.StartUnix()), max(last, r.EndUnix())
	}
	want.First, want.Last = time.Unix(first, 0).UTC(), time.Unix(last, 0).UTC()
	got := one.Summary()
	if got.Totals != want || want.Records == 0 || want.Rejected == 0 {
		t.Errorf("totals\n got %+v\nwant %+v", got.Totals, want)
	}
	if n := len(got.Tables[0].Result.Rows); n != 5 {
		t.Errorf("top 5: %d rows", n)
	}
	var sum int64
	for _, row := range got.Tables[1].Result.Rows {
		sum += row[1].(int64)
	}
	if sum != want.Records {
		t.Errorf("dstport table counts %d records, totals %d", sum, want.Records)
	}

	// Three partial summarizers merged give the same answer.
	parts := make([]*Summarizer, 3)
	for i := range parts {
		parts[i], _ = New(spec)
	}
	for i := range recs {
		p := parts[i%3]
		if i < 3 {
			if err := p.Begin(flowlog.DefaultFormat()); err != nil {
				t.Fatal(err)
			}
		}
		p.Add(&recs[i])
	}
	empty, _ := New(spec)
	empty.Merge(parts[0])
	empty.Merge(parts[1])
	empty.Merge(parts[2])
	if m := empty.Summary(); !reflect.DeepEqual(m, got) {
		t.Errorf("merged differs:\n%+v\n%+v", m.Totals, got.Totals)
	}
}

func TestBeginNamesMissingFields(t *testing.T) {
	spec := &Spec{Where: Filter{Interfaces: []string{"eni-1"}}.Cond(), Tables: []investigations.Investigation{TopN([]flowlog.Field{flowlog.VpcID}, investigations.Bytes, 5)}}
	s, _ := New(spec)
	f := flowlog.MustFormat(flowlog.SrcAddr, flowlog.Bytes)
	err := s.Begin(f)
	if err == nil || !reflect.DeepEqual(err.Error(), "format lacks fields: the filter needs interface-id\ninvestigations: top-vpc-id-by-bytes needs field(s) the format lacks: vpc-id") {
		t.Errorf("%v", err)
	}
}

func TestFilter(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	rec := func(line string) *flowlog.Record {
		r, err := flowlog.ParseRecord(line, flowlog.DefaultFormat())
		if err != nil {
			t.Fatal(err)
		}
		return &r
	}
	ssh := rec("2 123456789012 eni-1 203.0.113.5 10.0.1.7 40000 22 6 3 180 1709290800 1709290860 REJECT OK")
	v6 := rec("2 123456789012 eni-2 2001:db8::5 2001:db8:1::7 443 50000 6 10 9000 1709290800 1709290860 ACCEPT OK")
	nodata := rec("2 123456789012 eni-1 - - - - - - - 1709290800 1709290860 - NODATA")
	p := func(s string) []netip.Prefix { ps, err := ParsePrefixes(s); must(t, err); return ps }
	ports := func(s string) []PortRange { ps, err := ParsePorts(s); must(t, err); return ps }
	tm := func(s string) time.Time { v, err := ParseTime(s, now); must(t, err); return v }
	for _, c := range []struct {
		name string
		f    Filter
		want [3]bool // ssh, v6, nodata
	}{
		{"none", Filter{}, [3]bool{true, true, true}},
		{"reject", Filter{Actions: []string{"REJECT"}}, [3]bool{true, false, false}},
		{"port 22", Filter{Ports: ports("22")}, [3]bool{true, false, false}},
		{"port 443 either side", Filter{Ports: ports("440-450")}, [3]bool{false, true, false}},
		{"tcp", Filter{Protocols: []uint8{6}}, [3]bool{true, true, false}},
		{"src v4", Filter{Src: p("203.0.113.0/24")}, [3]bool{true, false, false}},
		{"dst v6", Filter{Dst: p("2001:db8:1::/48")}, [3]bool{false, true, false}},
		{"src v6 or v4 address", Filter{Src: p("2001:db8::/32,203.0.113.5")}, [3]bool{true, true, false}},
		{"interface", Filter{Interfaces: []string{"eni-1"}}, [3]bool{true, false, true}},
		{"since 2h", Filter{Since: tm("2h")}, [3]bool{true, true, true}},
		{"since after", Filter{Since: tm("2024-03-01T11:02:00Z")}, [3]bool{false, false, false}},
		{"until before", Filter{Until: tm("2024-03-01T10:59:59Z")}, [3]bool{false, false, false}},
		{"window", Filter{Since: tm("2024-03-01T11:00:30Z"), Until: tm("2024-03-01")}, [3]bool{false, false, false}},
		{"overlap", Filter{Since: tm("2024-03-01T11:00:30Z"), Until: tm("2024-03-01T11:00:31Z")}, [3]bool{true, true, true}},
	} {
		cond := c.f.Cond()
		if err := cond.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := [3]bool{cond.Match(ssh), cond.Match(v6), cond.Match(nodata)}
		if got != c.want {
			t.Errorf("%s (%s): got %v, want %v", c.name, cond, got, c.want)
		}
	}
	for _, bad := range []error{
		func() error { _, err := ParseActions("allow"); return err }(),
		func() error { _, err := ParsePorts("70000"); return err }(),
		func() error { _, err := ParsePorts("90-80"); return err }(),
		func() error { _, err := ParseProtocols("tcpp"); return err }(),
		func() error { _, err := ParsePrefixes("10.0.0.0/33"); return err }(),
		func() error { _, err := ParseTime("yesterday", now); return err }(),
	} {
		if bad == nil {
			t.Error("bad value accepted")
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestBeginPartial: over inputs of several formats, each table counts
// the inputs whose format has its fields, exactly as a summarizer of that
// table alone fed only those inputs; the totals count every input; an
// input lacking a field of the filter fails; merged summarizers agree.
func TestBeginPartial(t *testing.T) {
	full := flowlog.DefaultFormat()
	noDst := flowlog.MustFormat(flowlog.SrcAddr, flowlog.SrcPort, flowlog.Packets, flowlog.Bytes, flowlog.Action, flowlog.Protocol)
	project := func(recs []flowlog.Record, f flowlog.Format) []flowlog.Record {
		out := make([]flowlog.Record, len(recs))
		for i := range recs {
			for j := range f.Len() {
				if fld := f.Field(j); recs[i].Has(fld) {
					_ = out[i].SetText(fld, recs[i].Get(fld).String())
				}
			}
		}
		return out
	}
	inputs := []struct {
		f    flowlog.Format
		recs []flowlog.Record
	}{{full, records(3000, full)}, {noDst, project(records(2000, full), noDst)}, {full, records(1000, full)[500:]}}
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	tables := []investigations.Investigation{
		TopN([]flowlog.Field{src}, investigations.Bytes, 5),
		TopN([]flowlog.Field{dst}, investigations.Bytes, 5),
		TopN([]flowlog.Field{src, dst}, investigations.Bytes, 5),
	}
	spec := &Spec{Where: Filter{Protocols: []uint8{6, 17}}.Cond(), Tables: tables}
	whole, _ := New(spec)
	a, _ := New(spec)
	b, _ := New(spec)
	for n, in := range inputs {
		lacking, err := whole.BeginPartial(in.f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := []*Summarizer{a, b}[n%2].BeginPartial(in.f); err != nil {
			t.Fatal(err)
		}
		for i, inv := range tables {
			if want := inv.Missing(in.f); !reflect.DeepEqual(lacking[i], want) {
				t.Errorf("input %d: %s lacks %v, want %v", n, inv.Name, lacking[i], want)
			}
		}
		for i := range in.recs {
			whole.Add(&in.recs[i])
			[]*Summarizer{a, b}[n%2].Add(&in.recs[i])
		}
	}
	a.Merge(b)
	totals, _ := New(&Spec{Where: spec.Where})
	for _, in := range inputs {
		if err := totals.Begin(in.f); err != nil {
			t.Fatal(err)
		}
		for i := range in.recs {
			totals.Add(&in.recs[i])
		}
	}
	for name, s := range map[string]Summary{"whole": whole.Summary(), "merged": a.Summary()} {
		if s.Totals != totals.Summary().Totals {
			t.Errorf("%s: totals %+v, want %+v", name, s.Totals, totals.Summary().Totals)
		}
		for i, inv := range tables {
			one, _ := New(&Spec{Where: spec.Where, Tables: []investigations.Investigation{inv}})
			for _, in := range inputs {
				if len(inv.Missing(in.f)) > 0 {
					continue
				}
				if err := one.Begin(in.f); err != nil {
					t.Fatal(err)
				}
				for j := range in.recs {
					one.Add(&in.recs[j])
				}
			}
			want := one.Summary().Tables[0]
			if got := s.Tables[i]; !reflect.DeepEqual(got, want) || len(want.Result.Rows) == 0 {
				t.Errorf("%s: %s\n got %v\nwant %v", name, inv.Name, got.Result.Rows, want.Result.Rows)
			}
		}
	}
	noProto := flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr)
	if _, err := whole.BeginPartial(noProto); !errors.Is(err, ErrMissingFields) {
		t.Errorf("an input without the filter's protocol: %v, want ErrMissingFields", err)
	}
}

// TestFormatsOrderIsStable: workers see the inputs' formats in any
// order; the summary lists them in one order whichever merged first.
func TestFormatsOrderIsStable(t *testing.T) {
	v5, _ := flowlog.Preset("v5")
	spec := &Spec{}
	summarize := func(order ...flowlog.Format) []flowlog.Format {
		var all *Summarizer
		for _, f := range order {
			s, err := New(spec)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Begin(f); err != nil {
				t.Fatal(err)
			}
			if all == nil {
				all = s
			} else {
				all.Merge(s)
			}
		}
		return all.Summary().Formats
	}
	a := summarize(flowlog.DefaultFormat(), v5)
	b := summarize(v5, flowlog.DefaultFormat())
	if len(a) != 2 || !reflect.DeepEqual(a, b) {
		t.Errorf("formats depend on the order workers saw them:\n%v\n%v", a, b)
	}
}
