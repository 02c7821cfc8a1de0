package investigations

import (
	"reflect"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// rollUpRecords are generated records plus the edge records (IPv6,
// IPv4-mapped addresses, ties), records lacking only the source or only
// the destination, and NODATA and SKIPDATA records (no addresses).
func rollUpRecords(t *testing.T, f flowlog.Format) []flowlog.Record {
	recs := generated(f, 4000)
	recs = append(recs, edgeRecords(t, f)...)
	g := flowlog.NewGenerator(5, f)
	for i := range 300 {
		var r flowlog.Record
		g.Next(&r)
		switch i % 4 {
		case 0:
			_ = r.SetText(flowlog.SrcAddr, "-")
		case 1:
			_ = r.SetText(flowlog.DstAddr, "-")
		case 2:
			_ = r.SetText(flowlog.SrcAddr, "-")
			_ = r.SetText(flowlog.DstAddr, "-")
		}
		recs = append(recs, r)
	}
	for _, status := range []string{"NODATA", "SKIPDATA", "NODATA"} {
		var r flowlog.Record
		g.Next(&r)
		for _, fld := range []flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr, flowlog.SrcPort, flowlog.DstPort,
			flowlog.Protocol, flowlog.Packets, flowlog.Bytes, flowlog.Action} {
			_ = r.SetText(fld, "-")
		}
		if err := r.SetText(flowlog.LogStatus, status); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

func generated(f flowlog.Format, n int) []flowlog.Record {
	g := flowlog.NewGenerator(7, f)
	out := make([]flowlog.Record, n)
	for i := range out {
		g.Next(&out[i])
	}
	return out
}

// TestSetRollUpEqualsDirect: tables a Set derives from a wider table's
// groups (top sources and destinations from top pairs, as the report
// asks) equal the tables computed directly, by their own evaluators and
// by the obvious implementation: the same groups and sums, the same order
// and ties, absent addresses counted exactly as before, whole and merged
// from partial sets.
func TestSetRollUpEqualsDirect(t *testing.T) {
	src, dst, port := flowlog.SrcAddr, flowlog.DstAddr, flowlog.DstPort
	rejected := Equal(flowlog.Action, "REJECT")
	top := func(m Measure, n int, where Cond, by ...flowlog.Field) Investigation {
		inv := TopN(by, m, n, where)
		inv.Name += "-" + where.String()
		return inv
	}
	present := func(fs ...flowlog.Field) Cond {
		var cs []Cond
		for _, f := range fs {
			cs = append(cs, Present(f))
		}
		return And(cs...)
	}
	invs := []Investigation{
		// The report's three: the pair table is the widest.
		top(Bytes, 10, present(src), src),
		top(Bytes, 10, present(dst), dst),
		top(Bytes, 10, present(src, dst), src, dst),
		// Every group, ranked by records (many ties), the keys the
		// other way round (a projection that reorders the wide key).
		top(Records, 0, present(src), src),
		top(Records, 0, present(dst, src), dst, src),
		top(Records, 0, Cond{}, dst), // absent destinations are a group here
		// Another condition: its own roll-up.
		top(Records, 3, And(rejected, present(src)), src),
		top(Records, 3, And(present(src), rejected, present(port)), src, port),
		// A string key.
		top(Packets, 5, present(flowlog.InterfaceID), flowlog.InterfaceID),
		top(Packets, 0, Cond{}, flowlog.InterfaceID, src),
		// Not rolled up: an array's keys, and a table alone.
		top(Records, 0, Cond{}, flowlog.Action),
		top(Records, 4, rejected, dst),
		// Totals (the report's "other" rows): the sums of a wide table's
		// groups that have the fields; with no such table, alone.
		totals("src", present(src)),
		totals("pair", present(dst, src)),
		totals("all", Cond{}),
		totals("rejected-src-port", And(present(src), rejected, present(port))),
		totals("rejected-port", And(rejected, present(port))),
		totals("rejected-protocol", And(rejected, present(flowlog.Protocol))), // no wide table has the field: alone
	}
	for _, f := range []flowlog.Format{flowlog.DefaultFormat(), flowlog.AllFields()} {
		recs := rollUpRecords(t, f)
		set, err := NewSet(f, invs, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Three wide tables (pairs, rejected source-ports, interface-sources)
		// and the two tables not rolled up.
		if got := len(set.evals); got != 6 {
			t.Errorf("%s: %d evaluators count %d tables, want 6", f.Header(), got, len(invs))
		}
		a, b := countShares(t, f, invs, set, recs, 3)
		b.Merge(a)
		rolled := 0
		for i, inv := range invs {
			if set.tables[i].rolled {
				rolled++
			}
			own, err := inv.NewEvaluator(f)
			if err != nil {
				t.Fatal(err)
			}
			for j := range recs {
				own.Add(&recs[j])
			}
			want := own.Result()
			if ref := refResult(inv, recs); !reflect.DeepEqual(want, ref) {
				t.Fatalf("%s: the evaluator differs from the reference", inv.Name)
			}
			if len(want.Rows) == 0 {
				t.Errorf("%s over %s: no rows: the test tests nothing", inv.Name, f.Header())
			}
			for name, s := range map[string]*Set{"whole": set, "merged": b} {
				if got := s.Result(i); !reflect.DeepEqual(got, want) {
					t.Errorf("%s over %s, %s:\n got %v\nwant %v", inv.Name, f.Header(), name, head(got.Rows), head(want.Rows))
				}
				if got := s.Results()[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s over %s, %s, Results:\n got %v\nwant %v", inv.Name, f.Header(), name, head(got.Rows), head(want.Rows))
				}
			}
		}
		if rolled != 15 {
			t.Errorf("%d tables rolled up, want 15", rolled)
		}
	}
}

// totals returns the investigation of the totals of the records where
// selects.
func totals(name string, where Cond) Investigation {
	return Investigation{Name: "totals-" + name, Title: "Totals", Question: "How many?", Where: where,
		Measures: []Measure{Records, Packets, Bytes}}
}

// TestPartialSet: a Set over inputs of several formats counts each
// table over the inputs that have its fields, exactly as the tables'
// own evaluators fed those inputs' records, including a table whose
// roll-up needs a field an input lacks (top sources over an input
// without dstaddr), whole and merged.
func TestPartialSet(t *testing.T) {
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	full := flowlog.DefaultFormat()
	noDst := flowlog.MustFormat(flowlog.Version, flowlog.SrcAddr, flowlog.SrcPort, flowlog.Packets, flowlog.Bytes,
		flowlog.Action, flowlog.LogStatus)
	noBytes := flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr, flowlog.Action, flowlog.LogStatus)
	// The pairs by records alone: the pair table's keys (its roll-up's
	// identity), but needing no packets or bytes.
	pairRecords := TopN([]flowlog.Field{src, dst}, Records, 0, And(Present(src), Present(dst)))
	pairRecords.Name, pairRecords.Measures = "pair-records", []Measure{Records}
	invs := []Investigation{
		TopN([]flowlog.Field{src}, Bytes, 10, Present(src)),
		TopN([]flowlog.Field{dst}, Bytes, 10, Present(dst)),
		TopN([]flowlog.Field{src, dst}, Records, 10, And(Present(src), Present(dst))),
		totals("src", Present(src)),
		TopN([]flowlog.Field{flowlog.Action}, Records, 0, Cond{}),
		pairRecords,
	}
	inputs := []struct {
		f    flowlog.Format
		recs []flowlog.Record
	}{{full, rollUpRecords(t, full)}, {noDst, project(generated(full, 3000), noDst)},
		{noBytes, project(generated(full, 2000), noBytes)}, {full, generated(full, 1000)}}
	set, err := NewPartialSet(full, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewPartialSet(full, invs, nil)
	b, _ := NewPartialSet(full, invs, nil)
	for n, in := range inputs {
		lacking := set.Begin(in.f)
		part := a
		if n%2 == 1 {
			part = b
		}
		part.Begin(in.f)
		for i, inv := range invs {
			if got, want := lacking[i], inv.Missing(in.f); !reflect.DeepEqual(got, want) {
				t.Errorf("input %d: %s lacks %v, want %v", n, inv.Name, got, want)
			}
		}
		for i := range in.recs {
			set.Add(&in.recs[i])
			part.Add(&in.recs[i])
		}
	}
	// Each has side counts the other lacks (a of the pairs by records,
	// over the input without bytes; b of the sources and their totals,
	// over the one without dstaddr): merging makes a's.
	a.Merge(b)
	partial := 0
	for i, inv := range invs {
		own, _ := NewPartialSet(full, []Investigation{inv}, nil)
		answered := 0
		for _, in := range inputs {
			if len(inv.Missing(in.f)) > 0 {
				continue
			}
			answered++
			own.Begin(in.f)
			for j := range in.recs {
				own.Add(&in.recs[j])
			}
		}
		want := own.Result(0)
		if len(want.Rows) == 0 {
			t.Errorf("%s: no rows: the test tests nothing", inv.Name)
		}
		if answered < len(inputs) {
			partial++
		}
		for name, s := range map[string]*Set{"whole": set, "merged": a} {
			if got := s.Result(i); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s:\n got %v\nwant %v", inv.Name, name, head(got.Rows), head(want.Rows))
			}
			if got := s.Results()[i]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s, Results:\n got %v\nwant %v", inv.Name, name, head(got.Rows), head(want.Rows))
			}
		}
	}
	// At least the tables keyed by dstaddr leave the input without it
	// out (which measures' fields a table needs is the measures' rules).
	if partial < 3 {
		t.Errorf("%d tables left an input out, want 3 or more", partial)
	}
	if set.tables[0].eval != set.tables[5].eval || !set.tables[5].identity || set.tables[5].side == nil {
		t.Error("the pairs by records are not their roll-up's identity with a side count: the test tests less than it says")
	}
}

// project returns the records with only the fields of f.
func project(recs []flowlog.Record, f flowlog.Format) []flowlog.Record {
	out := make([]flowlog.Record, len(recs))
	for i := range recs {
		for j := range f.Len() {
			fld := f.Field(j)
			if v := recs[i].Get(fld); recs[i].Has(fld) {
				_ = out[i].SetText(fld, v.String())
			}
		}
	}
	return out
}

func TestCondEqual(t *testing.T) {
	a := And(Equal(flowlog.Action, "REJECT"), Present(flowlog.SrcAddr))
	for _, c := range []struct {
		x, y Cond
		want bool
	}{
		{a, And(Equal(flowlog.Action, "REJECT"), Present(flowlog.SrcAddr)), true},
		{a, And(Equal(flowlog.Action, "ACCEPT"), Present(flowlog.SrcAddr)), false},
		{a, And(Present(flowlog.SrcAddr), Equal(flowlog.Action, "REJECT")), false}, // order matters; the split is what makes them equal
		{Equal(flowlog.SrcAddr, "10.0.0.1"), Equal(flowlog.SrcAddr, "10.0.0.2"), false},
		{Compare(flowlog.DstPort, Ge, 1024), Compare(flowlog.DstPort, Gt, 1024), false},
		{Cond{}, And(), true},
	} {
		if got := condEqual(c.x, c.y); got != c.want {
			t.Errorf("condEqual(%s, %s) = %v", c.x, c.y, got)
		}
	}
}

// countShares adds recs to whole and, as two workers would, every n-th
// record to a new Set a and the others to a new Set b, for a test to
// merge and compare.
func countShares(t *testing.T, f flowlog.Format, invs []Investigation, whole *Set, recs []flowlog.Record, n int) (a, b *Set) {
	t.Helper()
	a, errA := NewSet(f, invs, nil)
	b, errB := NewSet(f, invs, nil)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for i := range recs {
		whole.Add(&recs[i])
		if i%n == 0 {
			a.Add(&recs[i])
		} else {
			b.Add(&recs[i])
		}
	}
	return a, b
}
