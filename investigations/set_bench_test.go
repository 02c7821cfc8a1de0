package investigations_test

import (
	"sync"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/benchdata"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// setBenchLines is the size of BenchmarkSetAddReport's input: as many
// generated default-format lines as issue 13's report benchmark, so that
// the tables grow as large (the pair table: 116k groups, 8 MB).
const setBenchLines = 1_000_000

var setBenchData = sync.OnceValue(func() []byte { return benchdata.Lines(setBenchLines) })

// BenchmarkSetAddReport is the counting side of `flowlog report` (issue
// 13's cost target): a Set of the report's tables fed 1M parsed records.
// Every iteration parses the lines alone, then parses them into a new
// Set, and reports the difference per record as add-ns/record: the
// Set's counting cost, parsing excluded, on the process's CPU clock (so
// that a busy shared machine shows less). allocs/op are the tables'
// growth; the records themselves allocate nothing.
func BenchmarkSetAddReport(b *testing.B) {
	data := setBenchData()
	plan := report.NewPlan(investigations.Cond{}, report.DefaultTop)
	cases := []struct {
		name   string
		tables func(f flowlog.Format) []investigations.Investigation
	}{
		{"report", func(f flowlog.Format) []investigations.Investigation { return plan.Spec(f).Tables }},
		{"summarize", func(flowlog.Format) []investigations.Investigation {
			return []investigations.Investigation{summary.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 10)}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var parse, add int64
			for b.Loop() {
				t0 := cpuTime()
				benchdata.Read(b, data, nil, nil)
				t1 := cpuTime()
				var s *investigations.Set
				benchdata.Read(b, data, func(f flowlog.Format) (err error) {
					if s, err = investigations.NewPartialSet(f, c.tables(f), nil); err == nil {
						s.Begin(f)
					}
					return err
				}, func(r *flowlog.Record) { s.Add(r) })
				t2 := cpuTime()
				parse += int64(t1 - t0)
				add += int64(t2-t1) - int64(t1-t0)
			}
			n := float64(b.N) * setBenchLines
			b.ReportMetric(float64(parse)/n, "parse-ns/record")
			b.ReportMetric(float64(add)/n, "add-ns/record")
		})
	}
}
