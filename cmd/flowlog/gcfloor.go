package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
)

// heapFloor is the memory the commands that count records into tables
// (summarize, investigate, report) use before their first garbage
// collection: see collectFrom.
const heapFloor = 64 << 20

// aggregates are the commands collectFrom(heapFloor) is set for.
var aggregates = map[string]bool{"summarize": true, "investigate": true, "report": true}

// collectFrom makes the runtime collect no garbage until the Go
// runtime's memory reaches floor bytes, and from the first collection on
// as by default (GOGC=100, no memory limit). A GOGC or GOMEMLIMIT in the
// environment is left to rule.
//
// Why: a command that counts records into hash tables makes its garbage
// as the tables grow (each growth leaves the smaller table behind), and
// by default the runtime collects at 4 MB and then every time the heap
// doubles: ~5 collections over 1M generated lines, each marking and
// stopping the world while the counting waits, and keeping the second
// core's idle mark worker busy. Measured with perf stat over
// 1M generated lines on stdin (flowlog generate --records 1000000),
// --workers 1, 10 alternating runs each, medians of task-clock (and
// peak RSS, /usr/bin/time): report 188 -> 183 ms (55 -> 66 MB);
// summarize --by src,dst,pair 152 -> 145 ms (47 -> 49 MB); investigate
// --all 417 -> 404 ms (169 MB both); plain summarize makes no
// collection either way (its one table stays small): 103 -> 104 ms.
// With both cores counting (report of two copies of the file, the
// default two workers) it neither gains nor loses: 345 -> 347 ms, peak
// RSS 74 -> 79 MB (6 alternating runs).
// Without the collections less memory is reused, and first touches of
// fresh memory cost page faults (report: 15,800 -> 19,200), but less
// than the collections did. The cost is bounded: at most floor
// bytes of garbage before the first collection, however large the
// input, and none for an input whose tables stay small (memory not
// allocated is not used).
func collectFrom(floor int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(floor)
	// The first collection finds the sentinel unreachable and runs the
	// cleanup, which puts back the defaults. (64 bytes: the tiny
	// allocator batches smaller pointer-free objects, whose cleanups
	// may never run.)
	sentinel := new([64]byte)
	runtime.AddCleanup(sentinel, func(struct{}) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}, struct{}{})
}
