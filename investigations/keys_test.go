package investigations

import (
	"cmp"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// compareValues orders result values ascending with nil last: numbers
// numerically, strings bytewise (as SQL's default collation), times in
// time order. It is the order the evaluator's typed keys must give.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// refValues returns r's values of the keys as result values, the plain
// way: what the typed keys must decode to.
func refValues(keys []Key, r *flowlog.Record) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		f := k.Field
		if !r.Has(f) {
			continue
		}
		switch k.Kind {
		case ByHour:
			t := r.Get(f).Int()
			vals[i] = time.Unix(t-t%3600, 0).UTC()
			continue
		case ByLabel:
			vals[i] = valueLabel(f, r.Get(f).Uint())
			continue
		case ByFamily:
			if r.Get(f).Addr().Is4() {
				vals[i] = "IPv4"
			} else {
				vals[i] = "IPv6"
			}
			continue
		}
		switch f.Kind() {
		case flowlog.KindAddr:
			vals[i] = r.Get(f).Addr().String()
		case flowlog.KindString, flowlog.KindEnum:
			vals[i] = strings.Clone(r.Get(f).Str())
		default:
			vals[i] = r.Get(f).Int()
		}
	}
	return vals
}

// refResult evaluates inv over recs the slow, obvious way: groups keyed
// by their values' text, every group sorted.
func refResult(inv Investigation, recs []flowlog.Record) Result {
	type grp struct {
		vals []any
		agg
	}
	index := map[string]*grp{}
	var groups []*grp
	var total agg
	for i := range recs {
		r := &recs[i]
		if !inv.Where.Match(r) {
			continue
		}
		total.add(r)
		vals := refValues(inv.GroupBy, r)
		key := fmt.Sprintf("%#v", vals)
		g, ok := index[key]
		if !ok {
			g = &grp{vals: vals}
			index[key] = g
			groups = append(groups, g)
		}
		g.add(r)
	}
	res := Result{Columns: inv.Columns()}
	row := func(vals []any, a *agg) []any {
		out := append([]any{}, vals...)
		for _, m := range inv.Measures {
			out = append(out, a.get(m))
		}
		return out
	}
	if len(inv.GroupBy) == 0 {
		res.Rows = [][]any{row(nil, &total)}
		return res
	}
	slices.SortFunc(groups, func(a, b *grp) int {
		if inv.OrderBy != 0 {
			if c := cmp.Compare(b.get(inv.OrderBy), a.get(inv.OrderBy)); c != 0 {
				return c
			}
		}
		for i := range a.vals {
			if c := compareValues(a.vals[i], b.vals[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	if inv.Limit > 0 && len(groups) > inv.Limit {
		groups = groups[:inv.Limit]
	}
	res.Rows = [][]any{}
	for _, g := range groups {
		res.Rows = append(res.Rows, row(g.vals, &g.agg))
	}
	return res
}

// edgeRecords are records the generator does not make: IPv4-mapped IPv6
// addresses, addresses whose text orders differently from their bytes,
// ties in every measure.
func edgeRecords(t *testing.T, f flowlog.Format) []flowlog.Record {
	var out []flowlog.Record
	g := flowlog.NewGenerator(3, f)
	addrs := []string{"::ffff:10.0.0.1", "10.0.0.1", "9.0.0.1", "100.0.0.1", "2001:db8::1", "2001:db8::10", "::1"}
	for i, a := range addrs {
		for j, b := range addrs {
			var r flowlog.Record
			g.Next(&r)
			if !r.Has(flowlog.SrcAddr) {
				continue
			}
			if err := r.SetAddr(flowlog.SrcAddr, netip.MustParseAddr(a)); err != nil {
				t.Fatal(err)
			}
			if err := r.SetAddr(flowlog.DstAddr, netip.MustParseAddr(b)); err != nil {
				t.Fatal(err)
			}
			_ = r.SetUint(flowlog.Bytes, uint64(100*((i+j)%3)))
			_ = r.SetUint(flowlog.Packets, 1)
			switch j {
			case 0: // hours decades apart: an hour window gives way to a hash table
				_ = r.SetUint(flowlog.Start, uint64(i)*1e12)
			case 1: // no start at all
				_ = r.SetText(flowlog.Start, "-")
			}
			out = append(out, r)
		}
	}
	return out
}

// TestEvaluatorEqualsReference: for every catalogue investigation and
// top-N tables of every field, over several formats, the evaluator's
// typed keys, array counters and top-N heap give exactly the rows of the
// obvious implementation, ties and absent values included, whole and
// merged.
func TestEvaluatorEqualsReference(t *testing.T) {
	v5, _ := flowlog.Preset("v5")
	for _, f := range []flowlog.Format{flowlog.DefaultFormat(), v5, flowlog.AllFields()} {
		g := flowlog.NewGenerator(11, f)
		gen := make([]flowlog.Record, 6000)
		for i := range gen {
			g.Next(&gen[i])
		}
		edge := edgeRecords(t, f)
		recs := append(slices.Clone(gen), edge...)
		invs := Catalogue()
		for _, fld := range f.Fields() {
			if fld == flowlog.Packets || fld == flowlog.Bytes {
				continue // a measure's column
			}
			for _, lim := range []int{0, 3} {
				invs = append(invs, TopN([]flowlog.Field{fld}, Records, lim, Cond{}))
			}
		}
		invs = append(invs,
			TopN([]flowlog.Field{flowlog.Protocol, flowlog.Action}, Records, 0, Cond{}),
			Investigation{Name: "fam-status", GroupBy: []Key{FamilyOf(flowlog.SrcAddr), By(flowlog.LogStatus), HourOf(flowlog.End)},
				Measures: []Measure{Records, Bytes}})
		for _, inv := range invs {
			if len(inv.Missing(f)) > 0 {
				continue
			}
			args := make([]string, len(inv.Params()))
			for i := range args {
				args[i] = recs[20].SrcAddr().String()
			}
			bound, err := inv.Bind(args...)
			if err != nil {
				t.Fatal(err)
			}
			want := refResult(bound, recs)
			ev, err := inv.NewEvaluator(f, args...)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := inv.NewEvaluator(f, args...)
			b, _ := inv.NewEvaluator(f, args...)
			for i := range recs {
				ev.Add(&recs[i])
				if i%2 == 0 {
					a.Add(&recs[i])
				} else {
					b.Add(&recs[i])
				}
			}
			a.Merge(b)
			// Evaluators in different modes (an hour window, and one
			// that gave way to a hash table), merged both ways.
			c, _ := inv.NewEvaluator(f, args...)
			d, _ := inv.NewEvaluator(f, args...)
			c2, _ := inv.NewEvaluator(f, args...)
			d2, _ := inv.NewEvaluator(f, args...)
			for i := range gen {
				c.Add(&gen[i])
				c2.Add(&gen[i])
			}
			for i := range edge {
				d.Add(&edge[i])
				d2.Add(&edge[i])
			}
			c.Merge(d)
			d2.Merge(c2)
			for name, m := range map[string]*Evaluator{"window+table": c, "table+window": d2} {
				if got := m.Result(); !reflect.DeepEqual(got, want) {
					t.Errorf("%s over %s merged %s:\n got %v\nwant %v", inv.Name, f.Header(), name, head(got.Rows), head(want.Rows))
				}
			}
			if got := ev.Result(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s over %s:\n got %v\nwant %v", inv.Name, f.Header(), head(got.Rows), head(want.Rows))
			}
			if got := a.Result(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s over %s merged:\n got %v\nwant %v", inv.Name, f.Header(), head(got.Rows), head(want.Rows))
			}
		}
	}
}

func head(rows [][]any) [][]any { return rows[:min(len(rows), 5)] }

// TestNewGroupsDoNotAllocate: 4096 new groups cost only the table's
// doublings, not an allocation each (strings, values, map entries).
func TestNewGroupsDoNotAllocate(t *testing.T) {
	f := flowlog.DefaultFormat()
	recs := make([]flowlog.Record, 4096)
	g := flowlog.NewGenerator(1, f)
	for i := range recs {
		g.Next(&recs[i])
		_ = recs[i].SetAddr(flowlog.SrcAddr, netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}))
	}
	inv := TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstPort}, Bytes, 10, Cond{})
	var ev *Evaluator
	allocs := testing.AllocsPerRun(3, func() {
		ev, _ = inv.NewEvaluator(f)
		for i := range recs {
			ev.Add(&recs[i])
		}
	})
	if ev.Groups() < 4096 || allocs > 40 {
		t.Errorf("%d groups, %.0f allocations", ev.Groups(), allocs)
	}
}

// TestHourWindow: bytes-per-hour counts in an hour window while hours
// are near each other, and in a hash table once they are decades apart.
func TestHourWindow(t *testing.T) {
	f := flowlog.DefaultFormat()
	inv, _ := Lookup("bytes-per-hour")
	ev, err := inv.NewEvaluator(f)
	if err != nil {
		t.Fatal(err)
	}
	g := flowlog.NewGenerator(2, f)
	var r flowlog.Record
	for range 20000 {
		g.Next(&r)
		ev.Add(&r)
	}
	if ev.hours == nil || ev.tab != nil || ev.Groups() < 10 {
		t.Fatalf("generated hours: window %v, table %v, %d groups", ev.hours != nil, ev.tab != nil, ev.Groups())
	}
	before := ev.Groups()
	_ = r.SetUint(flowlog.Start, 1e12)
	ev.Add(&r)
	if ev.hours != nil || ev.tab == nil || ev.Groups() != before+1 {
		t.Fatalf("far hour: window %v, table %v, %d groups (was %d)", ev.hours != nil, ev.tab != nil, ev.Groups(), before)
	}
}

// TestHourWindowRemembersItsHour: the shortcut for a record in the hour
// of the record before (recent) must count every time in that hour and
// no other: times on both sides of hour boundaries, back and forth,
// before the window's first hour, around 0 (where t/3600 truncates
// toward zero) and without a start right after a record of hour 0, each
// in the reference's group, counted alone and through a Set; and both
// series in one input (hours too far apart: a hash table).
func TestHourWindowRemembersItsHour(t *testing.T) {
	f := flowlog.DefaultFormat()
	inv, _ := Lookup("bytes-per-hour")
	g := flowlog.NewGenerator(5, f)
	series := func(base int64) []flowlog.Record {
		var recs []flowlog.Record
		steps := []int64{0, 1, 3599, 3600, 3601, 7199, 7200, 3599, -1, -3600, -3601, 7200 * 5, 3600, -1, 5, -9, 7, 3600 * 3}
		for i, d := range append(steps, steps...) {
			tm := base + d
			if d == -9 || tm < 0 {
				continue
			}
			var r flowlog.Record
			for g.Next(&r); !r.Has(flowlog.Action); g.Next(&r) { // every record counts: none NODATA
			}
			_ = r.SetUint(flowlog.Start, uint64(tm))
			if i%7 == 3 || steps[i%len(steps)] == 5 {
				recs = append(recs, r)
				_ = r.SetText(flowlog.Start, "-") // and one without a start after it
			}
			recs = append(recs, r)
		}
		return recs
	}
	const t0 = 1_700_000_000 - 1_700_000_000%3600
	a, b := series(t0), series(0)
	for name, rs := range map[string][]flowlog.Record{"t0": a, "0": b, "both": append(slices.Clone(a), b...)} {
		want := refResult(inv, rs)
		ev, err := inv.NewEvaluator(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSet(f, []Investigation{inv}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rs {
			ev.Add(&rs[i])
			s.Add(&rs[i])
		}
		if got := ev.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, evaluator:\n got %v\nwant %v", name, got.Rows, want.Rows)
		}
		if got := s.Result(0); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, set:\n got %v\nwant %v", name, got.Rows, want.Rows)
		}
	}
}
