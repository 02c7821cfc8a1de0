package main

import (
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// The line is drawn by github.com/schollz/progressbar/v3 rather than by
// github.com/vbauerster/mpb/v8, the other well-kept Go progress library:
//   - dependencies: it adds two small modules to the build
//     (mitchellh/colorstring, rivo/uniseg; golang.org/x/term and x/sys are
//     here already), mpb five (VividCortex/ewma, acarl005/stripansi,
//     clipperhouse/uax29, mattn/go-runewidth, vbauerster/cupwriter), by
//     go list -deps (go mod graph adds test-only modules of each);
//   - maintenance: both release often (v3.19.1 in 2026-06, v8.16.2 in
//     2026-09);
//   - API fit: it draws only when called, so that every draw can hold the
//     env's stderr lock, as the warnings and errors printed above the line
//     do; mpb draws from a goroutine of its own and wants every other
//     stderr line written through it. It has the rest too: a throttle, a
//     bytes mode with the total, a rolling rate and the time left, a
//     spinner for unknown sizes, and clear-on-finish with ANSI codes.

type atomicInt64 = atomic.Int64

// progress shows, on a terminal's stderr only, how far a long read is:
// inputs done of the total, records/s since the start, and bytes done of
// the total when sizes are known (files and S3 objects; readInputs sums
// them) with the rate and the time left at that rate; with no size known
// (standard input, CloudWatch Logs) a spinner with the bytes, the rate and the time
// elapsed. The line is drawn from the start of the read, cleared before
// any other line is printed on stderr (env.note and the read's error
// reports clear it under the env's lock; the next tick draws it again),
// and cleared at the end.
//
// The readers only add to atomic counters (source.Stats, BytesRead);
// a ticker hands the counters to the bar every progressEvery, under the
// env's lock, so the hot path never touches the bar.
type progress struct {
	bar    *progressbar.ProgressBar
	every  time.Duration
	start  time.Time
	inputs int
	total  int64 // bytes; 0: unknown
	st     *source.Stats
	bytes  *atomic.Int64
	again  *atomic.Int64 // bytes to be read twice (source.Options.BytesAgain); nil: none
	max    int64         // the bar's total: total plus again, when known
	drawn  bool          // a line may be on the screen

	done, quit chan struct{}
}

// progressEvery is how often the counters are handed to the bar.
const progressEvery = 250 * time.Millisecond

// startProgress shows the progress of a read of inputs (total bytes, 0
// if unknown; again, the bytes read twice beyond it) on e's stderr if it
// is a terminal, and does nothing (and returns nil, which every method
// takes) if it is not.
func startProgress(e *env, inputs int, total int64, st *source.Stats, bytes, again *atomic.Int64) *progress {
	if e.noProgress || !isTerminal(e.stderr) {
		return nil
	}
	p := newProgress(e.stderr, progressEvery, inputs, total, st, bytes)
	p.again = again
	p.run(e)
	return p
}

// newProgress returns a progress line on w, updated every tick once run.
func newProgress(w io.Writer, every time.Duration, inputs int, total int64, st *source.Stats, bytes *atomic.Int64) *progress {
	p := &progress{every: every, start: time.Now(), inputs: inputs, total: total, max: total, st: st, bytes: bytes,
		done: make(chan struct{}), quit: make(chan struct{})}
	max := total
	if total <= 0 {
		max = -1 // a spinner: no bar, no time left
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(p.describe(p.start)),
		progressbar.OptionSetTheme(progressbar.ThemeASCII),
		progressbar.OptionSetWidth(20),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		// At most one draw per tick: a draw sets the throttle's clock a
		// little after the tick, so a throttle of a whole tick would skip
		// every other one.
		progressbar.OptionThrottle(every/2),
		// 0: the spinner turns at each draw, and the library starts no
		// goroutine of its own, which would draw outside the env's lock
		// and live until Finish.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionClearOnFinish(),
	)
	p.bar.StartWithoutRender() // rates and elapsed time from now
	return p
}

// run draws the line now and then every tick until stop. It makes p the
// env's progress line, which env.note clears before it prints.
func (p *progress) run(e *env) {
	e.mu.Lock()
	e.prog = p
	p.update(time.Now())
	e.mu.Unlock()
	go func() {
		defer close(p.done)
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case now := <-tick.C:
				e.mu.Lock()
				p.update(now)
				e.mu.Unlock()
			}
		}
	}()
}

// update hands the counters to the bar, which draws the line unless it
// drew one less than half a tick ago. The caller holds the env's lock.
func (p *progress) update(now time.Time) {
	done := p.bytes.Load()
	if p.total > 0 {
		// A gzip member too large to hold back until its checksum passes
		// is read twice, checked then parsed: the work, and so the bar's
		// total and the time left, grows by its second reading, which
		// the bytes done count too. Bytes done is then bytes processed,
		// and the time left counts the parsing still to come.
		if p.again != nil {
			if m := p.total + p.again.Load(); m != p.max {
				p.max = m
				p.bar.ChangeMax64(m)
			}
		}
		// The bar finishes, and clears itself, at its total; the read is
		// not over until stop (the last records are still being parsed,
		// and a Parquet file counts whole when it is opened), so hold it
		// one byte short until then.
		done = min(done, p.max-1)
	}
	// The bar takes options between draws (an Option is a func of the
	// bar; it draws from no goroutine of its own, and every call holds
	// the env's lock), so the description and the counts go out in one
	// draw, rather than one draw each.
	progressbar.OptionSetDescription(p.describe(now))(p.bar)
	// No rate yet, no time left: the library would divide by zero.
	progressbar.OptionSetPredictTime(done > 0)(p.bar)
	_ = p.bar.Set64(done) // errors only when misconfigured; a bad line is not worth failing a read
	p.drawn = true
}

// describe is the part of the line that the bar does not count: inputs
// done and records/s since the start, e.g. "3/10 inputs · 15,200 records/s ".
func (p *progress) describe(now time.Time) string {
	inputs := p.st.Inputs.Load() + p.st.InputsSkipped.Load()
	s := fmt.Sprintf("%d/%d inputs", inputs, p.inputs)
	if elapsed := now.Sub(p.start).Seconds(); elapsed >= 0.1 { // earlier, no rate yet
		if n := p.st.Records.Load(); n > 0 || p.bytes.Load() == 0 {
			s += " · " + groupDigits(int64(float64(n)/elapsed)) + " records/s"
		} else {
			// Bytes read and no record yet: gzip text is held back until
			// its member's checksum passes (a Parquet object from S3 is
			// downloaded whole first), which "0 records/s" would misstate.
			s += " · no records yet"
		}
	}
	if p.total > 0 {
		s += " " // before the bar's percentage
	}
	return s
}

// clear removes the line so that another line can be printed; the next
// tick draws it again. The caller holds the env's lock.
func (p *progress) clear() {
	if p != nil && p.drawn {
		_ = p.bar.Clear()
		p.drawn = false
	}
}

// stop ends the ticker and clears the line for good.
func (p *progress) stop(e *env) {
	if p == nil {
		return
	}
	close(p.quit)
	<-p.done
	e.mu.Lock()
	_ = p.bar.Finish() // with OptionClearOnFinish, Finish clears the line
	e.prog = nil
	e.mu.Unlock()
}

// groupDigits writes n with thousands separators: 15,200.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
