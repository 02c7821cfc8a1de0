package investigations

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Evaluator runs one investigation over records in Go: the native engine
// the CLI uses and every other engine is tested against. Feed it with
// Add, combine partial evaluators (one per file or core) with Merge, and
// read the answer with Result. Results are exact: every group is kept
// (memory grows with the number of distinct groups, not of records).
//
// Add does not allocate for a record of an existing group or one the
// filter drops; a new group costs its key and values. An Evaluator is
// not safe for concurrent use; use one per goroutine and Merge them.
type Evaluator struct {
	inv    Investigation
	where  Cond
	filter bool
	keys   []Key
	buf    []byte
	index  map[string]int32
	groups []group
	total  agg // the single group when there are no keys
}

type agg struct{ records, packets, bytes int64 }

type group struct {
	key  string
	vals []any
	agg
}

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
	if err := inv.check(f); err != nil {
		return nil, err
	}
	bound, err := inv.Bind(args...)
	if err != nil {
		return nil, err
	}
	return &Evaluator{
		inv:    bound,
		where:  bound.Where,
		filter: !bound.Where.IsZero(),
		keys:   bound.GroupBy,
		index:  map[string]int32{},
	}, nil
}

// Investigation returns the (bound) investigation e evaluates.
func (e *Evaluator) Investigation() Investigation { return e.inv }

// Add counts r if it matches the investigation's filter.
func (e *Evaluator) Add(r *flowlog.Record) {
	if e.filter && e.where.eval(r) != tTrue {
		return
	}
	if len(e.keys) == 0 {
		e.total.add(r)
		return
	}
	buf := e.buf[:0]
	for _, k := range e.keys {
		buf = appendKey(buf, k, r)
	}
	e.buf = buf
	i, ok := e.index[string(buf)]
	if !ok {
		key := string(buf)
		i = int32(len(e.groups))
		e.index[key] = i
		e.groups = append(e.groups, group{key: key, vals: keyValues(e.keys, r)})
	}
	e.groups[i].add(r)
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
	for j := range o.groups {
		g := &o.groups[j]
		i, ok := e.index[g.key]
		if !ok {
			i = int32(len(e.groups))
			e.index[g.key] = i
			e.groups = append(e.groups, group{key: g.key, vals: g.vals})
		}
		e.groups[i].merge(&g.agg)
	}
}

// Groups returns the number of groups so far.
func (e *Evaluator) Groups() int { return len(e.groups) }

// Result returns the answer so far: ordered and limited rows. e can go
// on adding records afterwards.
func (e *Evaluator) Result() Result {
	inv := e.inv
	res := Result{Columns: inv.Columns()}
	if len(e.keys) == 0 {
		res.Rows = [][]any{e.row(nil, &e.total)}
		return res
	}
	order := make([]*group, len(e.groups))
	for i := range e.groups {
		order[i] = &e.groups[i]
	}
	slices.SortFunc(order, func(a, b *group) int {
		if inv.OrderBy != 0 {
			if c := cmp.Compare(b.get(inv.OrderBy), a.get(inv.OrderBy)); c != 0 {
				return c
			}
		}
		for i := range a.vals {
			if c := compareValues(a.vals[i], b.vals[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	if inv.Limit > 0 && len(order) > inv.Limit {
		order = order[:inv.Limit]
	}
	res.Rows = make([][]any, len(order))
	for i, g := range order {
		res.Rows[i] = e.row(g.vals, &g.agg)
	}
	return res
}

func (e *Evaluator) row(vals []any, a *agg) []any {
	row := make([]any, 0, len(vals)+len(e.inv.Measures))
	row = append(row, vals...)
	for _, m := range e.inv.Measures {
		row = append(row, a.get(m))
	}
	return row
}

// compareValues orders result values ascending with nil last: numbers
// numerically, strings bytewise (as SQL's default collation), times in
// time order.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// appendKey appends the binary encoding of r's value for k to buf: a
// presence byte, then a fixed-width number or address, or a
// length-prefixed string. Distinct values give distinct encodings.
func appendKey(buf []byte, k Key, r *flowlog.Record) []byte {
	f := k.Field
	if !r.Has(f) {
		return append(buf, 0)
	}
	switch k.Kind {
	case ByHour:
		t := int64(numOf(r, f))
		return binary.LittleEndian.AppendUint64(append(buf, 1), uint64(t-t%3600))
	case ByFamily:
		if addrOf(r, f).Is4() {
			return append(buf, 4)
		}
		return append(buf, 6)
	}
	switch f.Kind() {
	case flowlog.KindAddr:
		// 4 or 16 bytes after the family: short keys hash faster.
		a := addrOf(r, f)
		if a.Is4() {
			b4 := a.As4()
			return append(buf, 4, b4[0], b4[1], b4[2], b4[3])
		}
		b16 := a.As16()
		return append(append(buf, 6), b16[:]...)
	case flowlog.KindString:
		s := r.Str(f)
		buf = binary.LittleEndian.AppendUint32(append(buf, 1), uint32(len(s)))
		return append(buf, s...)
	}
	return binary.LittleEndian.AppendUint64(append(buf, 1), numOf(r, f))
}

// keyValues returns r's values of the keys as result values; strings are
// copied, as r may alias a reader's buffer.
func keyValues(keys []Key, r *flowlog.Record) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		f := k.Field
		if !r.Has(f) {
			continue
		}
		switch k.Kind {
		case ByHour:
			t := int64(numOf(r, f))
			vals[i] = time.Unix(t-t%3600, 0).UTC()
			continue
		case ByFamily:
			if addrOf(r, f).Is4() {
				vals[i] = "IPv4"
			} else {
				vals[i] = "IPv6"
			}
			continue
		}
		switch f.Kind() {
		case flowlog.KindAddr:
			vals[i] = addrOf(r, f).String()
		case flowlog.KindString:
			vals[i] = strings.Clone(r.Str(f))
		case flowlog.KindEnum:
			vals[i] = r.Get(f).Str()
		default:
			vals[i] = int64(numOf(r, f))
		}
	}
	return vals
}
