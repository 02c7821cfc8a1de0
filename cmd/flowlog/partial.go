package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// A table an input's format cannot answer (summarize --by direction over
// default-format and v5 files) does not cost the whole input: the totals
// cover every input, each table the inputs whose format has its fields,
// and the output names the inputs each table left out. An input is
// skipped only when its format lacks a field of the filter, which decides
// whether a record counts at all.

// splitPlan is a split summary's spec, shared by the sinks of every
// worker (Merge needs one spec), and what its tables left out. One
// summarizer per worker counts every table (summary.BeginPartial), so
// that tables rolling up into another's (top sources and destinations
// into top pairs) are counted once.
type splitPlan struct {
	spec *summary.Spec

	mu       sync.Mutex
	lacking  []lack // per table
	answered []int  // per table: the inputs that had its fields
}

// lack is what a table left out: the inputs whose format lacks its
// fields.
type lack struct {
	missing []string // field names
	inputs  []string
}

func newSplitPlan(spec *summary.Spec) *splitPlan {
	return &splitPlan{spec: spec, lacking: make([]lack, len(spec.Tables)), answered: make([]int, len(spec.Tables))}
}

// splitSink is one worker's summarizer of a splitPlan.
type splitSink struct {
	p *splitPlan
	s *summary.Summarizer
}

func (p *splitPlan) sink() (*splitSink, error) {
	s, err := summary.New(p.spec)
	if err != nil {
		return nil, err
	}
	return &splitSink{p: p, s: s}, nil
}

func (k *splitSink) Begin(in source.Input, f flowlog.Format) error {
	lacking, err := k.s.BeginPartial(f)
	if err != nil {
		return err // the filter's fields: the input cannot count
	}
	for i, m := range lacking {
		if len(m) > 0 {
			k.p.note(i, in.Name, m)
			continue
		}
		k.p.mu.Lock()
		k.p.answered[i]++
		k.p.mu.Unlock()
	}
	return nil
}

func (k *splitSink) Add(r *flowlog.Record) { k.s.Add(r) }

func (p *splitPlan) note(table int, input string, missing []flowlog.Field) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := &p.lacking[table]
	for _, f := range missing {
		if !slices.Contains(l.missing, f.Name()) {
			l.missing = append(l.missing, f.Name())
		}
	}
	l.inputs = append(l.inputs, input)
}

// summary merges the sinks into one Summary: the totals of every input,
// and each table over the inputs that have its fields; and what each
// table left out, by table name.
func (p *splitPlan) summary(sinks []*splitSink) (summary.Summary, map[string]lack) {
	all := sinks[0].s
	for _, k := range sinks[1:] {
		all.Merge(k.s)
	}
	s := all.Summary()
	lacking := map[string]lack{}
	for i, tab := range s.Tables {
		if l := p.lacking[i]; len(l.inputs) > 0 {
			slices.Sort(l.inputs) // workers finish in any order
			lacking[tab.Investigation.Name] = l
		}
	}
	return s, lacking
}

// unanswered returns an error naming the tables no input had the fields
// of (every input that began lacked them): asked for, they cannot be
// answered at all, which is an error as for a single input.
func (p *splitPlan) unanswered() error {
	var errs []error
	for i, inv := range p.spec.Tables {
		if l := p.lacking[i]; p.answered[i] == 0 && len(l.inputs) > 0 {
			errs = append(errs, fmt.Errorf("%w: %s needs field(s) no input has: %s", summary.ErrMissingFields, inv.Name, strings.Join(l.missing, ", ")))
		}
	}
	return errors.Join(errs...)
}

// lackNote says what a table left out, for people.
func lackNote(l lack) string {
	return "computed without " + plural(len(l.inputs), "input") + " whose format lacks " +
		strings.Join(l.missing, ", ") + listNames(l.inputs)
}
