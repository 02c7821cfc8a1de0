package investigations

import (
	"math"
	"net/netip"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// pairTable6 counts the groups of a pair of addresses (top pairs, the
// report's roll-up of sources and destinations) whose key does not pack
// in the packed table because neither address is IPv4: IPv6 pairs and
// records without addresses (NODATA and SKIPDATA, which the roll-up
// counts as a key like any other). Each address is numbered by a small
// table of the distinct IPv6 addresses (ids), and a pair packs as the
// two numbers in one word, 0 for an absent address: a group is 32 bytes
// in a packed table, where the general table's is 64 (tag, two words per
// address, counts), and the key costs a look-up of each address in a
// table of a few KiB, not a 5-word key's copy, hash and compares. Of the
// report's 1M generated lines, ~100k IPv6 records (~50k pairs) and ~40k
// records without addresses count here: nearly all the records whose key
// does not pack. Measured: the pair table's memory 8.4 -> 2.4 MB over
// them and ~9% less CPU (a scratch benchmark of those records alone);
// `flowlog report` over the 1M lines 1,000 fewer page faults.
//
// A pair of an IPv4 and an IPv6 address stays in the general table. An
// IPv4-mapped IPv6 address is IPv6 here, as in makeKey. Memory grows with
// the distinct addresses and pairs, not the records. The numbers are the
// table's own: Merge and the answers read a group by its unpacked
// (general) key, so tables of different workers number alike or not.
type pairTable6 struct {
	f0, f1 flowlog.Field
	s0, s1 uint // the parts' tag shifts in a general key
	w0, w1 int  // and their first words
	ids    addrIDs
	t      *packedTable
}

func newPairTable6(parts []part) *pairTable6 {
	p := &pairTable6{f0: parts[0].field, f1: parts[1].field, s0: parts[0].shift, s1: parts[1].shift,
		w0: parts[0].word, w1: parts[1].word, t: &packedTable{}}
	p.ids.init()
	p.t.alloc(16)
	return p
}

// packRecord returns r's key in the table, or false when an address is
// IPv4 (or the addresses outnumber the ids).
func (p *pairTable6) packRecord(r *flowlog.Record) (uint64, bool) {
	a, b := addrOf(r, p.f0), addrOf(r, p.f1)
	if a.Is4() || b.Is4() {
		return 0, false
	}
	x, ok := p.code(a)
	y, ok2 := p.code(b)
	return x<<32 | y, ok && ok2
}

// code returns the number of an address that is not IPv4: 0 when absent
// (the zero Addr), else its id + 1.
func (p *pairTable6) code(a netip.Addr) (uint64, bool) {
	if !a.IsValid() {
		return 0, true
	}
	return p.ids.code(words16(a))
}

// pack returns the packed form of the general key k, or false when an
// address is IPv4.
func (p *pairTable6) pack(k []uint64) (uint64, bool) {
	x, ok := p.codeOf(k, p.s0, p.w0)
	y, ok2 := p.codeOf(k, p.s1, p.w1)
	return x<<32 | y, ok && ok2
}

func (p *pairTable6) codeOf(k []uint64, shift uint, w int) (uint64, bool) {
	switch k[0] >> shift & 3 {
	case 0:
		return 0, true
	case 2:
		return p.ids.code(k[w], k[w+1])
	}
	return 0, false
}

// unpack writes the general key of the packed key v into k.
func (p *pairTable6) unpack(v uint64, k []uint64) {
	x, y := v>>32, v&(1<<32-1)
	tag := uint64(usedBit)
	k[p.w0], k[p.w0+1], k[p.w1], k[p.w1+1] = 0, 0, 0, 0
	if x != 0 {
		a := &p.ids.addrs[x-1]
		k[p.w0], k[p.w0+1] = a[0], a[1]
		tag |= 2 << p.s0
	}
	if y != 0 {
		a := &p.ids.addrs[y-1]
		k[p.w1], k[p.w1+1] = a[0], a[1]
		tag |= 2 << p.s1
	}
	k[0] = tag
}

// add counts r in the group of key v (queued, for a large table).
func (p *pairTable6) add(v uint64, r *flowlog.Record) {
	if !p.t.enqueue(v, r) {
		p.t.add(v, r)
	}
}

// each calls fn with every group's general key (in k, valid during the
// call only) and counts.
func (p *pairTable6) each(k []uint64, fn func(k []uint64, a agg)) {
	p.t.each(func(v uint64, a agg) {
		p.unpack(v, k)
		fn(k, a)
	})
}

// addrIDs numbers distinct IPv6 addresses (their 16-byte form's two
// words) densely, from 0, in an open-addressing table of the ids (a
// flow log has few distinct addresses next to its records: the table is
// a few KiB).
type addrIDs struct {
	index []uint32 // id + 1; 0: empty
	mask  uint64
	addrs [][2]uint64
	limit int // the most addresses numbered: maxAddrIDs (tests set less)
}

// maxAddrIDs bounds the ids, so that an id + 1 fits in 32 bits, and the
// count of ids in an int where int is 32 bits (386, arm), where 1<<32-2
// alone does not compile.
const maxAddrIDs = min(1<<32-2, math.MaxInt)

func (t *addrIDs) init() {
	t.index, t.mask, t.limit = make([]uint32, 64), 63, maxAddrIDs
}

// code returns the address's id + 1, numbering it if it is new; false
// when there is no id left.
func (t *addrIDs) code(hi, lo uint64) (uint64, bool) {
	for i := mix(lo, hi^wordSeed) & t.mask; ; i = (i + 1) & t.mask {
		c := t.index[i]
		if c == 0 {
			return t.add(i, hi, lo)
		}
		if a := &t.addrs[c-1]; a[1] == lo && a[0] == hi {
			return uint64(c), true
		}
	}
}

func (t *addrIDs) add(i, hi, lo uint64) (uint64, bool) {
	if len(t.addrs) >= t.limit {
		return 0, false
	}
	t.addrs = append(t.addrs, [2]uint64{hi, lo})
	c := uint32(len(t.addrs))
	t.index[i] = c
	// At most a quarter full: fewer second probes, whose branch the
	// processor cannot predict. Over the 256 IPv6 addresses of 1M
	// generated lines, a look-up in a hot loop took ~15.6 ns against
	// ~17.8 at most half full (a scratch benchmark); the index costs
	// 16-32 bytes an address instead of 8-16, next to its 16 in addrs.
	if 4*len(t.addrs) > len(t.index) {
		t.index, t.mask = make([]uint32, 2*len(t.index)), uint64(2*len(t.index)-1)
		for j, a := range t.addrs {
			k := mix(a[1], a[0]^wordSeed) & t.mask
			for t.index[k] != 0 {
				k = (k + 1) & t.mask
			}
			t.index[k] = uint32(j + 1)
		}
	}
	return uint64(c), true
}
