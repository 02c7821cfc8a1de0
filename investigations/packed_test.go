package investigations

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// checkV4 fails unless t's groups are exactly want's, and its count is
// their number.
func checkV4(tb testing.TB, t *packedTable, want map[uint64]agg) {
	tb.Helper()
	got := map[uint64]agg{}
	t.each(func(k uint64, a agg) {
		if _, dup := got[k]; dup {
			tb.Errorf("key %#x twice", k)
		}
		got[k] = a
	})
	if !reflect.DeepEqual(got, want) || t.count() != len(want) {
		tb.Fatalf("%d groups (n %d), want %d; equal: %v", len(got), t.count(), len(want), reflect.DeepEqual(got, want))
	}
	for i := range t.slots { // and a look-up finds each group: no empty slot between its home and it
		if k := t.slots[i].key; t.slots[i].records != 0 && !findPacked(t, k) {
			tb.Fatalf("key %#x is in slot %d but a look-up from its home (%d of %d slots) misses it",
				k, i, hashPacked(k)&t.mask, len(t.slots))
		}
	}
}

// findPacked reports whether a look-up of k, as group makes it, finds k.
func findPacked(t *packedTable, k uint64) bool {
	for i := hashPacked(k) & t.mask; t.slots[i].records != 0; i = (i + 1) & t.mask {
		if t.slots[i].key == k {
			return true
		}
	}
	return false
}

// TestPackedTableRoom: a small table's array has room to split into; a
// large one's only while the heap is fresh, which it is not once the
// runtime has collected garbage (a test binary's heap is not fresh).
func TestPackedTableRoom(t *testing.T) {
	runtime.GC()
	for i := 0; freshHeap() && i < 1000; i++ { // the cleanup runs on a goroutine of its own
		time.Sleep(time.Millisecond)
	}
	if freshHeap() {
		t.Fatal("freshHeap after a collection")
	}
	if a := testing.AllocsPerRun(10, func() { _ = freshHeap() }); a != 0 {
		t.Errorf("freshHeap: %v allocations", a)
	}
	tab := &packedTable{}
	for _, c := range []struct{ slots, cap int }{{16, 32}, {directSlots, 2 * directSlots}, {2 * directSlots, 2 * directSlots}} {
		tab.alloc(c.slots)
		if len(tab.slots) != c.slots || cap(tab.slots) != c.cap {
			t.Errorf("alloc(%d): %d slots, room for %d; want room for %d", c.slots, len(tab.slots), cap(tab.slots), c.cap)
		}
	}
}

// TestPackedTableSplitsInPlace: a table doubled in place (split) keeps
// every group where a look-up finds it, with the cases split sets aside:
// a cluster that ran round the end of the old table into its first
// slots, and groups whose new home is the last slot, whose probes run
// round the end of the new one. Then it grows on, by copies and splits
// in turn, through many doublings.
func TestPackedTableSplitsInPlace(t *testing.T) {
	tab := newPackedTable(pairParts())
	if len(tab.slots) != 16 || cap(tab.slots) != 32 {
		t.Fatalf("%d slots, room for %d: want 16 and 32", len(tab.slots), cap(tab.slots))
	}
	want := map[uint64]agg{}
	add := func(k uint64) {
		tab.merge(k, agg{1, 2, int64(k)})
		a := want[k]
		a.merge(&agg{1, 2, int64(k)})
		want[k] = a
	}
	// 14 groups (7/8 of 16) whose old home is the last slot: they fill
	// it and run round into slots 0..12; of them, those whose new home
	// is slot 31 run round the end of the doubled table.
	var last, wrap int
	for k := uint64(0); last < 14; k++ {
		if h := hashPacked(k); h&15 == 15 {
			if h&31 == 31 {
				wrap++
			}
			add(k)
			last++
		}
	}
	if len(tab.slots) != 16 || wrap < 2 {
		t.Fatalf("%d slots, %d groups homed at the new table's last slot: the test's keys do not make its case", len(tab.slots), wrap)
	}
	checkV4(t, tab, want)
	add(1 << 40) // the 15th group: the table splits
	if len(tab.slots) != 32 || cap(tab.slots) != 32 {
		t.Fatalf("%d slots, room for %d: the table did not split in place", len(tab.slots), cap(tab.slots))
	}
	checkV4(t, tab, want)
	// On, through many doublings, each one a split: a large table has
	// room to split into only on a fresh heap (alloc), which a test's is
	// not, so the test gives it the room a fresh heap would. Half the
	// records are queued (add), as a large table batches them.
	rng := rand.New(rand.NewPCG(3, 4))
	var r flowlog.Record
	for i := 0; len(tab.slots) < 1<<17; i++ {
		if cap(tab.slots) < 2*len(tab.slots) {
			tab.slots = append(make([]packedGroup, 0, 2*len(tab.slots)), tab.slots...)
		}
		k := rng.Uint64N(1 << 20)
		if i%5 == 0 {
			for k = range want { // one seen before
				break
			}
		}
		if i%2 == 0 {
			add(k)
		} else {
			_ = r.SetUint(flowlog.Packets, 2)
			_ = r.SetUint(flowlog.Bytes, k)
			tab.add(k, &r)
			a := want[k]
			a.merge(&agg{1, 2, int64(k)})
			want[k] = a
		}
		if i%4099 == 0 {
			checkV4(t, tab, want)
		}
	}
	checkV4(t, tab, want)
}

// runV4Ops counts ops (a key and bytes, from a small key space so that
// keys repeat), merged or added as records, into a packedTable and a Go
// map, checking them equal after every growth.
func runV4Ops(tb testing.TB, ops []uint64) {
	t := newPackedTable(pairParts())
	want := map[uint64]agg{}
	slots := len(t.slots)
	for _, op := range ops {
		k := op >> 16 // 0 included; the low bits are the bytes
		a := agg{1, 1, int64(op & 0xffff)}
		if op&1 == 0 {
			t.merge(k, a)
		} else { // queued, counted when a batch is full or the table read
			var r flowlog.Record
			_ = r.SetUint(flowlog.Packets, 1)
			_ = r.SetUint(flowlog.Bytes, op&0xffff)
			t.add(k, &r)
		}
		w := want[k]
		w.merge(&a)
		want[k] = w
		if len(t.slots) != slots {
			slots = len(t.slots)
			checkV4(tb, t, want)
		}
	}
	checkV4(tb, t, want)
}

// TestV4TableEqualsMap: over random keys, repeated and new, growing
// through many doublings, the table holds what a Go map holds.
func TestV4TableEqualsMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, space := range []uint64{1, 7, 300, 1 << 14, 1 << 48} {
		ops := make([]uint64, 40000)
		for i := range ops {
			ops[i] = rng.Uint64N(space)<<16 | rng.Uint64N(1<<16)
		}
		runV4Ops(t, ops)
	}
}

// FuzzV4Table compares the table with a Go map over any sequence of keys.
func FuzzV4Table(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, 64))
	f.Add([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ops []uint64
		for ; len(b) >= 4; b = b[4:] {
			ops = append(ops, uint64(binary.LittleEndian.Uint32(b))<<8)
		}
		runV4Ops(t, ops)
	})
}

// TestV4TableCollisions: keys whose hashes all start at one slot probe
// past each other (and round the end of the table), before and after it
// grows.
func TestV4TableCollisions(t *testing.T) {
	tab := newPackedTable(pairParts())
	home := hashPacked(0) & tab.mask
	want := map[uint64]agg{}
	for k := uint64(0); len(want) < 12; k++ {
		if hashPacked(k)&tab.mask == home {
			want[k] = agg{int64(k + 1), 2, 3}
		}
	}
	for range 2 {
		for k, a := range want {
			tab.merge(k, a)
		}
	}
	for k, a := range want {
		want[k] = agg{2 * a.records, 2 * a.packets, 2 * a.bytes}
	}
	if len(tab.slots) != 16 {
		t.Fatalf("%d slots: the keys did not collide in one table", len(tab.slots))
	}
	checkV4(t, tab, want)
	for k := uint64(1 << 40); len(want) < 100; k++ { // grow
		tab.merge(k, agg{1, 1, 1})
		want[k] = agg{1, 1, 1}
	}
	checkV4(t, tab, want)
}

// TestEvaluatorV4AndOtherKeys: tables of one and two addresses count
// IPv4 groups in the packed table and the rest (IPv6, IPv4-mapped IPv6,
// absent addresses, 0.0.0.0 and 255.255.255.255) in the general one,
// with exactly the reference's rows, whole and merged from evaluators
// fed different parts.
func TestEvaluatorV4AndOtherKeys(t *testing.T) {
	f := flowlog.AllFields()
	var recs []flowlog.Record
	g := flowlog.NewGenerator(11, f)
	addrs := []string{"0.0.0.0", "255.255.255.255", "10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "::", "-"}
	for i := range 3000 {
		var r flowlog.Record
		g.Next(&r)
		if i%3 == 0 {
			_ = r.SetText(flowlog.SrcAddr, addrs[i%len(addrs)])
			_ = r.SetText(flowlog.DstAddr, addrs[(i/7)%len(addrs)])
			_ = r.SetText(flowlog.PktSrcAddr, addrs[(i/5)%len(addrs)])
		}
		recs = append(recs, r)
	}
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	for _, inv := range []Investigation{
		TopN([]flowlog.Field{src, dst}, Bytes, 0, Cond{}),
		TopN([]flowlog.Field{dst, src}, Records, 20, Present(src)),
		TopN([]flowlog.Field{src}, Packets, 0, Cond{}),
		TopN([]flowlog.Field{flowlog.PktSrcAddr}, Packets, 0, Cond{}),
	} {
		whole, err := inv.NewEvaluator(f)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := inv.NewEvaluator(f)
		b, _ := inv.NewEvaluator(f)
		if whole.pk == nil {
			t.Fatalf("%s: no packed table", inv.Name)
		}
		for i := range recs {
			whole.Add(&recs[i])
			[]*Evaluator{a, b}[i%2].Add(&recs[i])
		}
		b.Merge(a)
		if whole.pk.count() == 0 || whole.tab.n == 0 {
			t.Errorf("%s: %d packed and %d other groups: the test tests less than it says", inv.Name, whole.pk.count(), whole.tab.n)
		}
		want := refResult(inv, recs)
		for name, e := range map[string]*Evaluator{"whole": whole, "merged": b} {
			if got := e.Result(); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s:\n got %v\nwant %v", inv.Name, name, head(got.Rows), head(want.Rows))
			}
			if got := e.Groups(); got != whole.Groups() {
				t.Errorf("%s, %s: %d groups, whole %d", inv.Name, name, got, whole.Groups())
			}
		}
	}
}

// TestPackV4RoundTrip: a packed key unpacks to the general key makeKey
// makes, and packs back.
func TestPackV4RoundTrip(t *testing.T) {
	parts, w := layout([]Key{By(flowlog.SrcAddr), By(flowlog.DstAddr)})
	for _, c := range [][2]string{{"0.0.0.0", "0.0.0.0"}, {"255.255.255.255", "10.1.2.3"}, {"192.0.2.1", "0.0.0.0"}} {
		var r flowlog.Record
		_ = r.SetAddr(flowlog.SrcAddr, netip.MustParseAddr(c[0]))
		_ = r.SetAddr(flowlog.DstAddr, netip.MustParseAddr(c[1]))
		want := make([]uint64, w)
		makeKey(want, parts, &r)
		tab := newPackedTable(parts)
		v, ok := tab.packRecord(&r)
		if !ok {
			t.Fatalf("%v: not packed", c)
		}
		got := make([]uint64, w)
		tab.unpack(v, got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: unpacked %x, makeKey %x", c, got, want)
		}
		if p, ok := tab.pack(want); !ok || p != v {
			t.Errorf("%v: pack %x %v, packRecord %x", c, p, ok, v)
		}
	}
	var r flowlog.Record
	_ = r.SetAddr(flowlog.SrcAddr, netip.MustParseAddr("::ffff:10.0.0.1"))
	_ = r.SetAddr(flowlog.DstAddr, netip.MustParseAddr("10.0.0.1"))
	if _, ok := newPackedTable(parts).packRecord(&r); ok {
		t.Error("an IPv4-mapped IPv6 address packed as IPv4")
	}
}

func pairParts() []part {
	parts, _ := layout([]Key{By(flowlog.SrcAddr), By(flowlog.DstAddr)})
	return parts
}

// TestPackedLayouts: the layouts whose keys fit in a word pack every
// key but those with an absent or IPv6 address, and unpack to the key
// makeKey made; the others get no packed table.
func TestPackedLayouts(t *testing.T) {
	recs := packingRecords(t, 2000, flowlog.DstPort, flowlog.InterfaceID, flowlog.SrcAddr)
	by := byFields
	for _, c := range []struct {
		keys []Key
		fits bool
	}{
		{by(flowlog.DstPort, flowlog.Protocol), true},
		{by(flowlog.InterfaceID, flowlog.LogStatus), true},
		{by(flowlog.SrcAddr, flowlog.DstPort, flowlog.Protocol), true},
		{[]Key{FamilyOf(flowlog.SrcAddr), By(flowlog.DstPort)}, true},
		{by(flowlog.SrcAddr), true},
		{by(flowlog.SrcAddr, flowlog.DstAddr, flowlog.PktSrcAddr), false}, // 96 bits
		{by(flowlog.SrcAddr, flowlog.InterfaceID), false},                 // 32 + 34 bits
		{[]Key{HourOf(flowlog.Start), By(flowlog.DstPort)}, false},
		{by(flowlog.Bytes), false},
	} {
		parts, w := layout(c.keys)
		tab := newPackedTable(parts)
		if (tab != nil) != c.fits {
			t.Errorf("%v: packed table %v, want %v", c.keys, tab != nil, c.fits)
			continue
		}
		if tab == nil {
			continue
		}
		packed := 0
		k, got := make([]uint64, w), make([]uint64, w)
		for i := range recs {
			makeKey(k, parts, &recs[i])
			v, ok := tab.pack(k)
			v6 := false
			for j := range parts {
				if parts[j].kind == partAddr && parts[j].tag(k) != 1 {
					v6 = true
				}
			}
			if ok == v6 {
				t.Fatalf("%v: key %x packs %v", c.keys, k, ok)
			}
			if !ok {
				continue
			}
			packed++
			tab.unpack(v, got)
			if !reflect.DeepEqual(got, k) {
				t.Fatalf("%v: key %x unpacks to %x", c.keys, k, got)
			}
			if v2, ok := tab.packRecord(&recs[i]); !ok || v2 != v {
				t.Fatalf("%v: packRecord %x %v, pack %x", c.keys, v2, ok, v)
			}
		}
		if packed == 0 || packed == len(recs) && parts[0].kind == partAddr {
			t.Errorf("%v: %d of %d keys packed: the test tests less than it says", c.keys, packed, len(recs))
		}
	}
}

// TestGeneralTableBatches: a general table (pairs of an IPv6 source and
// an IPv4 destination: the pairs that pack in neither the packed table
// nor the pair table of numbered addresses) large enough to queue its
// records counts exactly the reference's groups, whole and merged, and
// its group count is right whatever is queued.
func TestGeneralTableBatches(t *testing.T) {
	f := flowlog.DefaultFormat()
	recs := generated(f, 30000)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range recs {
		if !recs[i].Has(flowlog.SrcAddr) {
			continue
		}
		var b [16]byte
		b[0], b[1], b[15] = 0x20, 0x01, byte(rng.IntN(4))
		b[14] = byte(rng.IntN(90))
		_ = recs[i].SetAddr(flowlog.SrcAddr, netip.AddrFrom16(b))
		_ = recs[i].SetAddr(flowlog.DstAddr, netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(50)), b[15]}))
	}
	inv := TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Bytes, 0, Cond{})
	whole, _ := inv.NewEvaluator(f)
	a, _ := inv.NewEvaluator(f)
	b, _ := inv.NewEvaluator(f)
	for i := range recs {
		whole.Add(&recs[i])
		[]*Evaluator{a, b}[i%2].Add(&recs[i])
	}
	if len(whole.tab.slots)/whole.tab.stride <= directGroups || whole.tab.queued == 0 {
		t.Fatalf("%d slots, %d queued: the table never queued", len(whole.tab.slots)/whole.tab.stride, whole.tab.queued)
	}
	want := refResult(inv, recs)
	if n := whole.Groups(); n != len(want.Rows) {
		t.Errorf("%d groups, want %d", n, len(want.Rows))
	}
	a.Merge(b)
	for name, e := range map[string]*Evaluator{"whole": whole, "merged": a} {
		if got := e.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, head(got.Rows), head(want.Rows))
		}
	}
}

// TestPackedTableCountsPrefetchedBatch: a large table keeps the batch
// whose lines it prefetched (rotate) until the next one fills; every
// reader (count, each, merge) counts it and the one filling.
func TestPackedTableCountsPrefetchedBatch(t *testing.T) {
	for _, extra := range []int{0, 1, batchSize - 1, batchSize, batchSize + 5, 3 * batchSize} {
		for _, read := range []string{"count", "each", "merge"} {
			tab := newPackedTable(pairParts())
			for k := range uint64(2 * directSlots) { // past directSlots: queued
				tab.merge(k<<20, agg{1, 1, 1})
			}
			if tab.room == 0 {
				t.Fatal("the table does not queue")
			}
			want := map[uint64]agg{}
			for i := range batchSize + extra {
				k := uint64(i%7) << 20
				var r flowlog.Record
				_ = r.SetUint(flowlog.Packets, 2)
				_ = r.SetUint(flowlog.Bytes, uint64(i))
				tab.add(k, &r)
				w := want[k]
				w.merge(&agg{1, 2, int64(i)})
				want[k] = w
			}
			switch read {
			case "count":
				if n := tab.count(); n != 2*directSlots {
					t.Fatalf("extra %d: count %d, want %d", extra, n, 2*directSlots)
				}
			case "merge":
				tab.merge(1<<60, agg{1, 1, 1})
			}
			got := map[uint64]agg{}
			tab.each(func(k uint64, a agg) {
				if k>>20 < 7 && k&(1<<20-1) == 0 {
					got[k] = a
				}
			})
			for k, w := range want {
				w.merge(&agg{1, 1, 1}) // the merge before
				if got[k] != w {
					t.Errorf("extra %d, %s: key %x: %+v, want %+v", extra, read, k, got[k], w)
				}
			}
		}
	}
}

// TestPrefetchBatchSize: prefetch_amd64.s prefetches exactly 16 lines.
func TestPrefetchBatchSize(t *testing.T) {
	if batchSize != 16 {
		t.Fatalf("batchSize is %d: prefetch_amd64.s prefetches 16 lines", batchSize)
	}
}

// packingRecords returns n generated records of every field and the edge
// records, where record i lacks absent[i%5] (when there is one): keys
// with an absent part, which pack with a zero tag or not at all.
func packingRecords(t *testing.T, n int, absent ...flowlog.Field) []flowlog.Record {
	t.Helper()
	f := flowlog.AllFields()
	recs := append(generated(f, n), edgeRecords(t, f)...)
	for i := range recs {
		if j := i % 5; j < len(absent) {
			_ = recs[i].SetText(absent[j], "-")
		}
	}
	return recs
}

// byFields returns a key of each field, in order.
func byFields(fs ...flowlog.Field) []Key {
	var ks []Key
	for _, f := range fs {
		ks = append(ks, By(f))
	}
	return ks
}
