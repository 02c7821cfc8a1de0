package report

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"time"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// generatedCollector returns a collector of n records of the seeded
// generator (the CLI benchmarks' data, seed 42).
func generatedCollector(b *testing.B, n int) *Collector {
	f := fl.DefaultFormat()
	c := NewPlan(investigations.Cond{}, DefaultTop).Collector()
	if err := c.Begin(f); err != nil {
		b.Fatal(err)
	}
	g := fl.NewGenerator(42, f)
	var r fl.Record
	for range n {
		g.Next(&r)
		c.Add(&r)
	}
	return c
}

// BenchmarkWrite: drawing the page of 200,000 generated records (its
// numbers computed once): what `flowlog report` costs after Build.
// When html/template drew every mark and cell: ~2.4 ms and 25,000
// allocations for the ~116 KB page (its escapers and field lookups are
// reflect calls; ~60% of it in the two time charts' 224 marks and their
// tables). With the sections drawn in Go (htmlBuf) and the template
// keeping the skeleton: ~0.21 ms and ~660 allocations.
func BenchmarkWrite(b *testing.B) {
	p := Build(generatedCollector(b, 200_000), Meta{Generated: time.Unix(0, 0)})
	var page bytes.Buffer
	if err := Write(&page, p); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(page.Len()))
	b.ReportAllocs()
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	for b.Loop() {
		if err := Write(w, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild: turning the summary of 200,000 generated records into
// a page (Build), summary included.
func BenchmarkBuild(b *testing.B) {
	c := generatedCollector(b, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		Build(c, Meta{Generated: time.Unix(0, 0)})
	}
}
