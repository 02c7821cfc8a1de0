package investigations

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Errors, for errors.Is.
var (
	// ErrMissingFields: the format lacks fields the investigation needs
	// (wrapped by *MissingError).
	ErrMissingFields = errors.New("format lacks fields")
	// ErrUnknown: no investigation or counter has the name.
	ErrUnknown = errors.New("unknown investigation")
	// ErrUnsupported: a renderer cannot express the definition, e.g. an
	// address prefix in a metric-filter pattern.
	ErrUnsupported = errors.New("not expressible")
	// ErrUnboundParam: a parameter has no value.
	ErrUnboundParam = errors.New("parameter has no value")
	// ErrInvalid: the definition itself is wrong (no name, a bad Cond,
	// too many parameter values ...).
	ErrInvalid = errors.New("invalid investigation")
)

// MissingError says which fields a format lacks for an investigation or
// a counter. It wraps ErrMissingFields.
type MissingError struct {
	Name   string          // the investigation or counter
	Format flowlog.Format  // the format that lacks them
	Fields []flowlog.Field // the missing fields, in registry order
}

func (e *MissingError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Name()
	}
	return fmt.Sprintf("investigations: %s needs field(s) the format lacks: %s", e.Name, strings.Join(names, ", "))
}

// Unwrap returns ErrMissingFields.
func (e *MissingError) Unwrap() error { return ErrMissingFields }

// Measure is what an investigation adds up per group.
type Measure uint8

// Measures.
const (
	Records Measure = iota + 1 // the number of records (flows)
	Packets                    // the sum of packets
	Bytes                      // the sum of bytes
)

var measureNames = [...]string{"", "records", "packets", "bytes"}

// String returns the measure's result column: "records", "packets" or
// "bytes".
func (m Measure) String() string {
	if int(m) < len(measureNames) {
		return measureNames[m]
	}
	return "Measure(?)"
}

// Field returns the field a measure sums, or 0 for Records.
func (m Measure) Field() flowlog.Field {
	switch m {
	case Packets:
		return flowlog.Packets
	case Bytes:
		return flowlog.Bytes
	}
	return 0
}

// ParseMeasure returns the measure named "records", "packets" or "bytes".
func ParseMeasure(s string) (Measure, bool) {
	for i, n := range measureNames {
		if i > 0 && n == s {
			return Measure(i), true
		}
	}
	return 0, false
}

// KeyKind says how a [Key] derives a group from a field.
type KeyKind uint8

// Key kinds.
const (
	ByValue  KeyKind = iota // the field's value
	ByHour                  // the UTC hour of a time field (start or end)
	ByFamily                // "IPv4" or "IPv6", the family of an address field
	ByLabel                 // the value with its label, e.g. "2 internet gateway or gateway VPC endpoint" ([ValueLabels])
)

// Key is one grouping key of an investigation.
type Key struct {
	Field flowlog.Field
	Kind  KeyKind
}

// By groups by the value of field f.
func By(f flowlog.Field) Key { return Key{Field: f} }

// HourOf groups by the UTC hour of the time field f (start or end).
func HourOf(f flowlog.Field) Key { return Key{Field: f, Kind: ByHour} }

// FamilyOf groups by the address family ("IPv4", "IPv6") of the address
// field f.
func FamilyOf(f flowlog.Field) Key { return Key{Field: f, Kind: ByFamily} }

// LabelOf groups by the value of field f shown with its label, e.g.
// traffic-path 2 as "2 internet gateway or gateway VPC endpoint"; f must have
// labels ([ValueLabels]). A value without a label shows as its number.
func LabelOf(f flowlog.Field) Key { return Key{Field: f, Kind: ByLabel} }

// Column returns the key's result column: the field's column name
// (e.g. "dstport", "pkt_srcaddr"; also for ByLabel), "hour" for ByHour of
// start, "end_hour" for ByHour of end, or "<column>_family" for ByFamily.
func (k Key) Column() string {
	switch k.Kind {
	case ByHour:
		if k.Field == flowlog.Start {
			return "hour"
		}
		return k.Field.Column() + "_hour"
	case ByFamily:
		return k.Field.Column() + "_family"
	}
	return k.Field.Column()
}

func (k Key) validate() error {
	if !k.Field.Valid() {
		return fmt.Errorf("%w: key of invalid field", ErrInvalid)
	}
	switch k.Kind {
	case ByValue:
	case ByHour:
		if k.Field.Kind() != flowlog.KindTime {
			return fmt.Errorf("%w: HourOf(%s): not a time field", ErrInvalid, k.Field.Name())
		}
	case ByFamily:
		if k.Field.Kind() != flowlog.KindAddr {
			return fmt.Errorf("%w: FamilyOf(%s): not an address field", ErrInvalid, k.Field.Name())
		}
	case ByLabel:
		if ValueLabels(k.Field) == nil {
			return fmt.Errorf("%w: LabelOf(%s): the field has no value labels", ErrInvalid, k.Field.Name())
		}
	default:
		return fmt.Errorf("%w: key kind %d", ErrInvalid, k.Kind)
	}
	return nil
}

// Investigation is one question about flow logs, defined once as data
// and rendered for every engine: Athena SQL, a Logs Insights query, a
// Contributor Insights rule where the shape fits, and the native
// evaluator.
//
// Every investigation is an aggregation: the records matching Where are
// grouped by GroupBy and each group gets the Measures; the groups are
// ordered by OrderBy descending (ties by the keys ascending), or, when
// OrderBy is 0, by the keys ascending (time series), absent values last;
// then cut to Limit rows.
type Investigation struct {
	Name     string // stable kebab-case ID, e.g. "rejected-ssh-rdp"; also the named-query / query-definition name suffix
	Title    string // short title for people
	Question string // the question it answers, one sentence
	AWSName  string // the AWS Athena-integration named query it answers, e.g. "VpcFlowLogsSshRdpTraffic", or ""

	Where    Cond      // which records count; the zero Cond counts all
	GroupBy  []Key     // grouping keys; none gives one row of totals
	Measures []Measure // result columns after the keys, in order
	OrderBy  Measure   // sort groups by this measure, descending; 0: by the keys ascending
	Limit    int       // at most this many rows; 0: all
}

// Params returns the investigation's parameters, in the order their
// values are given.
func (inv Investigation) Params() []Param { return inv.Where.Params() }

// Columns returns the result's column names: the keys' columns, then the
// measures'.
func (inv Investigation) Columns() []string {
	out := make([]string, 0, len(inv.GroupBy)+len(inv.Measures))
	for _, k := range inv.GroupBy {
		out = append(out, k.Column())
	}
	for _, m := range inv.Measures {
		out = append(out, m.String())
	}
	return out
}

// Needs returns the fields a format must have for the investigation, in
// registry order: those of Where, GroupBy and OrderBy. The other measures
// are optional: a format without packets (or bytes) gets the
// investigation without that column ([Investigation.ForFormat]), so a
// count of records needs no counter field at all. An investigation with
// neither Records nor an OrderBy measure needs every measure's field, so
// that it keeps a column.
func (inv Investigation) Needs() []flowlog.Field {
	var mask uint64
	for _, f := range inv.Where.Fields() {
		mask |= 1 << f
	}
	for _, k := range inv.GroupBy {
		if k.Field.Valid() {
			mask |= 1 << k.Field
		}
	}
	if f := inv.OrderBy.Field(); f.Valid() {
		mask |= 1 << f
	}
	if inv.OrderBy == 0 && !slices.Contains(inv.Measures, Records) {
		for _, m := range inv.Measures {
			if f := m.Field(); f.Valid() {
				mask |= 1 << f
			}
		}
	}
	return maskFields(mask)
}

// ForFormat returns inv without the measures whose field f lacks (see
// [Investigation.Needs]); every renderer and evaluator applies it, so the
// columns of a result over f are those of inv.ForFormat(f).Columns().
func (inv Investigation) ForFormat(f flowlog.Format) Investigation {
	keep := make([]Measure, 0, len(inv.Measures))
	for _, m := range inv.Measures {
		if fld := m.Field(); !fld.Valid() || f.Has(fld) || m == inv.OrderBy {
			keep = append(keep, m)
		}
	}
	inv.Measures = keep
	return inv
}

// Missing returns the fields of Needs that f lacks.
func (inv Investigation) Missing(f flowlog.Format) []flowlog.Field {
	return missing(inv.Needs(), f)
}

func missing(need []flowlog.Field, f flowlog.Format) []flowlog.Field {
	var out []flowlog.Field
	for _, fld := range need {
		if !f.Has(fld) {
			out = append(out, fld)
		}
	}
	return out
}

// Validate checks the definition: a name, a valid Cond, valid keys and
// measures, OrderBy among the measures, at most 4 keys... It does not
// look at a format; see [Investigation.Missing].
func (inv Investigation) Validate() error {
	if inv.Name == "" {
		return fmt.Errorf("%w: no name", ErrInvalid)
	}
	if err := inv.Where.Err(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, inv.Name, err)
	}
	seen := map[string]bool{}
	for _, k := range inv.GroupBy {
		if err := k.validate(); err != nil {
			return fmt.Errorf("%s: %w", inv.Name, err)
		}
		if seen[k.Column()] {
			return fmt.Errorf("%w: %s: key %s twice", ErrInvalid, inv.Name, k.Column())
		}
		seen[k.Column()] = true
	}
	if len(inv.Measures) == 0 {
		return fmt.Errorf("%w: %s: no measures", ErrInvalid, inv.Name)
	}
	for _, m := range inv.Measures {
		if m < Records || m > Bytes {
			return fmt.Errorf("%w: %s: invalid measure %d", ErrInvalid, inv.Name, m)
		}
		if seen[m.String()] {
			return fmt.Errorf("%w: %s: column %s twice", ErrInvalid, inv.Name, m)
		}
		seen[m.String()] = true
	}
	if inv.OrderBy != 0 && !seen[inv.OrderBy.String()] {
		return fmt.Errorf("%w: %s: OrderBy %s is not among the measures", ErrInvalid, inv.Name, inv.OrderBy)
	}
	if inv.Limit < 0 {
		return fmt.Errorf("%w: %s: negative limit", ErrInvalid, inv.Name)
	}
	return nil
}

// check validates inv and that f has every field it needs, and returns
// inv fitted to f ([Investigation.ForFormat]).
func (inv Investigation) check(f flowlog.Format) (Investigation, error) {
	if err := inv.Validate(); err != nil {
		return inv, err
	}
	if m := inv.Missing(f); len(m) > 0 {
		return inv, &MissingError{Name: inv.Name, Format: f, Fields: m}
	}
	return inv.ForFormat(f), nil
}

// Bind returns inv with its parameters replaced by the values, given in
// the order of Params. The result has no parameters, so every renderer
// accepts it (Logs Insights and Contributor Insights have no
// parameters).
func (inv Investigation) Bind(values ...string) (Investigation, error) {
	ps := inv.Params()
	if len(values) != len(ps) {
		return Investigation{}, fmt.Errorf("%w: %s takes %d parameter value(s) (%s), got %d", ErrInvalid, inv.Name, len(ps), paramNames(ps), len(values))
	}
	if len(ps) == 0 {
		return inv, nil
	}
	vals := make(map[string]string, len(ps))
	for i, p := range ps {
		vals[p.Name] = values[i]
	}
	w, err := inv.Where.bind(vals)
	if err != nil {
		return Investigation{}, fmt.Errorf("%s: %w", inv.Name, err)
	}
	inv.Where = w
	return inv, nil
}

func paramNames(ps []Param) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// TopN returns an ad-hoc investigation, e.g. for the CLI's summarize:
// the n groups of the fields by with the largest measure among the
// records matching where, reporting records, packets and bytes. n = 0
// keeps every group; no fields give one row of totals. Its name is
// "top-<fields>-by-<measure>" ("totals" without fields).
func TopN(by []flowlog.Field, measure Measure, n int, where Cond) Investigation {
	keys := make([]Key, len(by))
	names := make([]string, len(by))
	for i, f := range by {
		keys[i] = By(f)
		names[i] = f.Name()
	}
	name := "top-" + strings.Join(names, "-") + "-by-" + measure.String()
	if len(by) == 0 {
		name = "totals"
	}
	return Investigation{
		Name:     name,
		Title:    "Top " + strings.Join(names, ", ") + " by " + measure.String(),
		Question: "Which " + strings.Join(names, ", ") + " have the most " + measure.String() + "?",
		Where:    where,
		GroupBy:  keys,
		Measures: []Measure{Records, Packets, Bytes},
		OrderBy:  measure,
		Limit:    n,
	}
}

// Lookup returns the catalogue's investigation with the name.
func Lookup(name string) (Investigation, bool) {
	for _, inv := range catalogue {
		if inv.Name == name {
			return inv, true
		}
	}
	return Investigation{}, false
}

// Select returns the catalogue's investigations for format f, fitted to
// it ([Investigation.ForFormat]).
//
// With no names it returns every investigation f supports, in catalogue
// order, skipping those that need fields f lacks. With names it returns
// exactly those, in the order given, and fails if a name is unknown
// (ErrUnknown) or f lacks a field one of them needs (a *MissingError per
// investigation, joined, each naming the missing fields): asking for an
// investigation the format cannot answer is a mistake to report, not to
// skip. [SelectFor] also considers the flow log's traffic type, and
// [Available] says what it skipped.
func Select(f flowlog.Format, names ...string) ([]Investigation, error) {
	return SelectFor(f, "ALL", names...)
}
