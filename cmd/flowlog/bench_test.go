package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/benchdata"
)

// benchLines is the size of the generated input of the CLI benchmarks.
const benchLines = 200_000

var benchOnce = sync.OnceValue(func() []byte { return benchdata.Lines(benchLines) })

// parseOnly reads every record of data with the library's Reader and
// nothing else: the baseline of the CLI benchmarks.
func parseOnly(b *testing.B, data []byte) {
	if n := benchdata.Read(b, data, nil, nil); n != benchLines {
		b.Fatalf("%d records", n)
	}
}

// runBench runs the CLI in-process on stdin data, output discarded.
func runBench(b *testing.B, data []byte, args ...string) {
	if code := run(args, bytes.NewReader(data), io.Discard, io.Discard); code != 0 {
		b.Fatalf("%v: exit %d", args, code)
	}
}

// ratioBench alternates the baseline and the command within every
// iteration, so that a shared machine's drift cancels, and reports the
// command's throughput as a fraction of the baseline's. Both run on one
// goroutine (--workers 1, plain-text input), and are timed in the
// process's CPU time, so that other processes on a busy machine do not
// count.
func ratioBench(b *testing.B, cmd func()) {
	data := benchOnce()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var base, got time.Duration
	for b.Loop() {
		t0 := cpuTime()
		parseOnly(b, data)
		t1 := cpuTime()
		cmd()
		t2 := cpuTime()
		base += t1 - t0
		got += t2 - t1
	}
	n := float64(b.N) * benchLines
	b.ReportMetric(n/base.Seconds(), "parse-records/s")
	b.ReportMetric(n/got.Seconds(), "records/s")
	b.ReportMetric(base.Seconds()/got.Seconds(), "x-parse-only")
}

// BenchmarkSummarizeVsParse: `flowlog summarize` over generated
// default-format lines on stdin, against parsing alone: with the default
// table (top src by bytes), two (src, dst), and three (src, dst, dstport:
// the generator's random destination ports make ~64,000 groups, one new
// group every ~3 records), and the report's three (src, dst, pair: the
// first two rolled up from the pair table's groups).
// Target: x-parse-only >= 0.7.
func BenchmarkSummarizeVsParse(b *testing.B) {
	data := benchOnce()
	for _, c := range []struct{ name, by string }{{"default", ""}, {"by-src-dst", "src,dst"}, {"by-src-dst-dstport", "src,dst,dstport"}, {"by-src-dst-pair", "src,dst,pair"}} {
		args := []string{"summarize", "--workers", "1", "-"}
		if c.by != "" {
			args = append(args, "--by", c.by)
		}
		b.Run(c.name, func(b *testing.B) { ratioBench(b, func() { runBench(b, data, args...) }) })
	}
}

// BenchmarkParseJSONVsParse: `flowlog parse` to JSON Lines against parsing
// alone, in CPU time. Target: x-parse-only >= 0.5. Measured 0.53-0.55
// (~136 CPU-ns per record against ~72 for parsing; before the
// straight-line default-format encoder and the block writes, 0.37 and
// ~193): of the ~64 ns, encoding is ~55 (the addresses ~13, the numbers
// ~16) and the rest is the CLI's input layer and loop.
func BenchmarkParseJSONVsParse(b *testing.B) {
	data := benchOnce()
	ratioBench(b, func() { runBench(b, data, "parse", "-") })
}

// BenchmarkSummarizeTwoFiles: summarize two files with one worker, then
// two, within every iteration; speedup is the best one-worker time over
// the best two-worker time (wall clock: this is about using the cores).
// Target on 2 idle cores: >= 1.7.
func BenchmarkSummarizeTwoFiles(b *testing.B) {
	data := benchOnce()
	dir := b.TempDir()
	a, c := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	if err := os.WriteFile(a, data, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(c, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(2 * int64(len(data)))
	// The fastest of the iterations of each, since on a shared machine a
	// slow iteration only says that another process had the cores.
	// cpu-ratio is the CPU time of two workers over one's: the work that
	// parallelism adds, which bounds the speedup on idle cores at
	// 2/cpu-ratio.
	one, two := time.Duration(1<<62), time.Duration(1<<62)
	var cpuOne, cpuTwo time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		runBench(b, nil, "summarize", "--workers", "1", a, c)
		t1, c1 := time.Now(), cpuTime()
		runBench(b, nil, "summarize", "--workers", "2", a, c)
		t2, c2 := time.Now(), cpuTime()
		one = min(one, t1.Sub(t0))
		two = min(two, t2.Sub(t1))
		cpuOne += c1 - c0
		cpuTwo += c2 - c1
	}
	b.ReportMetric(one.Seconds()/two.Seconds(), "speedup")
	b.ReportMetric(cpuTwo.Seconds()/cpuOne.Seconds(), "cpu-ratio")
	b.ReportMetric(2*benchLines/two.Seconds(), "records/s")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
