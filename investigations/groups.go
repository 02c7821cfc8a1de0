package investigations

import "math/bits"

// groupTable holds an evaluator's groups: their keys (w words each, one
// after another), their aggregates, and an open-addressing hash index of
// the keys. Finding a group costs a hash of w words and, usually, one
// probe; a new group costs no allocation beyond the slices' growth.
type groupTable struct {
	w     int
	keys  []uint64 // group g's key is keys[g*w : (g+1)*w]
	aggs  []agg
	slots []uint64 // 0: empty; else the hash's high 32 bits << 32 | g+1
	mask  uint64
}

func newGroupTable(w int) *groupTable {
	return &groupTable{w: w, slots: make([]uint64, 64), mask: 63}
}

func (t *groupTable) len() int { return len(t.aggs) }

func (t *groupTable) key(g int) []uint64 { return t.keys[g*t.w : (g+1)*t.w : (g+1)*t.w] }

// hashKey mixes the words of k (wyhash's multiply-fold).
func hashKey(k []uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, v := range k {
		hi, lo := bits.Mul64(v^0xa0761d6478bd642f, h^0xe7037ed1a0b428db)
		h = hi ^ lo
	}
	return h
}

// group returns the index of k's group, adding the group (with a zero
// aggregate and a copy of k) if it is new.
func (t *groupTable) group(k []uint64) int {
	h := hashKey(k)
	hi := h &^ (1<<32 - 1)
	w := t.w
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			g := len(t.aggs)
			t.keys = append(t.keys, k...)
			t.aggs = append(t.aggs, agg{})
			t.slots[i] = hi | uint64(g+1)
			if 4*len(t.aggs) >= 3*len(t.slots) {
				t.grow()
			}
			return g
		}
		if s&^(1<<32-1) != hi {
			continue
		}
		g := int(uint32(s)) - 1
		if equalWords(t.keys[g*w:g*w+w], k) {
			return g
		}
	}
}

func equalWords(a, b []uint64) bool {
	for j := range b {
		if a[j] != b[j] {
			return false
		}
	}
	return true
}

// grow doubles the hash index and reinserts every group.
func (t *groupTable) grow() {
	n := 2 * len(t.slots)
	t.slots = make([]uint64, n)
	t.mask = uint64(n - 1)
	for g := range t.aggs {
		h := hashKey(t.key(g))
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h&^(1<<32-1) | uint64(g+1)
	}
}
