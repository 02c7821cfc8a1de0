package investigations_test

import (
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
)

// BenchmarkReportResults times Set.Results alone for the tables of
// `flowlog report` (report.Plan's spec) over 1M generated default-format
// records (seed 42, as `flowlog generate` and the report benchmark in
// cmd/flowlog): the answer side of the report's computation (the pair
// table's 116k groups, the rejected-port table's 69k, the sources and
// destinations rolled up from the pairs, the totals), counted once
// before the timing.
func BenchmarkReportResults(b *testing.B) {
	f := flowlog.DefaultFormat()
	spec := report.NewPlan(investigations.Cond{}, report.DefaultTop).Spec(f)
	set, err := investigations.NewSet(f, spec.Tables, spec.Args)
	if err != nil {
		b.Fatal(err)
	}
	g := flowlog.NewGenerator(42, f)
	var r flowlog.Record
	for range 1_000_000 {
		g.Next(&r)
		set.Add(&r)
	}
	b.ReportAllocs()
	t0 := cpuTime()
	for b.Loop() {
		if res := set.Results(); len(res) != len(spec.Tables) {
			b.Fatalf("%d results for %d tables", len(res), len(spec.Tables))
		}
	}
	b.ReportMetric(float64(cpuTime()-t0)/float64(b.N), "cpu-ns/op")
}
