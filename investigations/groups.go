package investigations

import (
	"math/bits"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// groupTable holds an evaluator's groups in one open-addressing hash
// table (linear probing) whose slots hold each group's key words and its
// aggregate side by side: finding the group of a record costs a hash of
// its key and, usually, one slot, one cache line for a pair of addresses
// (5 key words + 3 counts), which matters when the groups outgrow the
// caches (a pair table over millions of records). A new group costs no
// allocation beyond the table's growth.
type groupTable struct {
	w      int      // key words; word 0 always has usedBit set
	stride int      // w + 3: records, packets, bytes after the key
	slots  []uint64 // a slot is empty when its word 0 is 0
	mask   uint64
	n      int
	// Records queued to be counted, when the table is large (as the
	// packed table's, see packedTable.flush): their keys, batchSize
	// of w words, and each one's hash and counts.
	qkeys   []uint64
	qaux    [batchSize][3]uint64
	queued  int
	touched uint64
}

// usedBit is set in word 0 of every key, so that a key is never 0.
const usedBit = 1 << 63

func newGroupTable(w int) *groupTable {
	t := &groupTable{w: w, stride: w + 3}
	t.alloc(16)
	return t
}

func (t *groupTable) alloc(slots int) {
	t.slots = make([]uint64, slots*t.stride)
	writeEachPage(t.slots)
	t.mask = uint64(slots - 1)
	t.n = 0
}

// Seeds of the tables' hashes: tableSeed for the counting tables (the
// general, the packed), sumSeed for the sums of a pass (sumTable), so
// that a sum's slots do not follow the order of the table it reads;
// wordSeed mixes a second word into a multiply of its own.
const (
	tableSeed = 0x243f6a8885a308d3
	sumSeed   = 0x452821e638d01377
	wordSeed  = 0x13198a2e03707344
)

// hashWords hashes the key words k with seed (wyhash's multiply-fold):
// the one hash of a key of any table (a packed key is one word). Word 0
// of a general key, the tags, only seeds it. The common widths take one
// multiply, or two side by side, not a chain of them: one word (a packed
// key), three (one address, or two numbers: the common general keys),
// five (two addresses: the pairs whose key does not pack, an IPv4 and an
// IPv6 address). The passes of results.go inline the first two.
func hashWords(k []uint64, seed uint64) uint64 {
	switch len(k) {
	case 1:
		return mix(k[0], seed)
	case 3:
		return mix(k[2], k[1]^k[0]^seed) // both words still pass through the multiply
	case 5:
		return mix(k[2], k[1]^k[0]^seed) ^ mix(k[4], k[3]^wordSeed)
	}
	h := seed ^ k[0]
	for _, v := range k[1:] {
		h = mix(v, h)
	}
	return h
}

func mix(v, h uint64) uint64 {
	hi, lo := bits.Mul64(v^0xa0761d6478bd642f, h^0xe7037ed1a0b428db)
	return hi ^ lo
}

// group returns the offset of k's slot, adding the group (a copy of k and
// zero counts) if it is new.
func (t *groupTable) group(k []uint64) int { return t.groupHashed(k, t.hash(k)) }

func (t *groupTable) hash(k []uint64) uint64 { return hashWords(k, tableSeed) }

// groupHashed is group of a key whose hash is h.
func (t *groupTable) groupHashed(k []uint64, h uint64) int {
	s, w := t.stride, t.w
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		b := int(i) * s
		e := t.slots[b : b+s : b+s]
		switch {
		case w == 3 && len(k) == 3:
			if e[0] == k[0] && e[1] == k[1] && e[2] == k[2] {
				return b
			}
		case w == 5 && len(k) == 5: // the last words first: an address's low half differs most
			if e[4] == k[4] && e[2] == k[2] && e[0] == k[0] && e[1] == k[1] && e[3] == k[3] {
				return b
			}
		case e[0] == k[0] && equalWords(e[1:w], k[1:]):
			return b
		}
		if e[0] == 0 {
			// Up to 7/8 full: probes run over adjacent slots, so a
			// fuller table costs less in cache misses than it costs in
			// probes (the report's pair table: ~5% less CPU than at 3/4).
			if 8*(t.n+1) > 7*(int(t.mask)+1) {
				t.grow()
				return t.groupHashed(k, h)
			}
			copy(e, k)
			t.n++
			return b
		}
	}
}

func equalWords(a, b []uint64) bool {
	for j := range a {
		if a[j] != b[j] {
			return false
		}
	}
	return true
}

// directGroups is the number of slots up to which a table counts each
// record at once (256 KiB of slots of a pair's key: in the caches).
const directGroups = 4096

// add counts r in the group with key k (for a large table, when its
// batch is flushed).
func (t *groupTable) add(k []uint64, r *flowlog.Record) {
	if int(t.mask) >= directGroups {
		if t.qkeys == nil {
			t.qkeys = make([]uint64, batchSize*t.w)
		}
		copy(t.qkeys[t.queued*t.w:], k)
		t.qaux[t.queued] = [3]uint64{t.hash(k), r.Packets(), r.Bytes()}
		if t.queued++; t.queued == batchSize {
			t.flush()
		}
		return
	}
	b := t.group(k) + t.w
	c := t.slots[b : b+3 : b+3]
	c[0]++
	c[1] += r.Packets()
	c[2] += r.Bytes()
}

// flush counts the queued records: first it loads the slot of each (the
// loads' cache misses overlap), then it counts them.
func (t *groupTable) flush() {
	var touched uint64
	for i := range t.queued {
		touched += t.slots[int(t.qaux[i][0]&t.mask)*t.stride]
	}
	for i := range t.queued {
		b := t.groupHashed(t.qkeys[i*t.w:(i+1)*t.w], t.qaux[i][0]) + t.w
		c := t.slots[b : b+3 : b+3]
		c[0]++
		c[1] += t.qaux[i][1]
		c[2] += t.qaux[i][2]
	}
	t.queued = 0
	t.touched = touched // the sum keeps the loads
}

// count returns the number of groups.
func (t *groupTable) count() int {
	t.flush()
	return t.n
}

// merge adds the counts a to the group with key k.
func (t *groupTable) merge(k []uint64, a agg) {
	t.flush()
	b := t.group(k) + t.w
	c := t.slots[b : b+3 : b+3]
	c[0] += uint64(a.records)
	c[1] += uint64(a.packets)
	c[2] += uint64(a.bytes)
}

// grow doubles the table and reinserts every group: in the first empty
// slot from its home, without groupHashed's growth check and key compares
// (the keys are distinct).
func (t *groupTable) grow() {
	old, s, n := t.slots, t.stride, t.n
	t.alloc(2 * (int(t.mask) + 1))
	for b := 0; b < len(old); b += s {
		if old[b] == 0 {
			continue
		}
		e := old[b : b+s]
		j := t.hash(e[:t.w]) & t.mask
		for t.slots[int(j)*s] != 0 {
			j = (j + 1) & t.mask
		}
		copy(t.slots[int(j)*s:int(j)*s+s], e)
	}
	t.n = n
}

func (t *groupTable) key(b int) []uint64 { return t.slots[b : b+t.w : b+t.w] }

func (t *groupTable) agg(b int) agg {
	c := t.slots[b+t.w : b+t.w+3]
	return agg{int64(c[0]), int64(c[1]), int64(c[2])}
}

// forEach calls fn with every group's key (valid during the call only)
// and counts, in place: no copy or index of the groups.
func (t *groupTable) forEach(fn func(k []uint64, a agg)) {
	t.flush()
	for b := 0; b < len(t.slots); b += t.stride {
		if t.slots[b] != 0 {
			fn(t.key(b), t.agg(b))
		}
	}
}

// eachBatch calls fn with the offsets of the groups' slots (for key and
// agg), a batch of up to len(offs) at a time, in offs, found without a
// branch per slot (see packedTable.eachBatch).
func (t *groupTable) eachBatch(offs []int, fn func(offs []int)) {
	t.flush()
	batch := len(offs) * t.stride
	for c := 0; c < len(t.slots); c += batch {
		n := 0
		for b := c; b < min(c+batch, len(t.slots)); b += t.stride {
			offs[n] = b
			n += int(t.slots[b] >> 63) // 1 unless empty (word 0 is 0; a key's has usedBit)
		}
		if n > 0 {
			fn(offs[:n])
		}
	}
}
