package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// fakeTerminal stands for a terminal's stderr: it keeps every write as
// it came, so that a test sees what was drawn, cleared and printed, and
// in which order. Writes come under the env's lock; read it under the
// lock too (snapshot).
type fakeTerminal struct{ writes []string }

func (f *fakeTerminal) Write(b []byte) (int, error) {
	f.writes = append(f.writes, string(b))
	return len(b), nil
}

func (f *fakeTerminal) String() string { return strings.Join(f.writes, "") }

// snapshot is what e's fake terminal holds now.
func snapshot(e *env) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stderr.(*fakeTerminal).String()
}

// waitFor waits until the terminal shows want (within 5 s).
func waitFor(t *testing.T, e *env, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(snapshot(e), want); {
		if time.Now().After(deadline) {
			t.Fatalf("no %q on the terminal; it shows %q", want, snapshot(e))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const clearLine = "\x1b[2K\r" // the library's ANSI "erase the line, back to its start"

// TestProgressDescribe: the part of the line the library does not count,
// inputs done and records/s since the start.
func TestProgressDescribe(t *testing.T) {
	var st source.Stats
	var b atomic.Int64
	p := newProgress(&fakeTerminal{}, progressEvery, 10, 41_000_000, &st, &b)
	st.Inputs.Store(2)
	st.InputsSkipped.Store(1)
	st.Records.Store(60_800)
	for _, c := range []struct {
		after time.Duration
		total int64
		want  string
	}{
		{0, 41_000_000, "3/10 inputs "}, // too early for a rate
		{4 * time.Second, 41_000_000, "3/10 inputs · 15,200 records/s "},
		{2 * time.Second, 0, "3/10 inputs · 30,400 records/s"}, // no bar after it
	} {
		p.total = c.total
		if got := p.describe(p.start.Add(c.after)); got != c.want {
			t.Errorf("after %v, total %d: %q, want %q", c.after, c.total, got, c.want)
		}
	}
}

// TestProgressOnTerminal: with the sizes known, the line shows inputs
// done, records/s, bytes done of the total, the rate and the time
// elapsed:left; with them unknown, a spinner with the bytes and the rate
// and no time left. The line is cleared at the end.
func TestProgressOnTerminal(t *testing.T) {
	for _, c := range []struct {
		name  string
		total int64
		want  *regexp.Regexp
	}{
		{"sizes known", 41_000_000,
			regexp.MustCompile(`\r3/10 inputs · [0-9,]+ records/s +20% \[===>\.{16}\] \(8\.4/41 MB, [0-9.]+ [kMG]B/s\) \[\d+s:\d+s\]\x1b\[0K$`)},
		{"sizes unknown", 0,
			regexp.MustCompile(`\r[-\\|/] 3/10 inputs · [0-9,]+ records/s \(8\.4 MB, [0-9.]+ [kMG]B/s\) \[\d+s\] \x1b\[0K$`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var st source.Stats
			var b atomic.Int64
			e := &env{stderr: &fakeTerminal{}}
			p := newProgress(e.stderr, 10*time.Millisecond, 10, c.total, &st, &b)
			p.run(e)
			b.Store(8_400_000)
			st.Inputs.Store(2)
			st.InputsSkipped.Store(1)
			st.Records.Store(60_800)
			waitFor(t, e, "8.4")
			waitFor(t, e, "records/s") // the rate waits 0.1 s
			p.stop(e)

			writes := e.stderr.(*fakeTerminal).writes
			if got := writes[len(writes)-1]; got != clearLine {
				t.Errorf("the last write is %q, want the line cleared (%q)", got, clearLine)
			}
			var last string // the last line drawn with everything in it
			for _, w := range writes {
				if strings.Contains(w, "8.4") && strings.Contains(w, "records/s") {
					last = w
				}
			}
			if !c.want.MatchString(last) {
				t.Errorf("line %q\ndoes not match %v", last, c.want)
			}
			if e.prog != nil {
				t.Error("stop left the env's progress set")
			}
		})
	}
}

// TestProgressCountsSecondReading: a gzip member too large to hold back
// is read twice; the bar's total grows by its second reading, so that it
// is not at 99% with no time left while the member is still parsed, and
// the line says "no records yet" rather than "0 records/s" while the
// member is checked.
func TestProgressCountsSecondReading(t *testing.T) {
	var st source.Stats
	var b, again atomic.Int64
	e := &env{stderr: &fakeTerminal{}}
	p := newProgress(e.stderr, 10*time.Millisecond, 1, 1000, &st, &b)
	p.again = &again
	p.start = p.start.Add(-time.Second) // a rate from the first draw
	p.run(e)
	b.Store(990) // the first reading, which checks the member
	waitFor(t, e, "990 B/1.0 kB")
	if !strings.Contains(snapshot(e), "1/1 inputs · no records yet") && !strings.Contains(snapshot(e), "0/1 inputs · no records yet") {
		t.Errorf("while the member is checked: %q", snapshot(e))
	}
	again.Store(1000) // the second reading starts
	b.Store(1200)
	st.Records.Store(5)
	waitFor(t, e, "1.2/2.0 kB")
	p.stop(e)
	for _, line := range strings.Split(e.stderr.(*fakeTerminal).String(), "\r") {
		if strings.Contains(line, " 0 records/s") && strings.Contains(line, "990 B") {
			t.Errorf("the line said 0 records/s with bytes read: %q", line)
		}
	}
}

// TestProgressClearedBeforeNotes: a note printed while the line is
// drawn comes on a cleared line, whole, and the line is drawn again
// after it.
func TestProgressClearedBeforeNotes(t *testing.T) {
	var st source.Stats
	var b atomic.Int64
	e := &env{stderr: &fakeTerminal{}}
	p := newProgress(e.stderr, 10*time.Millisecond, 2, 1000, &st, &b)
	p.run(e)
	b.Store(100)
	waitFor(t, e, "100 B/1.0 kB")
	const msg = "x.log: no header line; reading headerless input in the default format (give --format for another)"
	e.note(msg)
	b.Store(500)
	waitFor(t, e, "500 B/1.0 kB")
	p.stop(e)

	writes := e.stderr.(*fakeTerminal).writes
	i := 0
	for i < len(writes) && writes[i] != msg+"\n" {
		i++
	}
	switch {
	case i == len(writes):
		t.Fatalf("the note is not one whole write: %q", writes)
	case i == 0 || writes[i-1] != clearLine:
		t.Errorf("the note does not come on a cleared line: %q", writes)
	case !strings.Contains(strings.Join(writes[i+1:], ""), "500 B/1.0 kB"):
		t.Errorf("the line is not drawn again after the note: %q", writes[i+1:])
	}
}

// TestProgressLeavesNoGoroutine: the library starts no goroutine of its
// own (it would draw outside the env's lock), and stop ends the ticker.
func TestProgressLeavesNoGoroutine(t *testing.T) {
	before := settledGoroutines()
	var st source.Stats
	var b atomic.Int64
	for i := range 20 {
		e := &env{stderr: &fakeTerminal{}}
		p := newProgress(e.stderr, time.Millisecond, 1, int64(i%2)*1000, &st, &b) // known and unknown sizes
		if i < 2 {
			if n := settledGoroutines(); n != before {
				t.Fatalf("newProgress started %d goroutines", n-before)
			}
		}
		p.run(e)
		b.Add(10)
		time.Sleep(2 * time.Millisecond)
		p.stop(e)
	}
	if after := settledGoroutines(); after != before {
		t.Fatalf("%d goroutines before, %d after", before, after)
	}
}

// settledGoroutines is the number of goroutines once it has not changed
// for 50 ms (goroutines of earlier tests may still be ending).
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for since, deadline := time.Now(), time.Now().Add(2*time.Second); time.Since(since) < 50*time.Millisecond && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		if m := runtime.NumGoroutine(); m != n {
			n, since = m, time.Now()
		}
	}
	return n
}

// TestProgressDrawsPerTickNotPerUpdate: the readers' side of progress is
// atomic adds only; the bar is drawn by the ticker at most once a tick,
// however many updates come, so progress costs the hot path nothing it
// would not pay anyway.
func TestProgressDrawsPerTickNotPerUpdate(t *testing.T) {
	var st source.Stats
	var b atomic.Int64
	e := &env{stderr: &fakeTerminal{}}
	const every = 20 * time.Millisecond
	p := newProgress(e.stderr, every, 1, 0, &st, &b)
	start := time.Now()
	p.run(e)
	update := func() { b.Add(1500); st.Records.Add(10) } // what source does per buffer
	if a := testing.AllocsPerRun(100_000, update); a != 0 {
		t.Errorf("an update allocates %v times", a)
	}
	updates := 0
	for time.Since(start) < 10*every {
		for range 10_000 {
			update()
		}
		updates += 10_000
	}
	elapsed := time.Since(start)
	p.stop(e)
	draws := 0
	for _, w := range e.stderr.(*fakeTerminal).writes {
		if strings.Contains(w, "inputs") {
			draws++
		}
	}
	if limit := int(elapsed/every) + 2; draws > limit {
		t.Errorf("%d draws for %d updates in %v, want at most %d (one a tick and one at the start)", draws, updates, elapsed, limit)
	}
}

// BenchmarkProgressUpdate is the readers' side of progress while the
// line is drawn: an atomic add for the bytes and one for the records.
func BenchmarkProgressUpdate(b *testing.B) {
	var st source.Stats
	var n atomic.Int64
	e := &env{stderr: &fakeTerminal{}}
	p := newProgress(e.stderr, time.Millisecond, 1, 0, &st, &n)
	p.run(e)
	defer p.stop(e)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n.Add(1500)
			st.Records.Add(10)
		}
	})
}

// TestProgressSilentOffTerminal: when stderr is not a terminal (a pipe, a
// file, a buffer), there is no progress and nothing on stderr, through
// the whole command.
func TestProgressSilentOffTerminal(t *testing.T) {
	var st source.Stats
	var b atomic.Int64
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close(); _ = w.Close() }()
	for _, stderr := range []io.Writer{&bytes.Buffer{}, w} {
		e := &env{stderr: stderr}
		if p := startProgress(e, 1, 1000, &st, &b, nil); p != nil || e.prog != nil {
			t.Errorf("progress on %T", stderr)
		}
	}

	dir := t.TempDir()
	in := filepath.Join(dir, "flows.log")
	if err := os.WriteFile(in, []byte(header+strings.Repeat(good, 10_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = errf.Close() }()
	var out bytes.Buffer
	if code := runTo(t, "", &out, errf, "summarize", "--by", "action", in); code != exitOK {
		t.Fatalf("exit status %d", code)
	}
	if got, err := os.ReadFile(errf.Name()); err != nil || len(got) != 0 {
		t.Errorf("stderr (a file) got %q (%v), want nothing", got, err)
	}
	if !strings.Contains(out.String(), "ACCEPT") {
		t.Errorf("no summary: %q", out.String())
	}
}
