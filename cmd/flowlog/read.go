package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// readInputs lists the inputs named by args and reads them into
// per-worker sinks, reporting every error through t as it happens
// (FILE:LINE:FIELD: message, as 'flowlog parse' does), with progress on a
// terminal. It reports whether reading stopped at an error (without
// --keep-going); t counts what --keep-going skipped. before, when not
// nil, sees the inputs between listing and reading (e.g. to learn the
// first one's format).
func readInputs(ctx context.Context, e *env, t *tally, o *source.Options, args []string, workers int, newSink func(int) source.Sink, before func([]source.Input)) (stopped bool) {
	stopped, _ = readChecked(ctx, e, t, o, args, workers, newSink, func(ins []source.Input) error {
		if before != nil {
			before(ins)
		}
		return nil
	})
	return stopped
}

// readChecked is readInputs whose step before reading may refuse the
// inputs: its error is returned, and nothing is read (a usage error the
// command reports, such as flags the inputs' format needs).
func readChecked(ctx context.Context, e *env, t *tally, o *source.Options, args []string, workers int, newSink func(int) source.Sink, before func([]source.Input) error) (stopped bool, refused error) {
	ins, lerrs := source.List(ctx, args, o)
	e.mu.Lock()
	for _, err := range lerrs {
		reportInput(t, err)
	}
	e.mu.Unlock()
	if len(lerrs) > 0 && !o.Lenient {
		return true, nil
	}
	if len(ins) == 0 && len(lerrs) == 0 {
		t.fail(fmt.Errorf("no flow-log inputs in %v (directories are searched for .log, .log.gz and .log.parquet)", args))
		return true, nil
	}
	if err := before(ins); err != nil {
		return true, err
	}
	var total int64
	for _, in := range ins {
		if in.Size > 0 {
			total += in.Size
		}
	}
	st := &source.Stats{}
	o.BytesRead, o.BytesAgain = new(atomicInt64), new(atomicInt64)
	p := startProgress(e, len(ins), total, st, o.BytesRead, o.BytesAgain)
	err := source.Run(ctx, ins, o, workers, st, newSink, func(err error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		p.clear()
		if source.LineError(err) && o.Lenient {
			se := asSourceError(err)
			t.line(se.Input, se.Err)
			return
		}
		reportInput(t, err)
	})
	p.stop(e)
	if ctx.Err() != nil { // interrupted: what was read is not the answer
		if !t.failed { // else the command stopped reading on its error
			t.fail(fmt.Errorf("interrupted: %w", ctx.Err()))
		}
		return true, nil
	}
	return err != nil && !o.Lenient, nil
}

// reportInput reports an error that ended (or prevented) reading an input.
func reportInput(t *tally, err error) {
	se := asSourceError(err)
	t.input(se.Input, se.Err)
}

func asSourceError(err error) *source.Error {
	var se *source.Error
	if errors.As(err, &se) {
		return se
	}
	return &source.Error{Input: "flowlog", Err: err}
}
