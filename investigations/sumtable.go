package investigations

// sumTable sums groups by a key of w words (1: a packed key) while a
// pass reads a wide table's groups, for a table rolled up into it (the
// report's top sources, summed from 116k pairs). The domain is small
// (514 sources), the lookups many (one per wide group), so the table is
// made to stay in the first-level cache: an index of 4-byte slots, at
// most 1/4 full (nearly every lookup finds its group in the first slot
// it looks at, a branch the processor predicts), into dense arrays of
// the keys and the sums. Its sums go into the table's own evaluator once
// the pass is done.
type sumTable struct {
	w      int
	packed bool    // keys are packed (w is 1): addPacked, not add
	index  []int32 // per slot: 1 + the number of a group, 0: empty
	mask   uint64
	keys   []uint64 // group g's key: keys[g*w : (g+1)*w]
	sums   []agg
}

func newSumTable(w int, packed bool) *sumTable {
	t := &sumTable{w: w, packed: packed}
	t.index, t.mask = make([]int32, 64), 63
	return t
}

// sumSeed seeds the hashes of packed keys.
const sumSeed = 0x452821e638d01377

func (t *sumTable) hash(k []uint64) uint64 {
	switch {
	case t.packed:
		return mix(k[0], sumSeed)
	case t.w == 3: // one address: the tag only seeds the multiply
		return mix(k[2], k[1]^k[0]^sumSeed)
	}
	return hashKey(k)
}

// addPacked adds a to the sum of the packed key x.
func (t *sumTable) addPacked(x uint64, a *agg) {
	i := mix(x, sumSeed) & t.mask
	for {
		g := t.index[i] - 1
		if g >= 0 && t.keys[g] == x {
			t.sums[g].merge(a)
			return
		}
		if g < 0 {
			t.insert(i, []uint64{x}, *a)
			return
		}
		i = (i + 1) & t.mask
	}
}

// add adds a to the sum of the (general) key k.
func (t *sumTable) add(k []uint64, a agg) {
	w := t.w
	for i := t.hash(k) & t.mask; ; i = (i + 1) & t.mask {
		g := int(t.index[i] - 1)
		if g < 0 {
			t.insert(i, k, a)
			return
		}
		if equalWords(t.keys[g*w:(g+1)*w], k) {
			t.sums[g].merge(&a)
			return
		}
	}
}

// insert adds the group of key k and sum a in the empty slot i.
func (t *sumTable) insert(i uint64, k []uint64, a agg) {
	t.keys = append(t.keys, k...)
	t.sums = append(t.sums, a)
	t.index[i] = int32(len(t.sums))
	if 4*len(t.sums) > len(t.index) {
		t.grow()
	}
}

// grow doubles the index and indexes every group again.
func (t *sumTable) grow() {
	t.index = make([]int32, 2*len(t.index))
	t.mask = uint64(len(t.index) - 1)
	for g := range t.sums {
		i := t.hash(t.keys[g*t.w:(g+1)*t.w]) & t.mask
		for t.index[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.index[i] = int32(g + 1)
	}
}

// each calls fn with every key (valid during the call only) and sum.
func (t *sumTable) each(fn func(k []uint64, a agg)) {
	for g := range t.sums {
		fn(t.keys[g*t.w:(g+1)*t.w], t.sums[g])
	}
}
