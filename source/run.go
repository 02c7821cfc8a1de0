package source

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Sink receives the records of the inputs one worker reads.
type Sink interface {
	// Begin is called before the first record of each input, with its
	// format. An error skips the input (e.g. the format lacks a field
	// the caller needs); it should not wrap the input's name.
	Begin(in Input, f flowlog.Format) error
	// Add is called for each record. r and its strings are valid only
	// during the call.
	Add(r *flowlog.Record)
}

// Stats counts what [Run] read and skipped. Its fields are updated
// atomically while Run runs, for progress reports.
type Stats struct {
	Inputs        atomic.Int64 // inputs read to the end
	InputsSkipped atomic.Int64 // inputs given up on an error (or not started)
	Records       atomic.Int64 // records handed to sinks
	LinesSkipped  atomic.Int64 // bad lines skipped in lenient mode
}

// ErrStopped is reported for inputs not read because an earlier error
// stopped a strict run.
var ErrStopped = errors.New("not read: stopped at an earlier error")

// Run reads the inputs on up to workers goroutines (0: GOMAXPROCS, or at
// least 8 when an input is remote, so that downloads overlap), each
// input by one worker into that worker's sink, made by newSink(worker).
// Every error is passed to report, which is called from one goroutine at a
// time. Unless o.Lenient is set, the first error stops the run: inputs not
// yet started are not read. Run returns the first error, or nil. With
// fewer workers than cores, gzip is decompressed in a goroutine of its
// own, ahead of parsing; with a worker per core, inline, as the cores are
// busy anyway and handing buffers between goroutines only costs.
func Run(ctx context.Context, ins []Input, o *Options, workers int, st *Stats, newSink func(worker int) Sink, report func(error)) error {
	if o == nil {
		o = &Options{}
	}
	if st == nil {
		st = &Stats{}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
		for _, in := range ins {
			if in.Remote {
				workers = max(workers, 8)
				break
			}
		}
	}
	workers = max(1, min(workers, len(ins)))
	o.inline.Store(workers >= runtime.GOMAXPROCS(0))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
		if report != nil {
			report(err)
		}
		if !o.Lenient {
			cancel()
		}
	}
	for w := range workers {
		sink := newSink(w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ins) {
					return
				}
				if ctx.Err() != nil {
					st.InputsSkipped.Add(1)
					continue
				}
				if err := readOne(ctx, ins[i], o, st, sink, fail); err != nil {
					st.InputsSkipped.Add(1)
					if ctx.Err() == nil || !errors.Is(err, context.Canceled) {
						fail(err)
					}
					continue
				}
				st.Inputs.Add(1)
			}
		}()
	}
	wg.Wait()
	return first
}

// readOne reads one input into sink. Bad lines go to fail in lenient
// mode; the error returned ends the input.
func readOne(ctx context.Context, in Input, o *Options, st *Stats, sink Sink, fail func(error)) error {
	rd, err := in.Open(ctx, o)
	if err != nil {
		return err
	}
	defer func() { _ = rd.Close() }() // read-only: nothing to lose
	var r flowlog.Record
	begun := false
	var n int64
	defer func() { st.Records.Add(n) }()
	for {
		err := rd.ReadInto(&r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if o.Lenient && LineError(err) {
				st.LinesSkipped.Add(1)
				fail(err)
				continue
			}
			return err
		}
		if !begun {
			begun = true
			if err := sink.Begin(in, rd.Format()); err != nil {
				return wrap(in.Name, err)
			}
		}
		sink.Add(&r)
		if n++; n&0xfff == 0 {
			st.Records.Add(n)
			n = 0
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
}
