package investigations

import (
	"errors"
	"slices"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Set evaluates several investigations over the same records, as a
// summary or a report does, sharing the counting between tables whose
// groups roll up into another's: where the tables of top sources, top
// destinations and top source → destination pairs are asked for
// together, each record is counted once, in a table of (srcaddr,
// dstaddr) groups, and the source and destination tables are its groups
// summed at Result time. Records whose groups outgrow the caches cost a
// cache miss per table per record; a roll-up saves all but one of them.
//
// A table rolls up into a wider one when, after binding its parameters,
// its condition is the wider's but for Present conditions on its own key
// fields, and the wider's keys include its keys. The wide table counts
// every record of the common condition, absent keys included (as a key
// value, like any other); each table's Result then leaves out the groups
// whose key fields its Present conditions ask for and are absent, and
// sums the rest by its own keys. The answer is exactly the one of the
// table's own [Evaluator]: the same groups, the same sums, the same
// order and ties (the tests compare them). Only tables counted in a hash
// table roll up: those of small-domain keys count in an array, which
// costs no cache miss. A table of totals (no keys: the report's totals
// of a top-N table's groups) rolls up too, into a wider table keyed by
// the fields its Present conditions name: the sum of its groups.
//
// A Set made by NewPartialSet serves inputs of several formats: Begin
// says which tables an input's format answers, and Add counts its
// records in those only.
//
// A Set is not safe for concurrent use; use one per goroutine and Merge
// them.
type Set struct {
	evals  []*Evaluator // the tables' own evaluators and the roll-ups' wide ones
	needs  []uint64     // per evaluator: the fields it needs, as a mask of flowlog.Field bits
	active []*Evaluator // what Add feeds: the evaluators the current input has the fields of
	// route holds, for each record's action and log-status codes (both
	// below 4: action<<2 | status; 0 when absent), the active evaluators
	// that may count it: those whose set condition and Present conditions
	// on either field it meets, or that have none on them. A report's
	// tables of rejected, NODATA or SKIPDATA records are then not even
	// looked at for the other records.
	route  [16][]*Evaluator
	tables []setTable
}

// setTable is how a Set answers one of its investigations.
type setTable struct {
	inv  Investigation // bound
	eval int           // the evaluator that counts its records
	// For a table rolled up into evals[eval]: for each key of inv, the
	// wide key's part; the wide parts that must be present; and whether
	// the table has the wide keys, in their order.
	rolled   bool
	proj     []int
	present  []int
	identity bool
	// side counts the table's records of inputs that have its fields but
	// not every field of its roll-up (see Begin); nil until one has.
	side  *Evaluator
	needs uint64 // the fields it needs (a mask)
}

// NewSet returns a Set of the investigations invs over records in format
// f, with args[i] the parameter values of invs[i] (args may be nil when
// none has parameters). It fails, with every table's error joined, as
// [Investigation.NewEvaluator] fails for any of them.
func NewSet(f flowlog.Format, invs []Investigation, args [][]string) (*Set, error) {
	bound, err := bindAll("NewSet", invs, args, func(inv Investigation) (Investigation, error) { return inv.check(f) })
	if err != nil {
		return nil, err
	}
	s := planSet(bound)
	s.active = s.evals
	s.routeActive()
	return s, nil
}

// NewPartialSet returns a Set of the investigations invs for inputs of
// several formats, some of which may lack the fields of some tables:
// call Begin with each input's format before adding its records. It
// fails, with every table's error joined, as [Investigation.Validate]
// and [Investigation.Bind] fail for any of them. A table that format f
// (the first input's) answers is fitted to it, as [Investigation.ForFormat]
// does: sums of fields f lacks are left out.
func NewPartialSet(f flowlog.Format, invs []Investigation, args [][]string) (*Set, error) {
	bound, err := bindAll("NewPartialSet", invs, args, func(inv Investigation) (Investigation, error) {
		if err := inv.Validate(); err != nil {
			return inv, err
		}
		if len(inv.Missing(f)) == 0 {
			inv = inv.ForFormat(f)
		}
		return inv, nil
	})
	if err != nil {
		return nil, err
	}
	return planSet(bound), nil
}

// bindAll prepares each investigation (prepare checks and fits it) and
// binds it to its argument list, args[i] for invs[i] (args may be nil).
// It fails, with every table's error joined, if any fails; fn names the
// caller in the message for a wrong number of argument lists.
func bindAll(fn string, invs []Investigation, args [][]string, prepare func(Investigation) (Investigation, error)) ([]Investigation, error) {
	if len(args) != 0 && len(args) != len(invs) {
		return nil, errors.New("investigations: " + fn + ": one argument list per investigation")
	}
	bound := make([]Investigation, len(invs))
	var errs []error
	for i, inv := range invs {
		inv, err := prepare(inv)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var a []string
		if len(args) != 0 {
			a = args[i]
		}
		if bound[i], err = inv.Bind(a...); err != nil {
			errs = append(errs, err)
		}
	}
	return bound, errors.Join(errs...)
}

// Begin prepares s for the records of an input in format f: Add counts
// them in the tables whose fields f has, and in no other. It returns, per
// table, the fields f lacks (nil for the tables it answers). A table
// counted by a roll-up whose other tables need a field f lacks counts
// the input's records on its own (and merges them in at Result time).
func (s *Set) Begin(f flowlog.Format) [][]flowlog.Field {
	var have uint64
	for i := range f.Len() {
		have |= 1 << f.Field(i)
	}
	s.active = s.active[:0:0]
	for i, e := range s.evals {
		if s.needs[i]&^have == 0 {
			s.active = append(s.active, e)
		}
	}
	lacking := make([][]flowlog.Field, len(s.tables))
	for i := range s.tables {
		t := &s.tables[i]
		if t.needs&^have != 0 {
			lacking[i] = missing(maskFields(t.needs), f)
			continue
		}
		if t.rolled && s.needs[t.eval]&^have != 0 {
			if t.side == nil {
				t.side = newEvaluator(t.inv)
			}
			s.active = append(s.active, t.side)
		}
	}
	s.routeActive()
	return lacking
}

// routeActive fills s.route from s.active.
func (s *Set) routeActive() {
	n := len(s.active)
	all := make([]*Evaluator, 0, len(s.route)*n) // one array for every route
	for code := range s.route {
		action, status := uint64(code>>2), uint64(code&3)
		s.route[code] = all[code*n : code*n : (code+1)*n]
		for _, e := range s.active {
			if !e.byCode ||
				e.inField == flowlog.Action && e.inSet>>action&1 == 0 ||
				e.inField == flowlog.LogStatus && e.inSet>>status&1 == 0 ||
				action == 0 && slices.Contains(e.present, flowlog.Action) ||
				status == 0 && slices.Contains(e.present, flowlog.LogStatus) {
				continue
			}
			s.route[code] = append(s.route[code], e)
		}
		for _, e := range s.active { // the others check their filters themselves
			if !e.byCode {
				s.route[code] = append(s.route[code], e)
			}
		}
	}
}

// rollCandidate is a table that may roll up: its Present conditions on
// key fields apart, and the rest of its condition.
type rollCandidate struct {
	i       int
	present []flowlog.Field
	rest    Cond
}

// rollGroup is tables counted by one wide table: the first is the widest.
type rollGroup struct{ members []rollCandidate }

func planSet(invs []Investigation) *Set {
	s := &Set{tables: make([]setTable, len(invs))}
	// Widest first, so that each table finds the widest it rolls up into.
	order := make([]int, len(invs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(invs[b].GroupBy) - len(invs[a].GroupBy) })
	var groups []*rollGroup
	for _, i := range order {
		c, ok := candidate(i, invs[i])
		if !ok {
			continue
		}
		var into *rollGroup
		for _, g := range groups {
			w := g.members[0]
			if condEqual(w.rest, c.rest) && keysWithin(invs[i].GroupBy, invs[w.i].GroupBy) &&
				fieldsWithin(c.present, invs[w.i].GroupBy) {
				into = g
				break
			}
		}
		if into == nil && len(invs[i].GroupBy) == 0 {
			continue // totals roll up into a table of groups, or count alone
		}
		if into == nil {
			into = &rollGroup{}
			groups = append(groups, into)
		}
		into.members = append(into.members, c)
	}
	rolled := make([]bool, len(invs))
	for _, g := range groups {
		if len(g.members) < 2 {
			continue // alone: its own evaluator counts it as before
		}
		w := invs[g.members[0].i]
		wide := newEvaluator(Investigation{
			Name:     "roll-up of " + w.Name,
			Where:    g.members[0].rest,
			GroupBy:  w.GroupBy,
			Measures: []Measure{Records, Packets, Bytes},
		})
		s.evals = append(s.evals, wide)
		for _, c := range g.members {
			s.tables[c.i] = rollUp(invs[c.i], c.present, wide, len(s.evals)-1)
			rolled[c.i] = true
		}
	}
	for i, inv := range invs {
		if !rolled[i] {
			s.evals = append(s.evals, newEvaluator(inv))
			s.tables[i] = setTable{inv: inv, eval: len(s.evals) - 1}
		}
	}
	// An evaluator needs what its tables need: a roll-up must not count
	// an input lacking a field of one of its tables.
	s.needs = make([]uint64, len(s.evals))
	for i := range s.tables {
		t := &s.tables[i]
		t.needs = fieldMask(invs[i].Needs())
		s.needs[t.eval] |= t.needs
	}
	return s
}

// candidate splits inv's condition into Present conditions on its key
// fields and the rest, if inv's groups count in a hash table. A table of
// totals (no keys, as the report's totals of a top-N table's groups) is
// a candidate too, its Present conditions on any field split off: it
// rolls up into a table keyed by those fields, as the sum of its groups
// that have them.
func candidate(i int, inv Investigation) (rollCandidate, bool) {
	if len(inv.GroupBy) > 0 {
		parts, w := layout(inv.GroupBy)
		if denseSize(parts) > 0 || newHourWindow(parts, w) != nil {
			return rollCandidate{}, false
		}
	}
	conj := []Cond{inv.Where}
	if inv.Where.op == opAnd {
		conj = inv.Where.kids
	}
	c := rollCandidate{i: i}
	var rest []Cond
	for _, k := range conj {
		if k.op == opPresent && (len(inv.GroupBy) == 0 || slices.ContainsFunc(inv.GroupBy, func(key Key) bool { return key.Field == k.field })) {
			c.present = append(c.present, k.field)
			continue
		}
		rest = append(rest, k)
	}
	c.rest = And(rest...)
	return c, true
}

// keysWithin reports whether every key of a is one of b's.
func keysWithin(a, b []Key) bool {
	for _, k := range a {
		if !slices.Contains(b, k) {
			return false
		}
	}
	return true
}

// fieldsWithin reports whether every field of fs is a field of one of
// keys: a key's tag says whether its field is present.
func fieldsWithin(fs []flowlog.Field, keys []Key) bool {
	for _, f := range fs {
		if !slices.ContainsFunc(keys, func(k Key) bool { return k.Field == f }) {
			return false
		}
	}
	return true
}

// fieldMask returns the fields as a mask of their bits.
func fieldMask(fs []flowlog.Field) uint64 {
	var m uint64
	for _, f := range fs {
		m |= 1 << f
	}
	return m
}

// rollUp returns how inv, whose Present conditions on key fields are
// present, is answered from the wide evaluator evals[eval].
func rollUp(inv Investigation, present []flowlog.Field, wide *Evaluator, eval int) setTable {
	t := setTable{inv: inv, eval: eval, rolled: true, identity: slices.Equal(inv.GroupBy, wide.keys)}
	for _, k := range inv.GroupBy {
		t.proj = append(t.proj, slices.Index(wide.keys, k))
	}
	for j, p := range wide.parts {
		if slices.Contains(present, p.field) {
			t.present = append(t.present, j)
		}
	}
	return t
}

// Add counts r in every table whose condition it matches.
//
// It does what [Evaluator.Add] does, but in one function for every
// table: a record is counted in several tables (the report's: five), and
// the calls, with their prologues and spills and the filters checked
// twice, were over a quarter of the counting's instructions over a
// report's 1M records. The tables of rejected, NODATA or SKIPDATA records
// are left out by the route (see routeActive).
func (s *Set) Add(r *flowlog.Record) {
	// Both codes are below 4 (flowlog's Verdict and Status;
	// TestRouteCodesFit).
	for _, e := range s.route[uint(r.Action())&3<<2|uint(r.LogStatus())&3] {
		if !e.byCode {
			e.Add(r)
			continue
		}
		// Its conditions on action or log-status, if any, hold: the route.
		if !hasAll(r, e.presentRest) {
			continue
		}
		switch {
		case e.pk != nil:
			if k, ok := e.pk.packRecord(r); ok {
				if !e.pk.enqueue(k, r) {
					e.pk.add(k, r)
				}
				continue
			}
		case e.hours != nil: // bytes-per-hour: every record
			if a := e.hours.recent(r); a != nil {
				a.add(r)
				continue
			}
			if a := e.hours.slot(e.parts, r); a != nil {
				a.add(r)
				continue
			}
		}
		e.countUnpacked(r)
	}
}

// Merge adds o's groups into s. o must be a Set of the same
// investigations (it panics otherwise); o is not changed.
func (s *Set) Merge(o *Set) {
	if len(o.evals) != len(s.evals) || len(o.tables) != len(s.tables) {
		panic("investigations: Merge of sets of different investigations")
	}
	for i, e := range s.evals {
		e.Merge(o.evals[i])
	}
	for i := range s.tables {
		t, side := &s.tables[i], o.tables[i].side
		if side == nil {
			continue
		}
		if t.side == nil {
			t.side = newEvaluator(t.inv)
		}
		t.side.Merge(side)
	}
}

// Len returns the number of investigations.
func (s *Set) Len() int { return len(s.tables) }

// Result returns the answer of the i-th investigation so far, as its own
// [Evaluator.Result] would.
func (s *Set) Result(i int) Result {
	out := make([]Result, len(s.tables))
	s.answer(s.tables[i].eval, []int{i}, out, nil)
	return out[i]
}

// Results returns the answers of every investigation so far, as Result
// does, going over each evaluator's groups once for all the tables it
// counts (the pair table's for top pairs, sources, destinations and
// their totals).
func (s *Set) Results() []Result {
	byEval := make([][]int, len(s.evals))
	for i := range s.tables {
		j := s.tables[i].eval
		byEval[j] = append(byEval[j], i)
	}
	out := make([]Result, len(s.tables))
	buf := newPassBuffers()
	for j, tables := range byEval {
		if len(tables) > 0 {
			s.answer(j, tables, out, buf)
		}
	}
	return out
}

// condEqual reports whether a and b are the same condition.
func condEqual(a, b Cond) bool {
	if a.op != b.op || a.field != b.field || a.cmp != b.cmp || a.prefix != b.prefix || a.param != b.param ||
		(a.err == nil) != (b.err == nil) ||
		!slices.Equal(a.nums, b.nums) || !slices.Equal(a.strs, b.strs) || !slices.Equal(a.addrs, b.addrs) ||
		len(a.kids) != len(b.kids) {
		return false
	}
	for i := range a.kids {
		if !condEqual(a.kids[i], b.kids[i]) {
			return false
		}
	}
	return true
}
