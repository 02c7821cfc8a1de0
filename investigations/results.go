package investigations

import (
	"cmp"
	"slices"
)

// Answers are read in one pass over an evaluator's groups, in place (the
// packed table's slots, then the general table's, in batches), for every
// table the evaluator counts: a top-N keeps a bounded heap of copies of
// the best groups' keys (a group costs a compare with the worst kept,
// and a copy only when it is kept); a table rolled up into wider groups
// sums them by its own key in small tables (packed where its key packs:
// the source of a pair of IPv4 addresses is a bit field of the pair's
// packed key), whose top-N is its answer; a table of totals sums the
// groups that have the fields it asks for. Over the report's pair table
// (116k groups) a copy of every group into a general table, and arrays
// of their indexes, cost ~17 MB and ~12 ms a report.

// groupPass answers tables from one evaluator's groups in one pass.
type groupPass struct {
	e    *Evaluator
	tops []*topN
	sums []*rollSum
	// byHave sums the groups by the parts they have (bit i: part i is
	// present), when a table of totals asks: at most 4 keys, 16 sums.
	byHave []agg
	// How a packed key says which parts it has: always (an address
	// packs only when present), or by the part's tag.
	always uint64
	tagged []packedTag
	buf    *passBuffers
}

// passBuffers hold a batch of groups, for the passes of one Results.
type passBuffers struct {
	keys  []uint64 // packed keys
	paggs []agg    // their counts
	offs  []int    // offsets of general groups
	aggs  []agg    // their counts
	have  []uint64 // per group: the parts it has
}

// passBatch is how many groups a pass reads at a time: their keys and
// counts stay in the first-level cache.
const passBatch = 256

func newPassBuffers() *passBuffers {
	return &passBuffers{keys: make([]uint64, passBatch), paggs: make([]agg, passBatch), offs: make([]int, passBatch),
		aggs: make([]agg, passBatch), have: make([]uint64, passBatch)}
}

type packedTag struct {
	shift uint8
	bit   uint64
}

// newGroupPass returns a pass over e's groups with the buffers buf (nil:
// its own).
func newGroupPass(e *Evaluator, buf *passBuffers) *groupPass {
	if buf == nil && e.tab != nil {
		buf = newPassBuffers()
	}
	p := &groupPass{e: e, buf: buf}
	if e.pk != nil {
		for i, c := range e.pk.chunks() {
			if c.tagged {
				p.tagged = append(p.tagged, packedTag{c.shift, 1 << i})
			} else {
				p.always |= 1 << i
			}
		}
	}
	return p
}

// top returns the top-N of inv (e's keys) over e's groups that have the
// parts need.
func (p *groupPass) top(inv Investigation, need uint64) *topN {
	groups := 0
	if inv.Limit <= 0 {
		groups = p.e.Groups()
	}
	t := newTopN(p.e, inv, need, groups)
	p.tops = append(p.tops, t)
	return t
}

// newTopN returns a top-N of inv over groups of e's layout that have the
// parts need, of which there are about groups (for a table of every
// group: the room it takes).
func newTopN(e *Evaluator, inv Investigation, need uint64, groups int) *topN {
	t := &topN{parts: e.parts, w: len(e.k), need: need, by: inv.OrderBy, limit: inv.Limit, pk: e.pk,
		k: make([]uint64, len(e.k))}
	n := min(t.limit, 1024)
	if t.limit <= 0 {
		n = groups
	}
	if n > 0 {
		t.keys, t.aggs = make([]uint64, 0, n*t.w), make([]agg, 0, n)
	}
	if t.limit > 0 {
		t.heap = make([]int, 0, n)
	}
	return t
}

// sum returns the sums of e's groups that have the parts need by the
// keys of t, a table rolled up into e.
func (p *groupPass) sum(t *setTable, need uint64) *rollSum {
	s := newRollSum(t, p.e, need)
	p.sums = append(p.sums, s)
	return s
}

// totals returns the sum of the groups that have the parts need, once
// the pass has run (countTotals must be called before).
func (p *groupPass) totals(need uint64) agg {
	var a agg
	for have := range p.byHave {
		if need&^uint64(have) == 0 {
			a.merge(&p.byHave[have])
		}
	}
	return a
}

// countTotals makes the pass sum the groups for totals.
func (p *groupPass) countTotals() {
	if p.byHave == nil {
		p.byHave = make([]agg, 1<<len(p.e.parts))
	}
}

// addTotals sums a batch of groups by the parts they have: those that
// have every part (nearly all) in registers, not in memory (a sum in
// memory waits for its last store, group after group).
func (p *groupPass) addTotals(have []uint64, aggs []agg) {
	every := uint64(len(p.byHave) - 1)
	var r, pk, b int64
	for i := range aggs {
		if have[i] == every {
			r, pk, b = r+aggs[i].records, pk+aggs[i].packets, b+aggs[i].bytes
			continue
		}
		p.byHave[have[i]].merge(&aggs[i])
	}
	p.byHave[every].merge(&agg{r, pk, b})
}

// run reads e's groups once: the tables' in batches, in place (the
// arrays of small-domain keys group by group).
func (p *groupPass) run() {
	e := p.e
	if e.tab == nil {
		e.each(p.general)
		return
	}
	if e.pk != nil {
		e.pk.eachBatch(p.buf.keys, p.buf.paggs, p.packed)
	}
	e.tab.eachBatch(p.buf.offs, func(offs []int) { p.generalBatch(e.tab, offs) })
	if e.p6 != nil {
		p.pairs6()
	}
}

// pairs6 reads the groups of the pair table of numbered addresses (see
// pairTable6) in batches. A table keyed by one of the two addresses (the
// report's sources and destinations) is summed by that address's number
// in an array first, and its sum table gets one group per address, not
// one per pair; a top-N unpacks only the groups it keeps (as over the
// packed table); any other table gets each batch's keys unpacked into
// the slots of a table of one batch. Over the report's 1M generated
// lines (~50k IPv6 pairs of 256 addresses) unpacking and hashing every
// pair's 5-word key twice was ~40% of Set.Results.
func (p *groupPass) pairs6() {
	p6, w := p.e.p6, len(p.e.k)
	var rest []*rollSum
	var byID [2][]agg // per part: [number*4 + the parts the group has]
	for _, s := range p.sums {
		if s.one != 0 && s.one != 1 {
			rest = append(rest, s)
			continue
		}
		if byID[s.one] == nil {
			byID[s.one] = make([]agg, 4*(len(p6.ids.addrs)+1))
		}
	}
	var batch *groupTable
	if len(rest) > 0 {
		batch = &groupTable{w: w, stride: w + 3, slots: make([]uint64, passBatch*(w+3))}
	}
	p6.t.eachBatch(p.buf.keys, p.buf.paggs, func(keys []uint64, aggs []agg) {
		have := p.buf.have[:len(keys)]
		for i, v := range keys {
			x, y := v>>32, v&(1<<32-1) // numbers of parts 0 and 1; 0: absent
			h := (x|-x)>>63 | (y|-y)>>63<<1
			have[i] = h
			if s := byID[0]; s != nil {
				s[x*4+h].merge(&aggs[i])
			}
			if s := byID[1]; s != nil {
				s[y*4+h].merge(&aggs[i])
			}
		}
		if p.byHave != nil {
			p.addTotals(have, aggs)
		}
		for _, t := range p.tops {
			t.packedBy(keys, have, aggs, p6.unpack)
		}
		if batch == nil {
			return
		}
		offs := p.buf.offs[:len(keys)]
		for i, v := range keys {
			b := i * batch.stride
			s := batch.slots[b : b+batch.stride : b+batch.stride]
			p6.unpack(v, s[:w])
			s[w], s[w+1], s[w+2] = uint64(aggs[i].records), uint64(aggs[i].packets), uint64(aggs[i].bytes)
			offs[i] = b
		}
		for _, s := range rest {
			s.addGeneralBatch(batch, offs, have, aggs)
		}
	})
	wk := make([]uint64, w)
	for part, sums := range byID {
		for i := range sums {
			if sums[i].records == 0 {
				continue
			}
			id, h := uint64(i/4), uint64(i%4)
			p6.unpack(id<<(32*uint(1-part)), wk) // the other part absent: no table reads it
			for _, s := range p.sums {
				if s.one == part {
					s.addGeneral(wk, h, &sums[i])
				}
			}
		}
	}
}

// packed reads a batch of the packed table's groups: each answer goes
// over the batch in turn (tight loops, the branches alike).
func (p *groupPass) packed(keys []uint64, aggs []agg) {
	have := p.buf.have[:len(keys)]
	for i, v := range keys {
		h := p.always
		for _, t := range p.tagged {
			h |= t.bit * ((v>>t.shift&3 + 3) >> 2) // without a branch: 1 unless the tag is 0
		}
		have[i] = h
	}
	if p.byHave != nil {
		p.addTotals(have, aggs)
	}
	for _, s := range p.sums {
		s.addPacked(keys, have, aggs)
	}
	for _, t := range p.tops {
		t.packed(keys, have, aggs)
	}
}

// generalBatch reads a batch of the general groups of tab (the general
// table's, or a batch of pairs6), at the offsets offs of their slots.
func (p *groupPass) generalBatch(tab *groupTable, offs []int) {
	parts := p.e.parts
	have, aggs := p.buf.have[:len(offs)], p.buf.aggs[:len(offs)]
	for i, b := range offs {
		k0 := tab.key(b)[0]
		var h uint64
		for j := range parts {
			h |= (k0>>parts[j].shift&3 + 3) >> 2 << j // without a branch: 1 unless the tag is 0
		}
		have[i], aggs[i] = h, tab.agg(b)
	}
	if p.byHave != nil {
		p.addTotals(have, aggs)
	}
	for _, s := range p.sums {
		s.addGeneralBatch(tab, offs, have, aggs)
	}
	for _, t := range p.tops {
		for i, b := range offs {
			t.general(tab.key(b), have[i], &aggs[i])
		}
	}
}

// general reads one group (of an array of small-domain keys).
func (p *groupPass) general(k []uint64, a agg) {
	var have uint64
	for i := range p.e.parts {
		if p.e.parts[i].tag(k) != 0 {
			have |= 1 << i
		}
	}
	if p.byHave != nil {
		p.byHave[have].merge(&a)
	}
	for _, s := range p.sums {
		s.addGeneral(k, have, &a)
	}
	for _, t := range p.tops {
		t.general(k, have, &a)
	}
}

// topN keeps the first limit groups (every group when limit is 0) in a
// table's order: by a measure descending, ties by the keys ascending
// (compareKeys), or by the keys alone. With a limit it keeps them in a
// heap whose root is the worst kept: most groups cost a compare of
// their measure with the root's, and a key is copied (unpacked) only
// when it is kept or ties with the root.
type topN struct {
	parts []part
	w     int
	need  uint64 // the parts a group must have
	by    Measure
	limit int
	pk    *packedTable // unpacks packed keys
	keys  []uint64     // kept group i's key: keys[i*w : (i+1)*w]
	aggs  []agg
	heap  []int    // the kept groups, the worst at the root (with a limit)
	floor int64    // when the heap is full: the root's measure
	k     []uint64 // an unpacked key
}

func (t *topN) key(i int) []uint64 { return t.keys[i*t.w : (i+1)*t.w : (i+1)*t.w] }

// compare orders kept groups i and j: < 0 when i comes first.
func (t *topN) compare(i, j int) int { return t.compareTo(t.aggs[i], t.key(i), j) }

// compareTo orders the group (a, k) and the kept group j.
func (t *topN) compareTo(a agg, k []uint64, j int) int {
	if t.by != 0 {
		if c := cmp.Compare(t.aggs[j].get(t.by), a.get(t.by)); c != 0 {
			return c
		}
	}
	return compareKeys(t.parts, k, t.key(j))
}

func (t *topN) full() bool { return t.limit > 0 && len(t.aggs) == t.limit }

// packed offers a batch of packed groups: those whose measure is below
// the worst kept's (most, once the heap is full) cost that compare.
func (t *topN) packed(keys, have []uint64, aggs []agg) { t.packedBy(keys, have, aggs, t.pk.unpack) }

// packedBy is packed for the packed keys of any table: unpack writes a
// packed key's general key.
func (t *topN) packedBy(keys, have []uint64, aggs []agg, unpack func(v uint64, k []uint64)) {
	for i, v := range keys {
		if t.need&^have[i] != 0 {
			continue
		}
		a := &aggs[i]
		if t.full() && t.by != 0 {
			if m := a.get(t.by); m < t.floor {
				continue
			} else if m > t.floor {
				root := t.heap[0]
				unpack(v, t.key(root))
				t.aggs[root] = *a
				t.down()
				continue
			}
		}
		unpack(v, t.k)
		t.offer(t.k, *a)
	}
}

func (t *topN) general(k []uint64, have uint64, a *agg) {
	if t.need&^have != 0 || t.full() && t.by != 0 && a.get(t.by) < t.floor {
		return
	}
	t.offer(k, *a)
}

// offer keeps the group (k, a) if it is among the best so far.
func (t *topN) offer(k []uint64, a agg) {
	if !t.full() {
		i := len(t.aggs)
		t.keys = append(t.keys, k...)
		t.aggs = append(t.aggs, a)
		if t.limit > 0 {
			t.heap = append(t.heap, i)
			t.up(len(t.heap) - 1)
			t.setFloor()
		}
		return
	}
	root := t.heap[0]
	if t.compareTo(a, k, root) >= 0 {
		return
	}
	copy(t.key(root), k)
	t.aggs[root] = a
	t.down()
}

func (t *topN) up(i int) {
	h := t.heap
	for i > 0 {
		p := (i - 1) / 2
		if t.compare(h[i], h[p]) <= 0 {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

// setFloor notes the root's measure, when the heap is full.
func (t *topN) setFloor() {
	if t.full() && t.by != 0 {
		t.floor = t.aggs[t.heap[0]].get(t.by)
	}
}

// down restores the heap after its root changed.
func (t *topN) down() {
	defer t.setFloor()
	h := t.heap
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && t.compare(h[c+1], h[c]) > 0 {
			c++
		}
		if t.compare(h[c], h[i]) <= 0 {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// result returns the kept groups as inv's answer, in order.
func (t *topN) result(inv Investigation) Result {
	order := t.heap
	if t.limit <= 0 {
		order = make([]int, len(t.aggs))
		for i := range order {
			order[i] = i
		}
	}
	slices.SortFunc(order, t.compare)
	res := Result{Columns: inv.Columns(), Rows: make([][]any, len(order))}
	vals := make([]any, len(t.parts))
	for n, i := range order {
		k := t.key(i)
		for j := range t.parts {
			vals[j] = t.parts[j].value(k)
		}
		res.Rows[n] = row(inv, vals, &t.aggs[i])
	}
	return res
}

// rollSum sums the groups of a wide evaluator that have the parts need
// by the keys of a table rolled up into it (a subset of the wide keys),
// in sum tables of the table's packed keys (projected as bit fields of
// the wide packed key) and of its general keys. d is an evaluator of
// the table's layout whose strings are the wide one's: it packs and
// unpacks the table's keys, and, for a table with a side count, takes
// the sums to merge it in.
type rollSum struct {
	d    *Evaluator
	need uint64
	one  int // the wide part the table is keyed by, when it is keyed by one; -1 otherwise
	// packed sums the wide packed groups by the table's packed key:
	// moves says where each part's bits are in the wide key and in the
	// table's (nil when they are not a bit field of the wide key: then
	// the groups are unpacked and summed as general ones).
	packed *sumTable
	moves  []chunkMove
	wide   *packedTable
	wk     []uint64 // an unpacked wide key
	// general sums the general groups by the table's general key: its
	// tag bits and words are moved from the wide key's.
	general *sumTable
	tags    []chunkMove
	words   [][2]int // from, to
}

type chunkMove struct {
	from, to uint8
	mask     uint64
}

func newRollSum(t *setTable, e *Evaluator, need uint64) *rollSum {
	d := &Evaluator{inv: t.inv, keys: t.inv.GroupBy}
	var w int
	d.parts, w = layout(d.keys)
	d.k = make([]uint64, w)
	s := &rollSum{d: d, need: need, one: -1, wide: e.pk, wk: make([]uint64, len(e.k)), general: newSumTable(w)}
	if len(t.proj) == 1 {
		s.one = t.proj[0]
	}
	for j := range d.parts {
		p, q := &d.parts[j], &e.parts[t.proj[j]]
		p.strs = q.strs
		s.tags = append(s.tags, chunkMove{from: uint8(q.shift), to: uint8(p.shift), mask: 3})
		for n := range p.words() {
			s.words = append(s.words, [2]int{q.word + n, p.word + n})
		}
	}
	d.pk = newPackedTable(d.parts)
	if e.pk != nil && d.pk != nil {
		wc, dc := e.pk.chunks(), d.pk.chunks()
		for j, c := range dc {
			from := wc[t.proj[j]]
			if from.width != c.width || from.tagged != c.tagged {
				s.moves = nil // not a bit field of the wide key: unpack
				break
			}
			s.moves = append(s.moves, chunkMove{from: from.shift, to: c.shift, mask: 1<<c.width - 1})
		}
		if s.moves != nil {
			s.packed = newSumTable(1)
		}
	}
	return s
}

// addPacked sums a batch of packed groups.
func (s *rollSum) addPacked(keys, have []uint64, aggs []agg) {
	if s.moves == nil {
		for i, v := range keys {
			s.wide.unpack(v, s.wk)
			s.addGeneral(s.wk, have[i], &aggs[i])
		}
		return
	}
	t := s.packed
	// The table's slices in locals: the sums' stores could otherwise
	// change them, as far as the compiler knows (an insert does).
	index, mask, recs := t.index, t.mask, t.recs
	m0 := s.moves[0]
	for i, v := range keys {
		if s.need&^have[i] != 0 {
			continue
		}
		x := (v >> m0.from & m0.mask) << m0.to
		for _, m := range s.moves[1:] {
			x |= (v >> m.from & m.mask) << m.to
		}
		// The first slot, inline: nearly always the group's.
		if g := int(index[mix(x, sumSeed)&mask] - 1); g >= 0 {
			if r := recs[4*g : 4*g+4 : 4*g+4]; r[0] == x {
				addTo(r[1:], &aggs[i])
				continue
			}
		}
		t.addPacked(x, &aggs[i])
		index, mask, recs = t.index, t.mask, t.recs
	}
}

// addGeneralBatch sums a batch of general groups, at the offsets offs of
// tab's slots.
func (s *rollSum) addGeneralBatch(tab *groupTable, offs []int, have []uint64, aggs []agg) {
	t := s.general
	if t.w != 3 {
		for i, b := range offs {
			s.addGeneral(tab.key(b), have[i], &aggs[i])
		}
		return
	}
	// One address (or two numbers): the key's words 1 and 2 are two
	// words of the wide key; the first slot checked inline.
	f1, f2 := s.words[0][0], s.words[1][0]
	index, mask, recs := t.index, t.mask, t.recs
	for i, b := range offs {
		if s.need&^have[i] != 0 {
			continue
		}
		wk := tab.key(b)
		tag := uint64(usedBit)
		for _, m := range s.tags {
			tag |= (wk[0] >> m.from & m.mask) << m.to
		}
		k1, k2 := wk[f1], wk[f2]
		if g := int(index[mix(k2, k1^tag^sumSeed)&mask] - 1); g >= 0 {
			if r := recs[6*g : 6*g+6 : 6*g+6]; r[0] == tag && r[1] == k1 && r[2] == k2 {
				addTo(r[3:], &aggs[i])
				continue
			}
		}
		k := s.d.k
		k[0], k[1], k[2] = tag, k1, k2
		t.add(k, &aggs[i])
		index, mask, recs = t.index, t.mask, t.recs
	}
}

func (s *rollSum) addGeneral(wk []uint64, have uint64, a *agg) {
	if s.need&^have != 0 {
		return
	}
	tag := uint64(usedBit)
	for _, m := range s.tags {
		tag |= (wk[0] >> m.from & m.mask) << m.to
	}
	k := s.d.k
	k[0] = tag
	for _, m := range s.words {
		k[m[1]] = wk[m[0]]
	}
	s.general.add(k, a)
}

// result returns the table's answer: the sums' top-N, or, when the
// table counted records of its own (side), the top-N of its evaluator
// with the sums and side's groups merged in.
func (s *rollSum) result(side *Evaluator) Result {
	d := s.d
	if side != nil {
		d.tab = newGroupTable(len(d.k))
		if s.packed != nil {
			s.packed.each(func(k []uint64, a agg) { d.pk.merge(k[0], a) })
		}
		s.general.each(d.mergeGroup)
		d.Merge(side)
		return d.Result()
	}
	// A general wide group may sum into a key that packs (an IPv6
	// source's IPv4 destination): its sum joins the packed sums, where
	// that key's others are.
	var general []int
	for g := range s.general.n {
		r := s.general.rec(g)
		if s.packed != nil {
			if x, ok := d.pk.pack(r[:s.general.w]); ok {
				s.packed.addPacked(x, &agg{int64(r[s.general.w]), int64(r[s.general.w+1]), int64(r[s.general.w+2])})
				continue
			}
		}
		general = append(general, g)
	}
	n := len(general)
	if s.packed != nil {
		n += s.packed.n
	}
	top := newTopN(d, d.inv, 0, n)
	if s.packed != nil {
		s.packed.each(func(k []uint64, a agg) {
			d.pk.unpack(k[0], top.k)
			top.offer(top.k, a)
		})
	}
	w := s.general.w
	for _, g := range general {
		r := s.general.rec(g)
		top.offer(r[:w], agg{int64(r[w]), int64(r[w+1]), int64(r[w+2])})
	}
	return top.result(d.inv)
}

// words returns the number of key words of the part.
func (p *part) words() int {
	switch p.kind {
	case partAddr:
		return 2
	case partFamily:
		return 0
	}
	return 1
}

// answer sets out[i] to the answer of each table i of tables, all
// counted by evaluator j, reading its groups once for all of them.
func (s *Set) answer(j int, tables []int, out []Result, buf *passBuffers) {
	e := s.evals[j]
	if len(e.keys) == 0 { // a table of totals, alone
		for _, i := range tables {
			out[i] = e.Result()
		}
		return
	}
	p := newGroupPass(e, buf)
	finish := make([]func(), 0, len(tables))
	for _, i := range tables {
		t := &s.tables[i]
		var need uint64
		for _, q := range t.present {
			need |= 1 << q
		}
		switch {
		case !t.rolled:
			top := p.top(t.inv, 0)
			finish = append(finish, func() { out[i] = top.result(t.inv) })
		case len(t.inv.GroupBy) == 0:
			p.countTotals()
			finish = append(finish, func() {
				a := p.totals(need)
				if t.side != nil {
					a.merge(&t.side.total)
				}
				out[i] = Result{Columns: t.inv.Columns(), Rows: [][]any{row(t.inv, nil, &a)}}
			})
		case t.identity && t.side == nil:
			top := p.top(t.inv, need)
			finish = append(finish, func() { out[i] = top.result(t.inv) })
		default:
			sum := p.sum(t, need)
			finish = append(finish, func() {
				out[i] = sum.result(t.side)
			})
		}
	}
	p.run()
	for _, f := range finish {
		f()
	}
}
