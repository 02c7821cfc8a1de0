package investigations

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Cond is a filter over flow-log records: a small tree of conditions on
// field values, built with the constructors below ([Equal], [OneOf],
// [Compare], [Between], [InPrefix], [TimeRange], [Present], [Param], [And],
// [Or], [Not]). The zero Cond matches every record.
//
// A Cond is a value; its constructors never fail, but a Cond built from a
// bad value (e.g. Equal(flowlog.Action, "DENY")) carries an error that
// [Cond.Err] reports and every renderer and evaluator returns.
//
// Conditions follow SQL's three-valued logic so that the native
// evaluator and the generated SQL agree: a comparison with an absent
// field ("-", NULL) is unknown, Not(unknown) is unknown, and a record
// matches only when the whole condition is true.
type Cond struct {
	op     condOp
	field  flowlog.Field
	kind   flowlog.Kind // field.Kind(), looked up once
	cmp    CmpOp
	nums   []uint64 // numbers, or the codes of enum values
	strs   []string // text of string and enum values
	addrs  []netip.Addr
	prefix netip.Prefix
	param  Param
	kids   []Cond
	err    error
}

type condOp uint8

const (
	opTrue    condOp = iota // matches every record
	opIn                    // the field's value is one of a set
	opCmp                   // numeric comparison
	opPrefix                // the address is in a prefix
	opPresent               // the field is not "-"
	opParam                 // equality with a parameter bound later
	opAnd
	opOr
	opNot
)

// CmpOp is a numeric comparison operator for [Compare].
type CmpOp uint8

// Comparison operators.
const (
	Eq CmpOp = iota + 1 // =
	Ne                  // <>
	Lt                  // <
	Le                  // <=
	Gt                  // >
	Ge                  // >=
)

var cmpSQL = [...]string{"", "=", "<>", "<", "<=", ">", ">="}

// String returns the SQL spelling of the operator, e.g. ">=".
func (o CmpOp) String() string {
	if int(o) < len(cmpSQL) {
		return cmpSQL[o]
	}
	return "?"
}

func (o CmpOp) eval(a, b uint64) bool {
	switch o {
	case Eq:
		return a == b
	case Ne:
		return a != b
	case Lt:
		return a < b
	case Le:
		return a <= b
	case Gt:
		return a > b
	case Ge:
		return a >= b
	}
	return false
}

func numeric(f flowlog.Field) bool {
	switch f.Kind() {
	case flowlog.KindUint8, flowlog.KindUint16, flowlog.KindUint64, flowlog.KindTime:
		return true
	}
	return false
}

func badCond(format string, args ...any) Cond {
	return Cond{op: opTrue, err: fmt.Errorf("investigations: "+format, args...)}
}

// Equal matches records whose field f has the value text, written as in a
// flow-log line: "REJECT", "22", "10.0.0.1", "eni-0123...". Addresses
// compare as addresses (any spelling of an IPv6 address matches). Equal(f,
// "-") matches records where f is absent.
func Equal(f flowlog.Field, text string) Cond { return OneOf(f, text) }

// OneOf matches records whose field f has one of the values (see [Equal]).
func OneOf(f flowlog.Field, values ...string) Cond {
	if !f.Valid() {
		return badCond("invalid field %v", f)
	}
	if len(values) == 0 {
		return badCond("OneOf(%s) with no values", f.Name())
	}
	if len(values) == 1 && values[0] == "-" {
		return Not(Present(f))
	}
	c := Cond{op: opIn, field: f, kind: f.Kind()}
	for _, v := range values {
		var r flowlog.Record
		if err := r.SetText(f, v); err != nil {
			return badCond("bad value %q for %s: %w", v, f.Name(), err)
		}
		if !r.Has(f) {
			return badCond("%s: \"-\" can only be given alone", f.Name())
		}
		val := r.Get(f)
		switch f.Kind() {
		case flowlog.KindAddr:
			// ::ffff:a.b.c.d is a.b.c.d, as in Trino's IPADDRESS.
			c.addrs = append(c.addrs, val.Addr().Unmap())
		case flowlog.KindString:
			c.strs = append(c.strs, strings.Clone(val.Str()))
		case flowlog.KindEnum:
			c.nums = append(c.nums, val.Uint())
			c.strs = append(c.strs, val.Str())
		default:
			c.nums = append(c.nums, val.Uint())
		}
	}
	return c
}

// Compare matches records whose numeric field f (a port, protocol,
// counter, time, tcp-flags, traffic-path ...) compares to n with op.
func Compare(f flowlog.Field, op CmpOp, n uint64) Cond {
	if !numeric(f) {
		return badCond("Compare: %s is not a numeric field", f.Name())
	}
	if op < Eq || op > Ge {
		return badCond("Compare: invalid operator %d", op)
	}
	return Cond{op: opCmp, field: f, cmp: op, nums: []uint64{n}}
}

// Between matches records whose numeric field f is in [lo, hi], e.g. a
// port range.
func Between(f flowlog.Field, lo, hi uint64) Cond {
	return And(Compare(f, Ge, lo), Compare(f, Le, hi))
}

// InPrefix matches records whose address field f (srcaddr, dstaddr,
// pkt-srcaddr, pkt-dstaddr) is in the IPv4 or IPv6 prefix p.
func InPrefix(f flowlog.Field, p netip.Prefix) Cond {
	if f.Kind() != flowlog.KindAddr {
		return badCond("InPrefix: %s is not an address field", f.Name())
	}
	if !p.IsValid() {
		return badCond("InPrefix(%s): invalid prefix", f.Name())
	}
	return Cond{op: opPrefix, field: f, prefix: p.Masked()}
}

// TimeRange matches records whose time field f (start or end) is at or
// after since and before until. A zero since or until leaves that side
// open.
func TimeRange(f flowlog.Field, since, until time.Time) Cond {
	if f.Kind() != flowlog.KindTime {
		return badCond("TimeRange: %s is not a time field", f.Name())
	}
	var cs []Cond
	if !since.IsZero() {
		cs = append(cs, Compare(f, Ge, uint64(max(since.Unix(), 0))))
	}
	if !until.IsZero() {
		cs = append(cs, Compare(f, Lt, uint64(max(until.Unix(), 0))))
	}
	return And(cs...)
}

// Present matches records where field f is present (not "-").
func Present(f flowlog.Field) Cond {
	if !f.Valid() {
		return badCond("invalid field %v", f)
	}
	return Cond{op: opPresent, field: f}
}

// Param is a parameter of an investigation: a value of a field the user
// gives when running it, e.g. the address of "traffic from an address".
type Param struct {
	Name        string        // e.g. "srcaddr"
	Field       flowlog.Field // the field compared with the value
	Description string        // for people
}

// ParamEqual matches records whose field f equals the value of the
// parameter p, given when the investigation runs: a '?' placeholder in
// Athena SQL, an argument of [Investigation.NewEvaluator] or
// [Investigation.Bind].
func ParamEqual(p Param) Cond {
	if !p.Field.Valid() || p.Name == "" {
		return badCond("ParamEqual: a parameter needs a name and a field")
	}
	return Cond{op: opParam, field: p.Field, param: p}
}

// And matches records that match every condition. And() matches every
// record.
func And(cs ...Cond) Cond { return junction(opAnd, cs) }

// Or matches records that match at least one condition. Or() matches
// every record, like And(): an empty filter does not filter.
func Or(cs ...Cond) Cond { return junction(opOr, cs) }

func junction(op condOp, cs []Cond) Cond {
	for _, c := range cs {
		if err := c.Err(); err != nil {
			return Cond{err: err}
		}
	}
	var kids []Cond
	for _, c := range cs {
		if c.op == opTrue {
			if op == opOr {
				return Cond{} // true OR x is true
			}
			continue
		}
		if c.op == op {
			kids = append(kids, c.kids...) // flatten
			continue
		}
		kids = append(kids, c)
	}
	switch len(kids) {
	case 0:
		return Cond{}
	case 1:
		return kids[0]
	}
	return Cond{op: op, kids: kids}
}

// Not matches records that c does not match (an unknown result stays
// unknown, as in SQL).
func Not(c Cond) Cond {
	if c.err != nil {
		return c
	}
	if c.op == opTrue {
		return badCond("Not of the empty condition matches nothing")
	}
	if c.op == opNot {
		return c.kids[0]
	}
	return Cond{op: opNot, kids: []Cond{c}}
}

// IsZero reports whether c is the empty condition, which matches every
// record.
func (c Cond) IsZero() bool { return c.op == opTrue && c.err == nil }

// Err returns the error of a Cond built from a bad value, or nil.
func (c Cond) Err() error {
	if c.err != nil {
		return c.err
	}
	for _, k := range c.kids {
		if err := k.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Fields returns the fields c looks at, in registry order.
func (c Cond) Fields() []flowlog.Field {
	var mask uint64
	c.walk(func(d *Cond) {
		if d.field.Valid() {
			mask |= 1 << d.field
		}
	})
	return maskFields(mask)
}

// Params returns the parameters of c in the order they appear.
func (c Cond) Params() []Param {
	var ps []Param
	c.walk(func(d *Cond) {
		if d.op == opParam && !slices.ContainsFunc(ps, func(p Param) bool { return p.Name == d.param.Name }) {
			ps = append(ps, d.param)
		}
	})
	return ps
}

func (c *Cond) walk(fn func(*Cond)) {
	fn(c)
	for i := range c.kids {
		c.kids[i].walk(fn)
	}
}

// bind replaces parameters by equality with their values.
func (c Cond) bind(vals map[string]string) (Cond, error) {
	switch c.op {
	case opParam:
		v, ok := vals[c.param.Name]
		if !ok {
			return Cond{}, fmt.Errorf("%w: %s", ErrUnboundParam, c.param.Name)
		}
		b := Equal(c.field, v)
		return b, b.Err()
	case opAnd, opOr, opNot:
		kids := make([]Cond, len(c.kids))
		for i, k := range c.kids {
			b, err := k.bind(vals)
			if err != nil {
				return Cond{}, err
			}
			kids[i] = b
		}
		d := c
		d.kids = kids
		return d, nil
	}
	return c, nil
}

// Match reports whether r matches c. An unbound parameter matches
// nothing; bind it first with [Investigation.Bind].
func (c Cond) Match(r *flowlog.Record) bool { return c.eval(r) == tTrue }

type tri uint8

const (
	tFalse tri = iota
	tTrue
	tUnknown
)

func truth(b bool) tri {
	if b {
		return tTrue
	}
	return tFalse
}

func (c *Cond) eval(r *flowlog.Record) tri {
	switch c.op {
	case opTrue:
		if c.err != nil {
			return tFalse
		}
		return tTrue
	case opAnd:
		res := tTrue
		for i := range c.kids {
			switch c.kids[i].eval(r) {
			case tFalse:
				return tFalse
			case tUnknown:
				res = tUnknown
			}
		}
		return res
	case opOr:
		res := tFalse
		for i := range c.kids {
			switch c.kids[i].eval(r) {
			case tTrue:
				return tTrue
			case tUnknown:
				res = tUnknown
			}
		}
		return res
	case opNot:
		switch c.kids[0].eval(r) {
		case tTrue:
			return tFalse
		case tFalse:
			return tTrue
		}
		return tUnknown
	case opPresent:
		return truth(r.Has(c.field))
	case opParam:
		return tFalse
	}
	if !r.Has(c.field) {
		return tUnknown
	}
	switch c.op {
	case opIn:
		switch c.kind {
		case flowlog.KindAddr:
			a := addrOf(r, c.field)
			for _, b := range c.addrs {
				if a == b {
					return tTrue
				}
			}
			return tFalse
		case flowlog.KindString:
			s := r.Str(c.field)
			for _, b := range c.strs {
				if s == b {
					return tTrue
				}
			}
			return tFalse
		default:
			n := numOf(r, c.field)
			for _, b := range c.nums {
				if n == b {
					return tTrue
				}
			}
			return tFalse
		}
	case opCmp:
		return truth(c.cmp.eval(numOf(r, c.field), c.nums[0]))
	case opPrefix:
		return truth(c.prefix.Contains(addrOf(r, c.field)))
	}
	return tFalse
}

// numOf returns a numeric or enum field's number without building a
// flowlog.Value for the common fields.
func numOf(r *flowlog.Record, f flowlog.Field) uint64 {
	switch f {
	case flowlog.SrcPort:
		return uint64(r.SrcPort())
	case flowlog.DstPort:
		return uint64(r.DstPort())
	case flowlog.Protocol:
		return uint64(r.Protocol())
	case flowlog.Packets:
		return r.Packets()
	case flowlog.Bytes:
		return r.Bytes()
	case flowlog.Start:
		return uint64(r.StartUnix())
	case flowlog.End:
		return uint64(r.EndUnix())
	case flowlog.Action:
		return uint64(r.Action())
	case flowlog.LogStatus:
		return uint64(r.LogStatus())
	case flowlog.FlowDirection:
		return uint64(r.FlowDirection())
	case flowlog.Type:
		return uint64(r.Type())
	case flowlog.TrafficPath:
		return uint64(r.TrafficPath())
	case flowlog.TCPFlags:
		return uint64(r.TCPFlags())
	case flowlog.EncryptionStatus:
		return uint64(r.EncryptionStatus())
	case flowlog.Version:
		return uint64(r.Version())
	}
	return r.Get(f).Uint()
}

func addrOf(r *flowlog.Record, f flowlog.Field) netip.Addr {
	switch f {
	case flowlog.SrcAddr:
		return r.SrcAddr()
	case flowlog.DstAddr:
		return r.DstAddr()
	case flowlog.PktSrcAddr:
		return r.PktSrcAddr()
	case flowlog.PktDstAddr:
		return r.PktDstAddr()
	}
	return netip.Addr{}
}

// String returns c in a compact SQL-like notation, for people.
func (c Cond) String() string {
	var b strings.Builder
	c.format(&b)
	return b.String()
}

func (c Cond) format(b *strings.Builder) {
	switch c.op {
	case opTrue:
		if c.err != nil {
			b.WriteString("<invalid: " + c.err.Error() + ">")
			return
		}
		b.WriteString("true")
	case opAnd, opOr:
		sep := " AND "
		if c.op == opOr {
			sep = " OR "
		}
		b.WriteByte('(')
		for i, k := range c.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			k.format(b)
		}
		b.WriteByte(')')
	case opNot:
		b.WriteString("NOT ")
		c.kids[0].format(b)
	case opPresent:
		b.WriteString(c.field.Name() + " present")
	case opParam:
		b.WriteString(c.field.Name() + " = :" + c.param.Name)
	case opCmp:
		b.WriteString(c.field.Name() + " " + c.cmp.String() + " " + strconv.FormatUint(c.nums[0], 10))
	case opPrefix:
		b.WriteString(c.field.Name() + " in " + c.prefix.String())
	case opIn:
		vals := c.texts()
		if len(vals) == 1 {
			b.WriteString(c.field.Name() + " = " + vals[0])
		} else {
			b.WriteString(c.field.Name() + " in (" + strings.Join(vals, ", ") + ")")
		}
	}
}

// texts returns the values of an opIn condition as flow-log text.
func (c *Cond) texts() []string {
	switch c.field.Kind() {
	case flowlog.KindAddr:
		out := make([]string, len(c.addrs))
		for i, a := range c.addrs {
			out[i] = a.String()
		}
		return out
	case flowlog.KindString, flowlog.KindEnum:
		return c.strs
	}
	out := make([]string, len(c.nums))
	for i, n := range c.nums {
		out[i] = strconv.FormatUint(n, 10)
	}
	return out
}

func maskFields(mask uint64) []flowlog.Field {
	var out []flowlog.Field
	for _, f := range flowlog.Fields() {
		if mask&(1<<f) != 0 {
			out = append(out, f)
		}
	}
	return out
}
