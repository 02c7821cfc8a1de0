package main

import (
	"bufio"
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// reportBenchLines is the size of the report benchmarks' input.
const reportBenchLines = 1_000_000

var reportBenchData = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	f := flowlog.DefaultFormat()
	w := flowlog.NewWriter(&b, f)
	w.Header = true
	g := flowlog.NewGenerator(42, f)
	var r flowlog.Record
	for range reportBenchLines {
		g.Next(&r)
		_ = w.Write(&r)
	}
	_ = w.Flush()
	return b.Bytes()
})

// readInto reads every record of data into begin and add, as one worker of
// the input layer does.
func readInto(b *testing.B, data []byte, begin func(flowlog.Format) error, add func(*flowlog.Record)) {
	rd := flowlog.NewReader(bytes.NewReader(data))
	rd.ReuseRecord = true
	var r flowlog.Record
	for n := 0; ; n++ {
		err := rd.ReadInto(&r)
		if err == io.EOF {
			return
		}
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			if err := begin(rd.Format); err != nil {
				b.Fatal(err)
			}
		}
		add(&r)
	}
}

// BenchmarkReportVsSummarize measures `flowlog report` over 1M generated
// default-format lines on stdin against `flowlog summarize --json`,
// alternating them within every iteration so that a shared machine's drift
// cancels:
//
//   - x-summarize: the report command over summarize with its default
//     tables (src, dst, dstport);
//   - x-summarize-pair: over summarize with the report's top-N tables
//     (--by src,dst,dstport,pair), which `summarize --json` must be given
//     to show what the page shows;
//   - x-same-computation: the report (its summary, Build and Write) over
//     the same summary.Spec written as summarize's JSON: what drawing the
//     page costs on top of its one computation. Target: <= 1.3.
func BenchmarkReportVsSummarize(b *testing.B) {
	data := reportBenchData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var sumDefault, sumPair, rep, sameSum, sameRep time.Duration
	for b.Loop() {
		t0 := time.Now()
		runBench(b, data, "summarize", "--json", "--workers", "1", "-")
		t1 := time.Now()
		runBench(b, data, "summarize", "--json", "--workers", "1", "--by", "src,dst,dstport,pair", "-")
		t2 := time.Now()
		runBench(b, data, "report", "--workers", "1", "-", "-o", "-")
		t3 := time.Now()

		// The same computation, two views.
		plan := report.NewPlan(investigations.Cond{}, report.DefaultTop)
		var s *summary.Summarizer
		readInto(b, data, func(f flowlog.Format) (err error) {
			s, err = summary.New(plan.Spec(f))
			if err != nil {
				return err
			}
			return s.Begin(f)
		}, func(r *flowlog.Record) { s.Add(r) })
		if err := writeSummary(io.Discard, s.Summary(), "json", true); err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		c := plan.Collector()
		readInto(b, data, c.Begin, c.Add)
		w := bufio.NewWriter(io.Discard)
		if err := report.Write(w, report.Build(c, report.Meta{})); err != nil {
			b.Fatal(err)
		}
		t5 := time.Now()
		sumDefault += t1.Sub(t0)
		sumPair += t2.Sub(t1)
		rep += t3.Sub(t2)
		sameSum += t4.Sub(t3)
		sameRep += t5.Sub(t4)
	}
	n := float64(b.N) * reportBenchLines
	b.ReportMetric(n/rep.Seconds(), "report-records/s")
	b.ReportMetric(rep.Seconds()/sumDefault.Seconds(), "x-summarize")
	b.ReportMetric(rep.Seconds()/sumPair.Seconds(), "x-summarize-pair")
	b.ReportMetric(sameRep.Seconds()/sameSum.Seconds(), "x-same-computation")
}
