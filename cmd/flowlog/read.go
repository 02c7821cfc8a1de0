package main

import (
	"context"
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// readAll lists the inputs named by args and reads them into per-worker
// sinks, printing every error on stderr as it happens, with progress on a
// terminal. It reports whether anything failed or was skipped, after
// saying on stderr how much.
func readAll(ctx context.Context, e *env, o *source.Options, args []string, workers int, newSink func(int) source.Sink) (st *source.Stats, failed bool) {
	st = &source.Stats{}
	ins, lerrs := source.List(ctx, args, o)
	for _, err := range lerrs {
		e.note(err.Error())
	}
	if len(lerrs) > 0 && !o.Lenient {
		return st, true
	}
	if len(ins) == 0 && len(lerrs) == 0 {
		e.note(fmt.Sprintf("flowlog: no flow-log inputs in %v (directories are searched for .log, .log.gz and .log.parquet)", args))
		return st, true
	}
	var total int64
	for _, in := range ins {
		if in.Size > 0 {
			total += in.Size
		}
	}
	o.BytesRead = new(atomicInt64)
	p := startProgress(e, len(ins), total, st, o.BytesRead)
	err := source.Run(ctx, ins, o, workers, st, newSink, func(err error) { e.note(err.Error()) })
	p.stop()
	skippedInputs := st.InputsSkipped.Load() + int64(len(lerrs))
	if o.Lenient && (skippedInputs > 0 || st.LinesSkipped.Load() > 0) {
		e.note(fmt.Sprintf("flowlog: skipped %d of %d input(s) and %d line(s); the errors are above", skippedInputs, int64(len(ins)+len(lerrs)), st.LinesSkipped.Load()))
	}
	return st, err != nil || len(lerrs) > 0
}
