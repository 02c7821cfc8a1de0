package investigations

import (
	"encoding/binary"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// v4Table holds the groups of a layout of one or two addresses (top
// talkers, top pairs) whose addresses are all IPv4: their key fits in one
// word (a pair as source<<32 | destination), and a group is that word
// and its three counts, 32 bytes, two to a cache line, where the general
// table needs a line a group (tags, two words per address, counts). Most
// flow-log traffic is IPv4, and over millions of records of many
// distinct pairs the table outgrows the caches: half the bytes is about
// half the cache and TLB misses, and half the growth. Groups with an
// IPv6 or absent address go to the evaluator's general table.
type v4Table struct {
	slots []v4Group // a slot is empty when its records count is 0
	mask  uint64
	n     int
}

// v4Group is a group's packed key and counts. Every group counts at
// least one record, so records == 0 marks an empty slot and every key
// value (0.0.0.0 → 0.0.0.0 included) is a key.
type v4Group struct{ key, records, packets, bytes uint64 }

func newV4Table() *v4Table {
	t := &v4Table{}
	t.alloc(16)
	return t
}

func (t *v4Table) alloc(slots int) {
	t.slots = make([]v4Group, slots)
	t.mask = uint64(slots - 1)
	t.n = 0
}

// v4Layout reports whether parts are one or two addresses.
func v4Layout(parts []part) bool {
	if len(parts) == 0 || len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if p.kind != partAddr {
			return false
		}
	}
	return true
}

// v4Key returns r's packed key in a v4Layout, or false when one of its
// addresses is absent or not IPv4 (an IPv4-mapped IPv6 address is IPv6
// here, as in makeKey).
func v4Key(parts []part, r *flowlog.Record) (uint64, bool) {
	var k uint64
	for i := range parts {
		f := parts[i].field
		a := addrOf(r, f)
		if !a.Is4() || !r.Has(f) {
			return 0, false
		}
		b := a.As4()
		k = k<<32 | uint64(binary.BigEndian.Uint32(b[:]))
	}
	return k, true
}

// packV4 returns the packed form of a general key k of a v4Layout, or
// false when an address of k is absent or IPv6.
func packV4(parts []part, k []uint64) (uint64, bool) {
	var v uint64
	for i := range parts {
		p := &parts[i]
		if p.tag(k) != 1 {
			return 0, false
		}
		v = v<<32 | k[p.word+1]
	}
	return v, true
}

// unpackV4 writes the general key of the packed key v into k.
func unpackV4(parts []part, v uint64, k []uint64) {
	tag := uint64(usedBit)
	for i := len(parts) - 1; i >= 0; i-- {
		p := &parts[i]
		k[p.word], k[p.word+1] = 0, v&0xffffffff
		v >>= 32
		tag |= 1 << p.shift
	}
	k[0] = tag
}

// group returns k's group, adding it (with zero counts, which the caller
// makes non-zero) if it is new.
func (t *v4Table) group(k uint64) *v4Group {
	h := mix(k, 0x243f6a8885a308d3)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		g := &t.slots[i]
		if g.records != 0 {
			if g.key == k {
				return g
			}
			continue
		}
		// Up to 7/8 full, as the general table.
		if 8*(t.n+1) > 7*(int(t.mask)+1) {
			t.grow()
			return t.group(k)
		}
		g.key = k
		t.n++
		return g
	}
}

func (t *v4Table) add(k uint64, r *flowlog.Record) {
	g := t.group(k)
	g.records++
	g.packets += r.Packets()
	g.bytes += r.Bytes()
}

func (t *v4Table) merge(k uint64, a agg) {
	g := t.group(k)
	g.records += uint64(a.records)
	g.packets += uint64(a.packets)
	g.bytes += uint64(a.bytes)
}

// grow doubles the table and reinserts every group.
func (t *v4Table) grow() {
	old := t.slots
	t.alloc(2 * len(old))
	for i := range old {
		if g := &old[i]; g.records != 0 {
			*t.group(g.key) = *g
		}
	}
}

// each calls fn with every group's packed key and counts.
func (t *v4Table) each(fn func(k uint64, a agg)) {
	for i := range t.slots {
		if g := &t.slots[i]; g.records != 0 {
			fn(g.key, agg{int64(g.records), int64(g.packets), int64(g.bytes)})
		}
	}
}
