package review

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// manyFlowLogs returns good.yaml with n more flow logs to its log group.
func manyFlowLogs(tb testing.TB, n int) *Template {
	tb.Helper()
	data, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	g := string(data)
	i, j := strings.Index(g, "  CwlFlowLog:\n"), strings.Index(g, "  Bucket:\n")
	block := g[i:j]
	var b strings.Builder
	b.WriteString(g[:j])
	for k := range n {
		b.WriteString(strings.Replace(block, "CwlFlowLog:", fmt.Sprintf("CwlFlowLog%d:", k), 1))
	}
	b.WriteString(g[j:])
	tpl, err := Parse("many.yaml", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return tpl
}

// BenchmarkExplainManyFlowLogs measures Explain on templates with many flow
// logs; the time per flow log must stay flat as their number grows.
func BenchmarkExplainManyFlowLogs(b *testing.B) {
	for _, n := range []int{500, 5000, 20000} {
		tpl := manyFlowLogs(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Explain(tpl)
			}
		})
	}
}

// BenchmarkCompareManyFlowLogs measures Compare of two templates with many flow logs.
func BenchmarkCompareManyFlowLogs(b *testing.B) {
	for _, n := range []int{500, 5000} {
		base, head := manyFlowLogs(b, n), manyFlowLogs(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compare(base, head)
			}
		})
	}
}

// Reviewing N flow logs costs about N times one flow log, not N²: the bytes
// Explain and Compare allocate per flow log stay flat from 200 to 2,000 flow
// logs (they grew tenfold when each flow log re-listed and sorted every
// resource and matched against every other flow log: 20,000 flow logs took
// over a minute). Bytes, not time, so that a busy machine cannot fail it.
func TestReviewScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds templates of 2,000 flow logs")
	}
	perFlowLog := func(n int, f func(base, head *Template)) float64 {
		base, head := manyFlowLogs(t, n), manyFlowLogs(t, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f(base, head)
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	}
	for name, f := range map[string]func(base, head *Template){
		"Explain": func(_, head *Template) { Explain(head) },
		"Compare": func(base, head *Template) { Compare(base, head) },
	} {
		small, large := perFlowLog(200, f), perFlowLog(2000, f)
		if large > 2.5*small {
			t.Errorf("%s: %.0f bytes per flow log with 200 flow logs, %.0f with 2,000; want it about flat", name, small, large)
		}
		t.Logf("%s: %.0f bytes per flow log with 200 flow logs, %.0f with 2,000", name, small, large)
	}
}
