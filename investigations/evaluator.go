package investigations

import (
	"slices"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Evaluator runs one investigation over records in Go: the native engine
// the CLI uses and every other engine is tested against. Feed it with
// Add, combine partial evaluators (one per file or core) with Merge, and
// read the answer with Result. Results are exact: every group is kept
// (memory grows with the number of distinct groups, not of records).
//
// Groups are keyed by fixed-size words, not strings (see keys.go), in
// one open-addressing table (and, when a key fits in one word, as an
// IPv4 pair or a port and protocol does, in a packed one: packed.go;
// pairs of IPv6 or absent addresses in one of numbered addresses:
// pairs6.go),
// or, when every key has a small domain (enums, protocol, address
// family), in an array indexed by the key. Add
// does not allocate: not for a record of an existing group, nor one the
// filter drops, nor a new group, beyond the table's growth and one copy
// of each distinct string value. An Evaluator is not safe for
// concurrent use; use one per goroutine and Merge them.
type Evaluator struct {
	inv    Investigation
	where  Cond
	filter bool
	// simple, when the filter only asks for fields to be present (as
	// summarize's top-N tables do) and for at most one enum or small
	// number field to have one of a few values (action REJECT,
	// log-status NODATA or SKIPDATA): checked inline, not interpreted.
	simple  bool
	byCode  bool // simple, with no set condition or one on action or log-status (see Set.routeActive)
	present []flowlog.Field
	// presentRest is present but for action and log-status, whose
	// presence Set.routeActive checks (a code of 0 is absent).
	presentRest []flowlog.Field
	inField     flowlog.Field // with a value in the set inSet (bit v for value v); 0: none
	inSet       uint64
	keys        []Key
	parts       []part      // how each key is encoded
	k           []uint64    // the key of the record being added
	tab         *groupTable // groups in a hash table (and those whose key packs in a word in pk, if not nil), or
	pk          *packedTable
	p6          *pairTable6 // with pk, for a pair of addresses: the pairs of which neither is IPv4
	dense       []agg       // groups of small-domain keys, counted in an array by their index, or
	hours       *hourWindow // groups of an hour and small-domain keys, in an array by hour
	total       agg         // the single group when there are no keys
}

type agg struct{ records, packets, bytes int64 }

// Result is an investigation's answer.
//
// Columns are the keys' columns ([Key.Column]: the registry's column names,
// e.g. "srcaddr", "dstport", or "hour") followed by the measures'
// ("records", "packets", "bytes"). Rows are ordered and limited as the
// investigation says. Values are: int64 for numeric fields (ports,
// protocol, tcp-flags, traffic-path, start, end ...) and for the
// measures; string for addresses (as netip.Addr.String spells them), enum
// fields ("REJECT", "NODATA", "egress") and string fields; time.Time
// (UTC) for an hour; "IPv4"/"IPv6" for a family; nil for an absent value.
type Result struct {
	Columns []string
	Rows    [][]any
}

// NewEvaluator returns an evaluator of inv over records in format f,
// with the values of inv's parameters in the order of Params. It fails
// if f lacks a field inv needs (*MissingError), a parameter value is
// missing or bad, or the definition is invalid.
func (inv Investigation) NewEvaluator(f flowlog.Format, args ...string) (*Evaluator, error) {
	inv, err := inv.check(f)
	if err != nil {
		return nil, err
	}
	bound, err := inv.Bind(args...)
	if err != nil {
		return nil, err
	}
	return newEvaluator(bound), nil
}

// newEvaluator returns an evaluator of the bound, checked investigation.
func newEvaluator(bound Investigation) *Evaluator {
	e := &Evaluator{
		inv:    bound,
		where:  bound.Where,
		filter: !bound.Where.IsZero(),
		keys:   bound.GroupBy,
	}
	e.simple, e.present, e.inField, e.inSet = simpleFilter(e.where)
	if e.inField == flowlog.Action || e.inField == flowlog.LogStatus {
		// Code 0 is "absent", which is in no set (inSetOf and
		// Set.routeActive read no presence bit for these).
		e.inSet &^= 1
	}
	e.byCode = e.simple && (e.inField == 0 || e.inField == flowlog.Action || e.inField == flowlog.LogStatus)
	for _, f := range e.present {
		if f != flowlog.Action && f != flowlog.LogStatus {
			e.presentRest = append(e.presentRest, f)
		}
	}
	if len(e.keys) > 0 {
		var w int
		e.parts, w = layout(e.keys)
		e.k = make([]uint64, w)
		if n := denseSize(e.parts); n > 0 {
			e.dense = make([]agg, n)
		} else if e.hours = newHourWindow(e.parts, w); e.hours == nil {
			e.tab = newGroupTable(w)
			e.pk = newPackedTable(e.parts)
			if e.pk != nil && e.pk.shape == shapeAddr2 {
				e.p6 = newPairTable6(e.parts)
			}
		}
	}
	return e
}

// simpleFilter returns c as Present conditions and at most one set of
// values below 64 of an enum or uint8 field (an AND of them, or one),
// and whether c has that form. The zero Cond has it: no conditions.
func simpleFilter(c Cond) (ok bool, present []flowlog.Field, in flowlog.Field, set uint64) {
	conj := []Cond{c}
	if c.op == opAnd {
		conj = c.kids
	}
	for _, k := range conj {
		if k.err != nil || k.param.Name != "" {
			return false, nil, 0, 0
		}
		switch {
		case k.op == opTrue:
		case k.op == opPresent:
			present = append(present, k.field)
		case k.op == opIn && in == 0 && (k.kind == flowlog.KindEnum || k.kind == flowlog.KindUint8):
			in = k.field
			for _, v := range k.nums {
				if v >= 64 {
					return false, nil, 0, 0
				}
				set |= 1 << v
			}
		default:
			return false, nil, 0, 0
		}
	}
	return true, present, in, set
}

// Investigation returns the (bound) investigation e evaluates.
func (e *Evaluator) Investigation() Investigation { return e.inv }

// Add counts r if it matches the investigation's filter.
func (e *Evaluator) Add(r *flowlog.Record) {
	switch {
	case e.simple:
		if !e.inSetOf(r) || !hasAll(r, e.present) {
			return
		}
	case e.filter && e.where.eval(r) != tTrue:
		return
	}
	if e.pk != nil {
		if k, ok := e.pk.packRecord(r); ok {
			e.pk.add(k, r)
			return
		}
	}
	e.countUnpacked(r)
}

// inSetOf reports whether r matches the simple filter's set condition
// (true when there is none). An absent field is in no set (the
// condition is unknown).
func (e *Evaluator) inSetOf(r *flowlog.Record) bool {
	var v uint64
	switch e.inField {
	case 0:
		return true
	case flowlog.Action: // 0 when absent, and 0 is not in the set (newEvaluator)
		v = uint64(r.Action())
	case flowlog.LogStatus: // likewise
		v = uint64(r.LogStatus())
	default:
		if !r.Has(e.inField) {
			return false
		}
		v = numOf(r, e.inField)
	}
	return v < 64 && e.inSet>>v&1 != 0
}

// hasAll reports whether r has every field of fs.
func hasAll(r *flowlog.Record, fs []flowlog.Field) bool {
	for _, f := range fs {
		if !r.Has(f) {
			return false
		}
	}
	return true
}

// countUnpacked counts r, which matches the filter and whose key does
// not pack in a word (or there is no packed table).
func (e *Evaluator) countUnpacked(r *flowlog.Record) {
	if e.p6 != nil {
		if v, ok := e.p6.packRecord(r); ok {
			e.p6.add(v, r)
			return
		}
	}
	switch {
	case e.tab != nil:
		makeKey(e.k, e.parts, r)
		e.tab.add(e.k, r)
	case e.dense != nil:
		e.dense[denseIndex(e.parts, -1, r)].add(r)
	case e.hours != nil:
		if a := e.hours.slot(e.parts, r); a != nil {
			a.add(r)
			return
		}
		e.toTable() // hours too far apart for an array
		makeKey(e.k, e.parts, r)
		e.tab.add(e.k, r)
	default:
		e.total.add(r)
	}
}

// toTable moves the groups counted in an array into a hash table.
func (e *Evaluator) toTable() {
	tab := newGroupTable(len(e.k))
	e.each(func(k []uint64, a agg) { tab.merge(k, a) })
	e.tab, e.dense, e.hours = tab, nil, nil
}

// each calls fn with every group's key (valid during the call only) and
// counts, in place: no copy of the groups.
func (e *Evaluator) each(fn func(k []uint64, a agg)) {
	switch {
	case e.tab != nil:
		if e.pk != nil {
			k := make([]uint64, len(e.k))
			e.pk.each(func(v uint64, a agg) {
				e.pk.unpack(v, k)
				fn(k, a)
			})
		}
		if e.p6 != nil {
			e.p6.each(make([]uint64, len(e.k)), fn)
		}
		e.tab.forEach(fn)
	case e.hours != nil:
		e.hours.each(e.parts, fn)
	default:
		k := make([]uint64, len(e.k))
		for i := range e.dense {
			if a := e.dense[i]; a.records > 0 {
				denseKey(k, e.parts, -1, i)
				fn(k, a)
			}
		}
	}
}

func (a *agg) add(r *flowlog.Record) {
	a.records++
	a.packets += int64(r.Packets())
	a.bytes += int64(r.Bytes())
}

func (a *agg) merge(b *agg) {
	a.records += b.records
	a.packets += b.packets
	a.bytes += b.bytes
}

func (a *agg) get(m Measure) int64 {
	switch m {
	case Packets:
		return a.packets
	case Bytes:
		return a.bytes
	}
	return a.records
}

// Merge adds o's groups into e. o must evaluate the same investigation
// (it panics otherwise); o is not changed.
func (e *Evaluator) Merge(o *Evaluator) {
	if o.inv.Name != e.inv.Name || !slices.Equal(o.keys, e.keys) {
		panic("investigations: Merge of evaluators of different investigations")
	}
	e.total.merge(&o.total)
	if len(e.keys) == 0 {
		return
	}
	if e.dense != nil && o.dense != nil {
		for i := range o.dense {
			e.dense[i].merge(&o.dense[i])
		}
		return
	}
	if e.tab == nil {
		e.toTable()
	}
	k := e.k
	o.each(func(ok []uint64, a agg) {
		copy(k, ok)
		for i := range e.parts { // string ids are each evaluator's own
			p, q := &e.parts[i], &o.parts[i]
			if p.kind == partStr && p.tag(k) != 0 {
				k[p.word] = uint64(p.strs.idOwned(q.strs.strs[k[p.word]]))
			}
		}
		e.mergeGroup(k, a)
	})
}

// mergeGroup adds the counts a to the group with key k.
func (e *Evaluator) mergeGroup(k []uint64, a agg) {
	if e.pk != nil {
		if v, ok := e.pk.pack(k); ok {
			e.pk.merge(v, a)
			return
		}
	}
	if e.p6 != nil {
		if v, ok := e.p6.pack(k); ok {
			e.p6.t.merge(v, a)
			return
		}
	}
	e.tab.merge(k, a)
}

// Groups returns the number of groups so far.
func (e *Evaluator) Groups() int {
	if e.tab != nil {
		n := e.tab.count()
		if e.pk != nil {
			n += e.pk.count()
		}
		if e.p6 != nil {
			n += e.p6.t.count()
		}
		return n
	}
	n := 0
	e.each(func([]uint64, agg) { n++ })
	return n
}

// Result returns the answer so far: ordered and limited rows. e can go
// on adding records afterwards.
func (e *Evaluator) Result() Result {
	if len(e.keys) == 0 {
		return Result{Columns: e.inv.Columns(), Rows: [][]any{row(e.inv, nil, &e.total)}}
	}
	p := newGroupPass(e, nil)
	top := p.top(e.inv, 0)
	p.run()
	return top.result(e.inv)
}

// row returns a result row of inv: the key values, then the measures.
func row(inv Investigation, vals []any, a *agg) []any {
	out := make([]any, 0, len(vals)+len(inv.Measures))
	out = append(out, vals...)
	for _, m := range inv.Measures {
		out = append(out, a.get(m))
	}
	return out
}
