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

// Run reads the inputs on up to workers goroutines (0: GOMAXPROCS, or at
// least 8 when an input is remote, so that downloads overlap), each
// input by one worker into that worker's sink, made by newSink(worker).
// Every error is passed to report, which is called from one goroutine at a
// time. Unless o.Lenient is set, the first error stops the run: inputs not
// yet started are not read. Run returns the first error, or nil. With
// fewer workers than cores, gzip is decompressed in a goroutine of its
// own, ahead of parsing; with a worker per core, inline, as the cores are
// busy anyway and handing buffers between goroutines only costs. One
// worker reads the inputs in order, one after another (as a caller that
// writes records in input order needs), and opens the remote inputs
// after the one it reads up to four ahead, so that their downloads
// overlap.
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
	// One worker reads the inputs in order, and opens remote ones ahead.
	var ahead *prefetcher
	if workers == 1 {
		ahead = &prefetcher{ctx: ctx, ins: ins, o: o, opened: make([]chan opened, len(ins))}
		defer ahead.discard()
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
				open := func() (RecordReader, error) { return ins[i].Open(ctx, o) }
				if ahead != nil {
					open = func() (RecordReader, error) { return ahead.open(i) }
				}
				if err := readOne(ctx, ins[i], open, o, st, sink, fail); err != nil {
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

// readOne reads one input, opened by open, into sink. Bad lines go to
// fail in lenient mode; the error returned ends the input.
func readOne(ctx context.Context, in Input, open func() (RecordReader, error), o *Options, st *Stats, sink Sink, fail func(error)) error {
	rd, err := open()
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

// prefetch is how many remote inputs (S3 objects) a single worker, which
// reads inputs in order, opens ahead of the one it reads: an object's
// download starts when it is opened, so a run of small objects is not
// read one request's latency after another. An opened Parquet object or
// subscription payload is read into memory (within MaxBuffer each) when
// it is opened.
const prefetch = 4

// opened is an input opened ahead.
type opened struct {
	rd  RecordReader
	err error
}

// prefetcher opens remote inputs ahead of a single worker.
type prefetcher struct {
	ctx    context.Context
	ins    []Input
	o      *Options
	opened []chan opened // by input; nil until started
	next   int           // inputs before it have been taken
}

// open returns input i opened, and starts opening the remote inputs
// after it, up to prefetch of them.
func (p *prefetcher) open(i int) (RecordReader, error) {
	for j := i + 1; j < len(p.ins) && j <= i+prefetch; j++ {
		p.start(j)
	}
	p.next = i + 1
	ch := p.opened[i]
	if ch == nil {
		return p.ins[i].Open(p.ctx, p.o)
	}
	p.opened[i] = nil
	r := <-ch
	return r.rd, r.err
}

func (p *prefetcher) start(i int) {
	if p.opened[i] != nil || !p.ins[i].Remote {
		return
	}
	ch := make(chan opened, 1)
	p.opened[i] = ch
	in := p.ins[i]
	go func() {
		rd, err := in.Open(p.ctx, p.o)
		ch <- opened{rd, err}
	}()
}

// discard closes the inputs opened ahead but never read (the run
// stopped), once their opening ends.
func (p *prefetcher) discard() {
	for i := p.next; i < len(p.opened); i++ {
		if ch := p.opened[i]; ch != nil {
			go func() {
				if r := <-ch; r.rd != nil {
					_ = r.rd.Close() // never read: nothing to lose
				}
			}()
		}
	}
}
