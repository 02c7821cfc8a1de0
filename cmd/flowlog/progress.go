package main

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

type atomicInt64 = atomic.Int64

// progress shows, on a terminal's stderr only, how far a long read is:
// inputs and bytes done (of the total when the sizes are known: files and
// S3 objects), records per second and the time left. It is drawn by
// github.com/schollz/progressbar, which redraws one line in place.
type progress struct {
	bar  *progressbar.ProgressBar
	done chan struct{}
	quit chan struct{}
}

// progressDelay is how long a read must take before progress appears, so
// that short commands print nothing extra.
const progressDelay = time.Second

func startProgress(e *env, inputs int, total int64, st *source.Stats, bytes *atomic.Int64) *progress {
	if !isTerminal(e.stderr) {
		return nil
	}
	max := total
	if max == 0 {
		max = -1 // unknown: a spinner
	}
	p := &progress{done: make(chan struct{}), quit: make(chan struct{})}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionSetVisibility(false),
	)
	e.prog = p
	start := time.Now()
	go func() {
		defer close(p.done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case now := <-tick.C:
				if now.Sub(start) < progressDelay {
					continue
				}
				e.mu.Lock()
				done := st.Inputs.Load() + st.InputsSkipped.Load()
				rate := float64(st.Records.Load()) / now.Sub(start).Seconds()
				p.bar.Describe(fmt.Sprintf("%d/%d inputs, %.0f records/s", done, inputs, rate))
				progressbar.OptionSetVisibility(true)(p.bar)
				_ = p.bar.Set64(bytes.Load())
				e.mu.Unlock()
			}
		}
	}()
	return p
}

// clear removes the bar's line so that another line can be printed.
func (p *progress) clear() {
	if p != nil {
		_ = p.bar.Clear()
	}
}

func (p *progress) stop(e *env) {
	if p == nil {
		return
	}
	close(p.quit)
	<-p.done
	e.mu.Lock()
	_ = p.bar.Clear()
	e.prog = nil
	e.mu.Unlock()
}
