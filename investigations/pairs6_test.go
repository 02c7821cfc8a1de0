package investigations

import (
	"maps"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// ipv6Records returns n generated records whose addresses are rewritten
// to what the pair table of addresses that are not IPv4 (pairTable6)
// and the general table see: IPv6 pairs (most; enough distinct pairs
// for the table to queue its records), IPv4-mapped IPv6 addresses
// (IPv6 here: ::ffff:10.0.0.1 is not 10.0.0.1), one address or both
// absent, and pairs of an IPv4 and an IPv6 address (the general table's).
func ipv6Records(f flowlog.Format, n int, seed uint64) []flowlog.Record {
	rng := rand.New(rand.NewPCG(seed, 11))
	g := flowlog.NewGenerator(seed, f)
	addr := func() netip.Addr {
		i := rng.IntN(130)
		if i < 8 { // IPv4-mapped: the same bits as an IPv4 address the records also have
			return netip.AddrFrom16(netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}).As16())
		}
		var b [16]byte
		b[0], b[1], b[14], b[15] = 0x20, 0x01, byte(i>>8), byte(i)
		return netip.AddrFrom16(b)
	}
	out := make([]flowlog.Record, n)
	for i := range out {
		r := &out[i]
		g.Next(r)
		src, dst := addr(), addr()
		switch i % 16 {
		case 0:
			_ = r.SetText(flowlog.SrcAddr, "-")
			_ = r.SetText(flowlog.DstAddr, "-")
			continue
		case 1:
			_ = r.SetText(flowlog.SrcAddr, "-")
			_ = r.SetAddr(flowlog.DstAddr, dst)
			continue
		case 2:
			_ = r.SetText(flowlog.DstAddr, "-")
		case 3, 5, 6, 7: // many groups: enough for the general table to queue its records
			dst = netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(8)), byte(rng.IntN(256))})
		case 4:
			src = netip.AddrFrom4([4]byte{10, 0, 0, byte(rng.IntN(8))})
			_ = r.SetText(flowlog.DstAddr, "-")
			_ = r.SetAddr(flowlog.SrcAddr, src)
			continue
		}
		_ = r.SetAddr(flowlog.SrcAddr, src)
		if i%16 != 2 {
			_ = r.SetAddr(flowlog.DstAddr, dst)
		}
	}
	return out
}

// TestPairTable6EqualsReference: pair tables count IPv6 pairs and
// records without addresses in the pair table of numbered addresses,
// exactly: the groups and sums of the reference implementation, whole
// and merged from two evaluators that numbered the addresses in
// different orders, with the right group count, whether the table
// counts records at once (small) or queues them (large).
func TestPairTable6EqualsReference(t *testing.T) {
	f := flowlog.DefaultFormat()
	for _, n := range []int{300, 30000} {
		recs := append(generated(f, 2000), ipv6Records(f, n, 3)...)
		for _, inv := range []Investigation{
			TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Bytes, 0, Cond{}),
			TopN([]flowlog.Field{flowlog.DstAddr, flowlog.SrcAddr}, Records, 7, Cond{}),
			TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Packets, 20, Present(flowlog.DstAddr)),
		} {
			whole, _ := inv.NewEvaluator(f)
			a, _ := inv.NewEvaluator(f)
			b, _ := inv.NewEvaluator(f)
			for i := range recs {
				whole.Add(&recs[i])
				if i%2 == 0 {
					a.Add(&recs[i])
				}
			}
			for i := len(recs) - 1; i >= 0; i-- { // the other order: other numbers
				if i%2 == 1 {
					b.Add(&recs[i])
				}
			}
			if whole.p6 == nil || whole.p6.t.count() == 0 || whole.tab.count() == 0 || whole.pk.count() == 0 {
				t.Fatalf("%s: the records do not reach every table: the test tests less than it says", inv.Name)
			}
			if slices.Equal(a.p6.ids.addrs[:8], b.p6.ids.addrs[:8]) {
				t.Fatalf("%s: both evaluators numbered the addresses alike: the test tests less than it says", inv.Name)
			}
			if n > 10000 && whole.p6.t.room == 0 {
				t.Fatalf("%s: %d groups: the table never queued", inv.Name, whole.p6.t.count())
			}
			want := refResult(inv, recs)
			b.Merge(a)
			for name, e := range map[string]*Evaluator{"whole": whole, "merged": b} {
				if got := e.Result(); !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %d records, %s:\n got %v\nwant %v", inv.Name, len(recs), name, head(got.Rows), head(want.Rows))
				}
			}
			if inv.Limit == 0 && (whole.Groups() != len(want.Rows) || b.Groups() != len(want.Rows)) {
				t.Errorf("%s: %d and %d groups, want %d", inv.Name, whole.Groups(), b.Groups(), len(want.Rows))
			}
		}
	}
}

// TestPairTable6OutOfNumbers: once the addresses outnumber the numbers,
// the pairs of the addresses without one count in the general table,
// and the answers stay exact, whole and merged.
func TestPairTable6OutOfNumbers(t *testing.T) {
	f := flowlog.DefaultFormat()
	recs := ipv6Records(f, 3000, 4)
	inv := TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Bytes, 0, Cond{})
	whole, _ := inv.NewEvaluator(f)
	a, _ := inv.NewEvaluator(f)
	b, _ := inv.NewEvaluator(f)
	for _, e := range []*Evaluator{whole, a, b} {
		e.p6.ids.limit = 20
	}
	for i := range recs {
		whole.Add(&recs[i])
		if i%2 == 0 {
			a.Add(&recs[i])
		} else {
			b.Add(&recs[i])
		}
	}
	b.Merge(a)
	if len(whole.p6.ids.addrs) != 20 || whole.p6.t.count() == 0 {
		t.Fatalf("%d addresses numbered, %d pairs: the test tests less than it says", len(whole.p6.ids.addrs), whole.p6.t.count())
	}
	want := refResult(inv, recs)
	for name, e := range map[string]*Evaluator{"whole": whole, "merged": b} {
		if got := e.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, head(got.Rows), head(want.Rows))
		}
		if e.Groups() != len(want.Rows) {
			t.Errorf("%s: %d groups, want %d", name, e.Groups(), len(want.Rows))
		}
	}
}

// TestPairTable6PackUnpack: a general key packs in the pair table
// exactly when neither address is IPv4, and unpacks to itself, in a
// table that numbered the addresses itself or another's.
func TestPairTable6PackUnpack(t *testing.T) {
	parts, w := layout([]Key{By(flowlog.SrcAddr), By(flowlog.DstAddr)})
	p, q := newPairTable6(parts), newPairTable6(parts)
	recs := ipv6Records(flowlog.DefaultFormat(), 2000, 5)
	k, u := make([]uint64, w), make([]uint64, w)
	packs := map[bool]int{}
	for i := range recs {
		r := &recs[i]
		makeKeyParts(k, parts, r)
		v, ok := p.packRecord(r)
		want := !r.SrcAddr().Is4() && !r.DstAddr().Is4()
		if ok != want {
			t.Fatalf("%v → %v: packs %v, want %v", r.SrcAddr(), r.DstAddr(), ok, want)
		}
		packs[ok]++
		if !ok {
			if _, ok := q.pack(k); ok {
				t.Fatalf("%v: the general key packs, the record does not", k)
			}
			continue
		}
		if v2, ok := p.pack(k); !ok || v2 != v {
			t.Fatalf("%v: the general key packs to %x %v, the record to %x", k, v2, ok, v)
		}
		p.unpack(v, u)
		if !slices.Equal(u, k) {
			t.Fatalf("%x unpacks to %v, want %v", v, u, k)
		}
		// Another table numbers the addresses in its own order.
		v2, ok := q.pack(u)
		if !ok {
			t.Fatalf("%v does not pack in another table", u)
		}
		q.unpack(v2, u)
		if !slices.Equal(u, k) {
			t.Fatalf("%x unpacks to %v in another table, want %v", v2, u, k)
		}
	}
	if packs[true] == 0 || packs[false] == 0 {
		t.Errorf("%v: the test tests less than it says", packs)
	}
}

// TestAddrIDsNumberDensely: the numbering of addresses gives each
// distinct address one number, from 1, as its table grows.
func TestAddrIDsNumberDensely(t *testing.T) {
	var ids addrIDs
	ids.init()
	seen := map[[2]uint64]uint64{}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a := [2]uint64{rng.Uint64N(3), rng.Uint64N(2000)}
		c, ok := ids.code(a[0], a[1])
		if !ok {
			t.Fatal("out of numbers")
		}
		if want, ok := seen[a]; ok && c != want {
			t.Fatalf("%v: %d, before %d", a, c, want)
		}
		seen[a] = c
		if ids.addrs[c-1] != a {
			t.Fatalf("%v: number %d is %v", a, c, ids.addrs[c-1])
		}
	}
	codes := slices.Sorted(maps.Values(seen))
	if len(codes) != len(ids.addrs) || codes[0] != 1 || codes[len(codes)-1] != uint64(len(codes)) {
		t.Errorf("%d addresses numbered %d..%d", len(codes), codes[0], codes[len(codes)-1])
	}
}

// TestSetPairTable6EqualsDirect: a Set's pair roll-up (the report's top
// sources, destinations, pairs and their totals) answers exactly as each
// table's own evaluator and the reference over records of IPv6 pairs,
// IPv4-mapped addresses and absent addresses, whole and merged from two
// Sets that numbered the addresses in different orders.
func TestSetPairTable6EqualsDirect(t *testing.T) {
	f := flowlog.DefaultFormat()
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	invs := []Investigation{
		TopN([]flowlog.Field{src}, Bytes, 10, Present(src)),
		TopN([]flowlog.Field{dst}, Bytes, 10, Present(dst)),
		TopN([]flowlog.Field{src, dst}, Bytes, 10, And(Present(src), Present(dst))),
		TopN([]flowlog.Field{dst, src}, Records, 0, Cond{}),
		TopN([]flowlog.Field{dst}, Records, 0, Cond{}),
		totals("src", Present(src)),
		totals("pair", And(Present(dst), Present(src))),
	}
	recs := append(rollUpRecords(t, f), ipv6Records(f, 20000, 9)...)
	set, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := NewSet(f, invs, nil)
	b, _ := NewSet(f, invs, nil)
	for i := range recs {
		set.Add(&recs[i])
		if i%3 == 0 {
			a.Add(&recs[i])
		}
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if i%3 != 0 {
			b.Add(&recs[i])
		}
	}
	if p6 := set.evals[0].p6; p6 == nil || p6.t.count() == 0 {
		t.Fatal("the pair roll-up has no pair table of numbered addresses: the test tests less than it says")
	}
	b.Merge(a)
	for i, inv := range invs {
		own, _ := inv.NewEvaluator(f)
		for j := range recs {
			own.Add(&recs[j])
		}
		want := own.Result()
		if ref := refResult(inv, recs); !reflect.DeepEqual(want, ref) {
			t.Fatalf("%s: the evaluator differs from the reference", inv.Name)
		}
		for name, s := range map[string]*Set{"whole": set, "merged": b} {
			if got := s.Results()[i]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s:\n got %v\nwant %v", inv.Name, name, head(got.Rows), head(want.Rows))
			}
		}
	}
}
