package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

type atomicInt64 = atomic.Int64

// progress shows, on a terminal's stderr only, how far a long read is:
// bytes and inputs done (of the totals when the sizes are known: files
// and S3 objects), the rates since the start (bytes and records over the
// time elapsed) and the time left at that rate. It redraws one line in
// place from the start of the read, and clears it at the end or before
// another line is printed on stderr.
type progress struct {
	w      io.Writer
	now    func() time.Time
	start  time.Time
	inputs int
	total  int64 // bytes; 0: unknown
	st     *source.Stats
	bytes  *atomic.Int64
	drawn  bool // a line is on the screen

	done, quit chan struct{}
}

// progressEvery is how often the line is redrawn.
const progressEvery = 250 * time.Millisecond

func startProgress(e *env, inputs int, total int64, st *source.Stats, bytes *atomic.Int64) *progress {
	if e.noProgress || !isTerminal(e.stderr) {
		return nil
	}
	p := newProgress(e.stderr, time.Now, inputs, total, st, bytes)
	e.prog = p
	e.mu.Lock()
	p.draw()
	e.mu.Unlock()
	go func() {
		defer close(p.done)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-tick.C:
				e.mu.Lock()
				p.draw()
				e.mu.Unlock()
			}
		}
	}()
	return p
}

// newProgress returns a progress line on w, timed by now.
func newProgress(w io.Writer, now func() time.Time, inputs int, total int64, st *source.Stats, bytes *atomic.Int64) *progress {
	return &progress{w: w, now: now, start: now(), inputs: inputs, total: total, st: st, bytes: bytes,
		done: make(chan struct{}), quit: make(chan struct{})}
}

// line is the progress line at time now, e.g.
// "[#####-----] 8.4/41.0 MB · 3/10 inputs · 2.1 MB/s · 15,200 records/s · 16s left".
func (p *progress) line(now time.Time) string {
	done := p.bytes.Load()
	inputs := p.st.Inputs.Load() + p.st.InputsSkipped.Load()
	elapsed := now.Sub(p.start).Seconds()
	var b strings.Builder
	if p.total > 0 {
		const width = 20
		filled := int(min(done, p.total) * width / p.total)
		b.WriteString("[" + strings.Repeat("#", filled) + strings.Repeat("-", width-filled) + "] ")
		b.WriteString(sizeOf(done, p.total) + " · ")
	} else {
		b.WriteString(sizeOf(done, 0) + " · ")
	}
	fmt.Fprintf(&b, "%d/%d inputs", inputs, p.inputs)
	if elapsed < 0.1 { // too early for a rate
		return b.String()
	}
	rate := float64(done) / elapsed
	b.WriteString(" · " + sizeOf(int64(rate), 0) + "/s")
	b.WriteString(" · " + groupDigits(int64(float64(p.st.Records.Load())/elapsed)) + " records/s")
	if p.total > 0 && rate > 0 && done < p.total {
		left := time.Duration(float64(p.total-done) / rate * float64(time.Second))
		b.WriteString(" · " + left.Round(time.Second).String() + " left")
	}
	return b.String()
}

// draw redraws the line in place. The caller holds the env's lock.
func (p *progress) draw() {
	_, _ = fmt.Fprint(p.w, "\r"+p.line(p.now())+"\x1b[K")
	p.drawn = true
}

// clear removes the line so that another line can be printed; the next
// tick draws it again.
func (p *progress) clear() {
	if p != nil && p.drawn {
		_, _ = fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

func (p *progress) stop(e *env) {
	if p == nil {
		return
	}
	close(p.quit)
	<-p.done
	e.mu.Lock()
	p.clear()
	e.prog = nil
	e.mu.Unlock()
}

// sizeOf says n bytes (of total, when known) in decimal units, as AWS
// bills: "8.4/41.0 MB", "950 kB".
func sizeOf(n, total int64) string {
	unit, div := "B", 1.0
	ref := max(n, total)
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		if float64(ref) < div*1000 {
			break
		}
		unit, div = u, div*1000
	}
	num := func(v int64) string {
		if div == 1 {
			return strconv.FormatInt(v, 10)
		}
		return strconv.FormatFloat(float64(v)/div, 'f', 1, 64)
	}
	if total > 0 {
		return num(n) + "/" + num(total) + " " + unit
	}
	return num(n) + " " + unit
}

// groupDigits writes n with thousands separators: 15,200.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
