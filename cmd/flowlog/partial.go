package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// A table an input's format cannot answer (summarize --by direction over
// default-format and v5 files) does not cost the whole input: the totals
// cover every input, each table the inputs whose format has its fields,
// and the output names the inputs each table left out. An input is
// skipped only when its format lacks a field of the filter, which decides
// whether a record counts at all.

// splitPlan is the specs of a split summary: one of the totals, one per
// table, shared by the sinks of every worker (Merge needs one spec).
type splitPlan struct {
	totals *summary.Spec
	tables []*summary.Spec

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
	p := &splitPlan{totals: &summary.Spec{Where: spec.Where}, lacking: make([]lack, len(spec.Tables)), answered: make([]int, len(spec.Tables))}
	for i, inv := range spec.Tables {
		one := &summary.Spec{Where: spec.Where, Tables: []investigations.Investigation{inv}}
		if i < len(spec.Args) {
			one.Args = [][]string{spec.Args[i]}
		}
		p.tables = append(p.tables, one)
	}
	return p
}

// splitSink is one worker's summarizers of a splitPlan.
type splitSink struct {
	p      *splitPlan
	tot    *summary.Summarizer
	tabs   []*summary.Summarizer
	active []*summary.Summarizer // the tables the current input answers
}

func (p *splitPlan) sink() (*splitSink, error) {
	k := &splitSink{p: p}
	var err error
	if k.tot, err = summary.New(p.totals); err != nil {
		return nil, err
	}
	for _, spec := range p.tables {
		s, err := summary.New(spec)
		if err != nil {
			return nil, err
		}
		k.tabs = append(k.tabs, s)
	}
	return k, nil
}

func (k *splitSink) Begin(in source.Input, f flowlog.Format) error {
	if err := k.tot.Begin(f); err != nil {
		return err // the filter's fields: the input cannot count
	}
	k.active = k.active[:0]
	for i, spec := range k.p.tables {
		if m := spec.Tables[0].Missing(f); len(m) > 0 {
			k.p.note(i, in.Name, m)
			continue
		}
		if err := k.tabs[i].Begin(f); err != nil {
			return err
		}
		k.p.mu.Lock()
		k.p.answered[i]++
		k.p.mu.Unlock()
		k.active = append(k.active, k.tabs[i])
	}
	return nil
}

func (k *splitSink) Add(r *flowlog.Record) {
	k.tot.Add(r)
	for _, s := range k.active {
		s.Add(r)
	}
}

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
	tot := sinks[0].tot
	for _, k := range sinks[1:] {
		tot.Merge(k.tot)
	}
	s := tot.Summary()
	lacking := map[string]lack{}
	for i := range p.tables {
		t := sinks[0].tabs[i]
		for _, k := range sinks[1:] {
			t.Merge(k.tabs[i])
		}
		tab := t.Summary().Tables[0]
		s.Tables = append(s.Tables, tab)
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
	for i, spec := range p.tables {
		if l := p.lacking[i]; p.answered[i] == 0 && len(l.inputs) > 0 {
			errs = append(errs, fmt.Errorf("%w: %s needs field(s) no input has: %s", summary.ErrMissingFields, spec.Tables[0].Name, strings.Join(l.missing, ", ")))
		}
	}
	return errors.Join(errs...)
}

// lackNote says what a table left out, for people.
func lackNote(l lack) string {
	return "computed without " + plural(len(l.inputs), "input") + " whose format lacks " +
		strings.Join(l.missing, ", ") + listNames(l.inputs)
}
