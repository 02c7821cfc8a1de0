package investigations

// sumTable sums groups by a key of w words (1: a packed key) while a
// pass reads a wide table's groups, for a table rolled up into it (the
// report's top sources, summed from 116k pairs). The domain is small
// (514 sources), the lookups many (one per wide group), and the pass
// streams megabytes of slots through the caches, so the table is made
// small: an index of 4-byte slots, at most 1/8 full (nearly every lookup
// finds its group in the first slot it looks at, a branch the processor
// predicts), into dense records of each group's key and sums (one cache
// line or two to compare and add). Its sums go into the table's own
// evaluator once the pass is done.
type sumTable struct {
	w     int
	index []int32 // per slot: 1 + the number of a group, 0: empty
	mask  uint64
	recs  []uint64 // group g's key and records, packets, bytes: recs[g*(w+3) : (g+1)*(w+3)]
	n     int
}

func newSumTable(w int) *sumTable {
	t := &sumTable{w: w}
	t.index, t.mask = make([]int32, 64), 63
	return t
}

func (t *sumTable) hash(k []uint64) uint64 { return hashWords(k, sumSeed) }

// rec returns group g's record.
func (t *sumTable) rec(g int) []uint64 {
	s := t.w + 3
	return t.recs[g*s : (g+1)*s : (g+1)*s]
}

// addTo adds a to the counts c (a record's last three words).
func addTo(c []uint64, a *agg) {
	c = c[:3:3]
	c[0] += uint64(a.records)
	c[1] += uint64(a.packets)
	c[2] += uint64(a.bytes)
}

// addPacked adds a to the sum of the packed key x.
func (t *sumTable) addPacked(x uint64, a *agg) {
	i := mix(x, sumSeed) & t.mask
	for {
		g := int(t.index[i] - 1)
		if g < 0 {
			t.insert(i, []uint64{x}, a)
			return
		}
		if r := t.recs[4*g : 4*g+4 : 4*g+4]; r[0] == x {
			addTo(r[1:], a)
			return
		}
		i = (i + 1) & t.mask
	}
}

// add adds a to the sum of the (general) key k.
func (t *sumTable) add(k []uint64, a *agg) {
	w := t.w
	i := t.hash(k) & t.mask
	for {
		g := int(t.index[i] - 1)
		if g < 0 {
			t.insert(i, k, a)
			return
		}
		if r := t.rec(g); equalWords(r[:w], k) {
			addTo(r[w:], a)
			return
		}
		i = (i + 1) & t.mask
	}
}

// insert adds the group of key k and sum a in the empty slot i.
func (t *sumTable) insert(i uint64, k []uint64, a *agg) {
	t.recs = append(t.recs, k...)
	t.recs = append(t.recs, uint64(a.records), uint64(a.packets), uint64(a.bytes))
	t.n++
	t.index[i] = int32(t.n)
	if 8*t.n > len(t.index) {
		t.grow()
	}
}

// grow doubles the index and indexes every group again.
func (t *sumTable) grow() {
	t.index = make([]int32, 2*len(t.index))
	t.mask = uint64(len(t.index) - 1)
	for g := range t.n {
		i := t.hash(t.rec(g)[:t.w]) & t.mask
		for t.index[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.index[i] = int32(g + 1)
	}
}

// each calls fn with every key (valid during the call only) and sum.
func (t *sumTable) each(fn func(k []uint64, a agg)) {
	for g := range t.n {
		r := t.rec(g)
		fn(r[:t.w], agg{int64(r[t.w]), int64(r[t.w+1]), int64(r[t.w+2])})
	}
}
