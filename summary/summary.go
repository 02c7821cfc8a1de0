// Package summary computes what `flowlog summarize` shows, so that every
// view of it (the CLI's table, JSON and CSV, `flowlog report`'s page)
// shows the same numbers: the totals of the records that match a filter,
// and tables that are investigations (the catalogue's or ad-hoc top-N
// ones, see investigations.TopN) run by the catalogue's native evaluator.
//
// A [Summarizer] is fed records by one goroutine; summarizers fed in
// parallel (one per worker) are combined with Merge. Results are exact:
// the evaluator keeps one entry per distinct group, so memory grows with
// the number of distinct keys (addresses, ports, pairs ...), never with
// the number of records.
package summary

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// ErrMissingFields means an input's format lacks a field the filter or a
// table needs (wrapping investigations.ErrMissingFields for tables).
var ErrMissingFields = investigations.ErrMissingFields

// Totals are the totals of the records that match the filter.
type Totals struct {
	Records  int64
	Packets  int64
	Bytes    int64
	Accepted int64 // action ACCEPT
	Rejected int64 // action REJECT
	NoData   int64 // log-status NODATA
	SkipData int64 // log-status SKIPDATA
	// First is the earliest start and Last the latest end of the records
	// that have them; both zero when none has.
	First, Last time.Time
}

// Table is one investigation and its answer.
type Table struct {
	Investigation investigations.Investigation // as defined, with the filter it ran with
	Args          []string                     // its parameter values
	Result        investigations.Result
}

// Summary is the answer of a [Summarizer].
type Summary struct {
	Totals  Totals
	Tables  []Table
	Formats []flowlog.Format // the formats of the inputs, sorted by their LogFormat strings (workers finish in any order)
}

// Spec says what to compute.
type Spec struct {
	// Where selects the records that count, for the totals and every table.
	Where investigations.Cond
	// Tables are the investigations to run, each with its parameter
	// values (Args[i] for Tables[i]; nil when it has none).
	Tables []investigations.Investigation
	Args   [][]string
	// TablesFor, when set and Tables is empty, chooses the tables from the
	// format of the first input any summarizer of the spec begins (see
	// Answerable); inputs of other formats must have their fields too.
	TablesFor func(f flowlog.Format) []investigations.Investigation

	choose sync.Once
}

// Answerable returns the catalogue's investigations that records in
// format f can answer and that take no parameters: what `flowlog
// investigate --all` runs.
func Answerable(f flowlog.Format) []investigations.Investigation {
	all, _ := investigations.Select(f)
	var out []investigations.Investigation
	for _, inv := range all {
		if len(inv.Params()) == 0 {
			out = append(out, inv)
		}
	}
	return out
}

// TopN returns the ad-hoc investigation of the n groups of fields by with
// the most of measure. Records lacking a key field ("-", as in NODATA and
// SKIPDATA records) are left out of the table (they are in the totals).
func TopN(by []flowlog.Field, measure investigations.Measure, n int) investigations.Investigation {
	present := make([]investigations.Cond, len(by))
	for i, f := range by {
		present[i] = investigations.Present(f)
	}
	return investigations.TopN(by, measure, n, investigations.And(present...))
}

// Summarizer accumulates a Summary from records.
type Summarizer struct {
	spec   *Spec
	filter bool
	need   []flowlog.Field // fields the filter reads
	t      totals
	set    *investigations.Set // nil until the first Begin
	fmts   []flowlog.Format
}

// totals in the form Add updates: Unix seconds for the span.
type totals struct {
	records, packets, bytes int64
	// Counts by action and by log-status code, in arrays indexed by the
	// code (no branches per record).
	action, status [4]int64
	first, last    int64
}

// New returns a Summarizer of spec. It checks the spec without looking at
// a format; formats are checked by Begin.
func New(spec *Spec) (*Summarizer, error) {
	if err := spec.Where.Err(); err != nil {
		return nil, err
	}
	if len(spec.Args) != 0 && len(spec.Args) != len(spec.Tables) {
		return nil, fmt.Errorf("summary: %d argument lists for %d tables", len(spec.Args), len(spec.Tables))
	}
	for _, inv := range spec.Tables {
		if err := inv.Validate(); err != nil {
			return nil, err
		}
	}
	return &Summarizer{spec: spec, filter: !spec.Where.IsZero(), need: spec.Where.Fields(),
		t: totals{first: math.MaxInt64, last: math.MinInt64}}, nil
}

// Begin checks that records in format f can be summarized: f has every
// field the filter and the tables need. Call it before adding the records
// of each input; the error names the missing fields.
func (s *Summarizer) Begin(f flowlog.Format) error {
	if err := s.begin(f); err != nil {
		return err
	}
	s.addFormat(f)
	return nil
}

func (s *Summarizer) addFormat(f flowlog.Format) {
	for _, g := range s.fmts {
		if g == f {
			return
		}
	}
	s.fmts = append(s.fmts, f)
}

// BeginPartial is Begin for inputs that need not have the fields of
// every table: each table counts the records of the inputs whose format
// has its fields, and leaves the others out (the totals count every
// input). It fails, and the input must be skipped, only when f lacks a
// field the filter needs; otherwise it returns, per table of the spec,
// the fields f lacks (nil for the tables it answers).
func (s *Summarizer) BeginPartial(f flowlog.Format) ([][]flowlog.Field, error) {
	s.chooseTables(f)
	if err := s.filterFields(f); err != nil {
		return nil, err
	}
	if s.set == nil {
		set, err := investigations.NewPartialSet(f, s.spec.Tables, s.spec.Args)
		if err != nil {
			return nil, err
		}
		s.set = set
	}
	s.addFormat(f)
	return s.set.Begin(f), nil
}

func (s *Summarizer) chooseTables(f flowlog.Format) {
	s.spec.choose.Do(func() {
		if len(s.spec.Tables) == 0 && s.spec.TablesFor != nil {
			s.spec.Tables = s.spec.TablesFor(f)
		}
	})
}

// filterFields returns an error naming the fields of the filter f lacks.
func (s *Summarizer) filterFields(f flowlog.Format) error {
	var miss []string
	for _, fld := range s.need {
		if !f.Has(fld) {
			miss = append(miss, fld.Name())
		}
	}
	if len(miss) > 0 {
		return fmt.Errorf("%w: the filter needs %s", ErrMissingFields, strings.Join(miss, ", "))
	}
	return nil
}

func (s *Summarizer) begin(f flowlog.Format) error {
	s.chooseTables(f)
	var errs []error
	if err := s.filterFields(f); err != nil {
		errs = append(errs, err)
	}
	if s.set != nil {
		for _, inv := range s.spec.Tables {
			if m := inv.Missing(f); len(m) > 0 {
				errs = append(errs, &investigations.MissingError{Name: inv.Name, Format: f, Fields: m})
			}
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
		s.set.Begin(f) // every table: after a partial input, some were left out
		return nil
	}
	// One Set for the tables: where several have groups that roll up into
	// another's (top sources and destinations into top pairs), it counts
	// each record once for them.
	set, err := investigations.NewSet(f, s.spec.Tables, s.spec.Args)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.set = set
	return nil
}

func (s *Summarizer) args(i int) []string {
	if len(s.spec.Args) == 0 {
		return nil
	}
	return s.spec.Args[i]
}

// Add counts r if it matches the filter. Call Begin first.
func (s *Summarizer) Add(r *flowlog.Record) {
	if s.filter && !s.spec.Where.Match(r) {
		return
	}
	t := &s.t
	t.records++
	t.packets += int64(r.Packets())
	t.bytes += int64(r.Bytes())
	t.action[r.Action()&3]++
	t.status[r.LogStatus()&3]++
	if r.Has(flowlog.Start) && r.StartUnix() < t.first {
		t.first = r.StartUnix()
	}
	if r.Has(flowlog.End) && r.EndUnix() > t.last {
		t.last = r.EndUnix()
	}
	if s.set != nil {
		s.set.Add(r)
	}
}

// Merge adds o's counts into s. Both must have the same Spec.
func (s *Summarizer) Merge(o *Summarizer) {
	if o.spec != s.spec {
		panic("summary: Merge of summarizers of different specs")
	}
	a, b := &s.t, &o.t
	a.records += b.records
	a.packets += b.packets
	a.bytes += b.bytes
	for i := range a.action {
		a.action[i] += b.action[i]
		a.status[i] += b.status[i]
	}
	a.first = min(a.first, b.first)
	a.last = max(a.last, b.last)
	for _, f := range o.fmts {
		s.addFormat(f)
	}
	if o.set == nil {
		return
	}
	if s.set == nil {
		s.set = o.set
		o.set = nil
		return
	}
	s.set.Merge(o.set)
}

// Summary returns the answer so far.
func (s *Summarizer) Summary() Summary {
	t := s.t
	out := Summary{Formats: sortedFormats(s.fmts), Totals: Totals{
		Records: t.records, Packets: t.packets, Bytes: t.bytes,
		Accepted: t.action[flowlog.Accept], Rejected: t.action[flowlog.Reject],
		NoData: t.status[flowlog.StatusNoData], SkipData: t.status[flowlog.StatusSkipData],
	}}
	if t.first != math.MaxInt64 {
		out.Totals.First = time.Unix(t.first, 0).UTC()
	}
	if t.last != math.MinInt64 {
		out.Totals.Last = time.Unix(t.last, 0).UTC()
	}
	var results []investigations.Result
	if s.set != nil {
		results = s.set.Results()
	}
	for i, inv := range s.spec.Tables {
		tab := Table{Investigation: withFilter(inv, s.spec.Where), Args: s.args(i)}
		if s.set != nil {
			tab.Result = results[i]
		} else {
			tab.Result = investigations.Result{Columns: inv.Columns()}
		}
		out.Tables = append(out.Tables, tab)
	}
	return out
}

// withFilter returns inv as it ran: its own condition and the filter.
func withFilter(inv investigations.Investigation, where investigations.Cond) investigations.Investigation {
	if !where.IsZero() {
		inv.Where = investigations.And(where, inv.Where)
	}
	return inv
}

// sortedFormats returns a sorted copy of fs: the order in which parallel
// workers first saw each format is not the same from run to run, and the
// output must be.
func sortedFormats(fs []flowlog.Format) []flowlog.Format {
	out := slices.Clone(fs)
	slices.SortFunc(out, func(a, b flowlog.Format) int { return strings.Compare(a.String(), b.String()) })
	return out
}
