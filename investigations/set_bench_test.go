package investigations_test

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// setBenchLines is the size of BenchmarkSetAddReport's input: as many
// generated default-format lines as issue 13's report benchmark, so that
// the tables grow as large (the pair table: 116k groups, 8 MB).
const setBenchLines = 1_000_000

var setBenchData = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	f := flowlog.DefaultFormat()
	w := flowlog.NewWriter(&b, f)
	w.Header = true
	g := flowlog.NewGenerator(42, f)
	var r flowlog.Record
	for range setBenchLines {
		g.Next(&r)
		_ = w.Write(&r)
	}
	_ = w.Flush()
	return b.Bytes()
})

// readAll parses every record of data into one reused record, as a
// worker of `flowlog report` does, and gives each to add (if not nil).
func readAll(b *testing.B, data []byte, begin func(flowlog.Format), add func(*flowlog.Record)) {
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
		if n == 0 && begin != nil {
			begin(rd.Format)
		}
		if add != nil {
			add(&r)
		}
	}
}

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
				readAll(b, data, nil, nil)
				t1 := cpuTime()
				var s *investigations.Set
				readAll(b, data, func(f flowlog.Format) {
					var err error
					if s, err = investigations.NewPartialSet(f, c.tables(f), nil); err != nil {
						b.Fatal(err)
					}
					s.Begin(f)
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
