package investigations

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// tieRecords are records of a few hundred pairs (IPv4, IPv6, mixed, and
// with an absent side), many more groups than a batch of a pass (256),
// whose bytes and packets take three values: the sums tie everywhere,
// at the N-th row of every limit too.
func tieRecords(t *testing.T, f flowlog.Format) []flowlog.Record {
	var pool []string
	for i := range 24 {
		pool = append(pool, fmt.Sprintf("10.0.%d.%d", i%3, i))
	}
	for i := range 16 {
		pool = append(pool, fmt.Sprintf("2001:db8::%x", i))
	}
	pool = append(pool, "-", "::ffff:10.0.0.1")
	g := flowlog.NewGenerator(11, f)
	rnd := rand.New(rand.NewPCG(1, 2))
	out := make([]flowlog.Record, 3000)
	for i := range out {
		r := &out[i]
		g.Next(r)
		for _, fld := range []flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr} {
			if err := r.SetText(fld, pool[rnd.IntN(len(pool))]); err != nil {
				t.Fatal(err)
			}
		}
		_ = r.SetUint(flowlog.Bytes, uint64(100*rnd.IntN(3)))
		_ = r.SetUint(flowlog.Packets, uint64(1+rnd.IntN(2)))
		if i%97 == 0 {
			_ = r.SetText(flowlog.DstPort, "-")
		}
	}
	return out
}

// TestResultsTiesAndLimits: tables that tie at their N-th row (and
// everywhere else), with limits from 1 to more than the groups and 0
// (every group, sorted), ordered by a measure or by the keys alone, keyed
// by what packs and what does not, with and without absent keys, all
// counted by a few wide evaluators of one Set: each answer is the
// reference's and the table's own evaluator's, from Result and Results,
// whole and merged from partial sets.
func TestResultsTiesAndLimits(t *testing.T) {
	f := flowlog.DefaultFormat()
	src, dst, port, proto := flowlog.SrcAddr, flowlog.DstAddr, flowlog.DstPort, flowlog.Protocol
	present := func(fs ...flowlog.Field) Cond {
		var cs []Cond
		for _, fld := range fs {
			cs = append(cs, Present(fld))
		}
		return And(cs...)
	}
	var invs []Investigation
	add := func(m Measure, limit int, where Cond, by ...flowlog.Field) {
		inv := TopN(by, m, limit, where)
		inv.Name = fmt.Sprintf("%s-%d-%s", inv.Name, limit, where)
		invs = append(invs, inv)
	}
	for _, limit := range []int{1, 2, 3, 7, 10, 40, 5000, 0} {
		add(Bytes, limit, present(src, dst), src, dst) // the wide table: its identity
		add(Bytes, limit, present(src), src)           // rolled up
		add(Packets, limit, present(dst), dst)         // rolled up
		add(Records, limit, Cond{}, dst)               // absent destinations are a group
		add(Bytes, limit, Cond{}, dst, src)            // absent keys, the wide key reordered
		add(Records, limit, present(port), port, proto)
	}
	byKeys := TopN([]flowlog.Field{src, dst}, Records, 0, Cond{})
	byKeys.Name, byKeys.OrderBy, byKeys.Limit = "by-keys-alone", 0, 25
	invs = append(invs, byKeys, totals("src", present(src)), totals("any", Cond{}))

	recs := tieRecords(t, f)
	set, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := countShares(t, f, invs, set, recs, 4)
	a.Merge(b)
	if wide := set.evals[0]; wide.pk == nil || wide.pk.count() < 300 || wide.tab.count() < 300 {
		t.Fatal("the wide table does not have hundreds of packed and general groups: the test tests less than it says")
	}
	ties := 0
	results, merged := set.Results(), a.Results()
	for i, inv := range invs {
		want := refResult(inv, recs)
		if inv.Limit > 0 && inv.OrderBy != 0 {
			all := inv
			all.Limit = 0
			rows := refResult(all, recs).Rows
			m := len(inv.GroupBy) + slices.Index(inv.Measures, inv.OrderBy)
			if inv.Limit < len(rows) && rows[inv.Limit-1][m] == rows[inv.Limit][m] {
				ties++
			}
		}
		own := newEvaluator(inv)
		for j := range recs {
			own.Add(&recs[j])
		}
		for name, got := range map[string]Result{"own": own.Result(), "Result": set.Result(i), "Results": results[i],
			"merged": merged[i]} {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s:\n got %v\nwant %v", inv.Name, name, head(got.Rows), head(want.Rows))
			}
		}
	}
	if ties < 10 {
		t.Errorf("%d tables tie at their N-th row: the test tests less than it says", ties)
	}
}

// TestResultsDoNotCopyGroups: the answers of a Set over a table of
// 62,500 IPv4 and 10,000 IPv6 pairs (top pairs, sources, destinations
// and their totals, as the report asks) allocate a small fraction of a
// copy of its groups (2.6 MB in the slots of a general table).
func TestResultsDoNotCopyGroups(t *testing.T) {
	f := flowlog.DefaultFormat()
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	invs := []Investigation{
		TopN([]flowlog.Field{src, dst}, Bytes, 10, And(Present(src), Present(dst))),
		TopN([]flowlog.Field{src}, Bytes, 10, Present(src)),
		TopN([]flowlog.Field{dst}, Bytes, 10, Present(dst)),
		totals("src", Present(src)), totals("dst", Present(dst)), totals("pair", And(Present(src), Present(dst))),
	}
	set, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var r flowlog.Record
	flowlog.NewGenerator(1, f).Next(&r)
	for i := range 250 {
		for j := range 250 {
			_ = r.SetAddr(src, netip.AddrFrom4([4]byte{10, 1, byte(i >> 4), byte(i)}))
			_ = r.SetAddr(dst, netip.AddrFrom4([4]byte{10, 2, byte(j >> 4), byte(j)}))
			set.Add(&r)
			if i < 100 && j < 100 {
				_ = r.SetAddr(src, netip.AddrFrom16([16]byte{0x20, 1, 13: byte(i)}))
				_ = r.SetAddr(dst, netip.AddrFrom16([16]byte{0x20, 2, 13: byte(j)}))
				set.Add(&r)
			}
		}
	}
	if n := set.evals[0].Groups(); n != 72500 {
		t.Fatalf("%d groups, want 72,500", n)
	}
	set.Results() // the first call flushes what is queued
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := set.Results()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 512<<10 {
		t.Errorf("Results allocated %d bytes, want at most 512 KiB", got)
	}
	if len(res[1].Rows) != 10 || res[3].Rows[0][0] != int64(72500) {
		t.Errorf("sources %v, their totals %v", head(res[1].Rows), res[3].Rows)
	}
}

// TestSumTableEqualsMap: sums by packed and general keys (one address,
// and wider), repeated and new, through many doublings, are a Go map's.
func TestSumTableEqualsMap(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		w      int
		packed bool
	}{{1, true}, {3, false}, {5, false}, {1, false}} {
		tab := newSumTable(c.w)
		want := map[string]agg{}
		k := make([]uint64, c.w)
		for range 20000 {
			for j := range k {
				k[j] = uint64(rnd.IntN(40))
			}
			k[0] |= usedBit
			switch {
			case c.packed:
				k[0] = uint64(rnd.IntN(3000)) // any word, 0 included
			case c.w == 1: // a key of tags only (a family)
				k[0] = uint64(rnd.IntN(3000)) | usedBit
			}
			a := agg{1, int64(rnd.IntN(5)), int64(rnd.IntN(1000))}
			if c.packed {
				tab.addPacked(k[0], &a)
			} else {
				tab.add(k, &a)
			}
			s := fmt.Sprint(k)
			w := want[s]
			w.merge(&a)
			want[s] = w
		}
		got := map[string]agg{}
		tab.each(func(k []uint64, a agg) {
			if _, dup := got[fmt.Sprint(k)]; dup {
				t.Errorf("w %d: key %v twice", c.w, k)
			}
			got[fmt.Sprint(k)] = a
		})
		if !maps.Equal(got, want) || len(want) < 1000 {
			t.Errorf("w %d packed %v: %d sums, want %d (equal: %v)", c.w, c.packed, len(got), len(want), maps.Equal(got, want))
		}
	}
}

// TestRollUpProjectsPackedKeys: the packed key of a table rolled up into
// a wider one, made from the wide packed key's bits (packedTable.chunks),
// is the key pack makes of the table's own key, for every layout that
// packs and every part, alone or with the others reordered.
func TestRollUpProjectsPackedKeys(t *testing.T) {
	recs := packingRecords(t, 1000, flowlog.DstPort, flowlog.InterfaceID)
	by := byFields
	for _, keys := range [][]Key{
		by(flowlog.SrcAddr, flowlog.DstAddr),
		by(flowlog.DstPort, flowlog.Protocol),
		by(flowlog.InterfaceID, flowlog.LogStatus),
		by(flowlog.SrcAddr, flowlog.DstPort, flowlog.Protocol),
		{FamilyOf(flowlog.SrcAddr), By(flowlog.DstPort)},
	} {
		wide := newEvaluator(Investigation{Name: "wide", GroupBy: keys})
		if wide.pk == nil {
			t.Fatalf("%v: no packed table", keys)
		}
		var projs [][]int
		for i := range keys {
			projs = append(projs, []int{i})
		}
		var rev []int
		for i := len(keys) - 1; i >= 0; i-- {
			rev = append(rev, i)
		}
		projs = append(projs, rev)
		for _, proj := range projs {
			var sub []Key
			for _, i := range proj {
				sub = append(sub, keys[i])
			}
			s := newRollSum(&setTable{inv: Investigation{Name: "sub", GroupBy: sub}, proj: proj}, wide, 0)
			if s.moves == nil {
				t.Fatalf("%v by %v: not projected from the packed key", keys, sub)
			}
			k := make([]uint64, len(wide.k))
			sk := make([]uint64, len(s.d.k))
			checked := 0
			for i := range recs {
				makeKey(k, wide.parts, &recs[i])
				v, ok := wide.pk.pack(k)
				if !ok {
					continue
				}
				makeKey(sk, s.d.parts, &recs[i])
				want, ok := s.d.pk.pack(sk)
				if !ok {
					t.Fatalf("%v by %v: the wide key packs, the table's does not", keys, sub)
				}
				var x uint64
				for _, m := range s.moves {
					x |= (v >> m.from & m.mask) << m.to
				}
				if x != want {
					t.Fatalf("%v by %v: projected %#x, want %#x", keys, sub, x, want)
				}
				checked++
			}
			if checked < 100 {
				t.Errorf("%v by %v: %d keys checked", keys, sub, checked)
			}
		}
	}
}

// TestEachBatchVisitsEveryGroup: the batches of a packed and of a
// general table (small, and of many batches), and the pair table of
// numbered addresses, hold every group once, with its counts.
func TestEachBatchVisitsEveryGroup(t *testing.T) {
	for _, n := range []int{0, 1, 255, 256, 257, 5000} {
		e := newEvaluator(Investigation{Name: "pairs", GroupBy: []Key{By(flowlog.SrcAddr), By(flowlog.DstAddr)}})
		want := map[string]agg{}
		for i := range n {
			k := []uint64{1 | 1<<2 | usedBit, 0, uint64(i), 0, uint64(i * 7)} // IPv4 pairs
			switch i % 4 {
			case 1:
				k[0], k[1] = 2|2<<2|usedBit, uint64(i) // IPv6 pairs
			case 3:
				k[0], k[1] = 2|1<<2|usedBit, uint64(i) // an IPv6 and an IPv4 address
			}
			a := agg{int64(i + 1), int64(i), int64(3 * i)}
			e.mergeGroup(k, a)
			want[fmt.Sprint(k)] = a
		}
		got := map[string]agg{}
		k := make([]uint64, 5)
		buf := newPassBuffers()
		e.pk.eachBatch(buf.keys, buf.paggs, func(keys []uint64, aggs []agg) {
			if len(keys) != len(aggs) || len(keys) > 256 {
				t.Fatalf("a batch of %d keys and %d counts", len(keys), len(aggs))
			}
			for i, v := range keys {
				e.pk.unpack(v, k)
				got[fmt.Sprint(k)] = aggs[i]
			}
		})
		packed := len(got)
		e.tab.eachBatch(buf.offs, func(offs []int) {
			for _, b := range offs {
				got[fmt.Sprint(e.tab.key(b))] = e.tab.agg(b)
			}
		})
		general := len(got) - packed
		e.p6.each(k, func(k []uint64, a agg) { got[fmt.Sprint(k)] = a })
		if !maps.Equal(got, want) || packed != (n+1)/2 || general != n/4 {
			t.Errorf("%d groups: got %d (%d packed, %d general), equal %v", n, len(got), packed, general, maps.Equal(got, want))
		}
	}
}
