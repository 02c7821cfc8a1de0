package main

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// TestProgressLine: the line is drawn from the start, and its rates are
// what was done over the time elapsed since the start, with the time left
// at that rate.
func TestProgressLine(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	now := t0
	var st source.Stats
	var bytes atomic.Int64
	var out strings.Builder
	p := newProgress(&out, func() time.Time { return now }, 10, 41_000_000, &st, &bytes)
	p.draw()
	if want := "\r[--------------------] 0.0/41.0 MB · 0/10 inputs\x1b[K"; out.String() != want {
		t.Errorf("at the start: %q, want %q", out.String(), want)
	}
	now = t0.Add(4 * time.Second)
	bytes.Store(8_400_000)
	st.Inputs.Store(2)
	st.InputsSkipped.Store(1)
	st.Records.Store(60_800)
	want := "[####----------------] 8.4/41.0 MB · 3/10 inputs · 2.1 MB/s · 15,200 records/s · 16s left"
	if got := p.line(now); got != want {
		t.Errorf("after 4 s:\n got %q\nwant %q", got, want)
	}
	// Sizes unknown (standard input, CloudWatch Logs): no bar, no time left.
	u := newProgress(&out, func() time.Time { return now }, 1, 0, &st, &bytes)
	now = now.Add(2 * time.Second)
	if got, want := u.line(now), "8.4 MB · 3/1 inputs · 4.2 MB/s · 30,400 records/s"; got != want {
		t.Errorf("unknown size:\n got %q\nwant %q", got, want)
	}
	out.Reset()
	p.clear()
	p.clear()
	if out.String() != "\r\x1b[K" {
		t.Errorf("clear wrote %q", out.String())
	}
}
