package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestCollectFrom: below the floor no collection; the first collection
// puts back the runtime's defaults; GOGC or GOMEMLIMIT in the
// environment is left alone.
func TestCollectFrom(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "50")
	collectFrom(1 << 40)
	if p := debug.SetGCPercent(100); p != 100 {
		t.Fatalf("with GOGC set: GC percent %d, want it left at 100", p)
	}

	t.Setenv("GOGC", "")
	collectFrom(1 << 40)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var keep [][]byte
	for range 64 { // 64 MB, far more than the default's first collection at 4 MB
		keep = append(keep, make([]byte, 1<<20))
		keep = keep[len(keep)-1:]
	}
	runtime.ReadMemStats(&after)
	if n := after.NumGC - before.NumGC; n != 0 {
		t.Errorf("%d collections below the floor, want 0", n)
	}
	if l := debug.SetMemoryLimit(-1); l != 1<<40 {
		t.Errorf("memory limit %d before the first collection, want the floor", l)
	}

	runtime.GC()
	for deadline := time.Now().Add(5 * time.Second); debug.SetMemoryLimit(-1) != math.MaxInt64; {
		if time.Now().After(deadline) {
			t.Fatal("the first collection did not put back the default memory limit")
		}
		time.Sleep(time.Millisecond)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("after the first collection: GC percent %d, want 100", p)
	}
	_ = keep
}
