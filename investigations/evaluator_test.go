package investigations_test

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func TestEvaluatorExact(t *testing.T) {
	lines := []string{
		"2 1 eni-a 198.51.100.7 10.0.0.5 50000 22 6 3 180 1700000000 1700000030 REJECT OK",
		"2 1 eni-a 198.51.100.7 10.0.0.6 50001 22 6 2 120 1700000100 1700000130 REJECT OK",
		"2 1 eni-a 198.51.100.7 10.0.0.6 50002 3389 6 1 60 1700003700 1700003730 REJECT OK",
		"2 1 eni-a 2001:db8::66 10.0.0.6 50003 3389 6 5 500 1700003800 1700003830 REJECT OK",
		"2 1 eni-a 203.0.113.1 10.0.0.6 50004 22 6 9 900 1700003900 1700003930 ACCEPT OK",
		"2 1 eni-b - - - - - - - 1700000000 1700000060 - NODATA",
	}
	run := func(name string) investigations.Result {
		inv, ok := investigations.Lookup(name)
		if !ok {
			t.Fatal(name)
		}
		ev, err := inv.NewEvaluator(flowlog.DefaultFormat())
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			r := rec(t, l)
			ev.Add(&r)
		}
		return ev.Result()
	}
	got := run("rejected-ssh-rdp")
	want := investigations.Result{
		Columns: []string{"srcaddr", "dstport", "records", "packets", "bytes"},
		Rows: [][]any{
			{"198.51.100.7", int64(22), int64(2), int64(5), int64(300)},
			{"198.51.100.7", int64(3389), int64(1), int64(1), int64(60)}, // ties by records: keys ascending
			{"2001:db8::66", int64(3389), int64(1), int64(5), int64(500)},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rejected-ssh-rdp:\n got %v\nwant %v", got, want)
	}
	h := run("bytes-per-hour")
	hour := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	wantH := [][]any{
		{hour(1699999200), "REJECT", int64(2), int64(5), int64(300)},
		{hour(1700002800), "ACCEPT", int64(1), int64(9), int64(900)},
		{hour(1700002800), "REJECT", int64(2), int64(6), int64(560)},
	}
	if !reflect.DeepEqual(h.Rows, wantH) || h.Columns[0] != "hour" {
		t.Errorf("bytes-per-hour:\n got %v\nwant %v", h.Rows, wantH)
	}
	fam := run("ipv4-vs-ipv6-bytes")
	wantF := [][]any{{"IPv4", int64(4), int64(15), int64(1260)}, {"IPv6", int64(1), int64(5), int64(500)}}
	if !reflect.DeepEqual(fam.Rows, wantF) {
		t.Errorf("families: %v", fam.Rows)
	}
	nd := run("nodata-skipdata-by-interface")
	if !reflect.DeepEqual(nd.Rows, [][]any{{"eni-b", "NODATA", int64(1)}}) {
		t.Errorf("nodata: %v", nd.Rows)
	}
	// No keys: one row of totals, even with nothing matching.
	tot := investigations.TopN(nil, investigations.Bytes, 0, investigations.Equal(flowlog.Protocol, "17"))
	ev, _ := tot.NewEvaluator(flowlog.DefaultFormat())
	if res := ev.Result(); !reflect.DeepEqual(res.Rows, [][]any{{int64(0), int64(0), int64(0)}}) {
		t.Errorf("empty totals: %v", res.Rows)
	}
}

func generated(f flowlog.Format, n int) []flowlog.Record {
	g := flowlog.NewGenerator(7, f)
	out := make([]flowlog.Record, n)
	for i := range out {
		g.Next(&out[i])
	}
	return out
}

func TestEvaluatorMerge(t *testing.T) {
	f := flowlog.AllFields()
	recs := generated(f, 5000)
	for _, inv := range investigations.Catalogue() {
		args := make([]string, len(inv.Params()))
		for i := range args {
			args[i] = recs[10].SrcAddr().String()
		}
		whole, err := inv.NewEvaluator(f, args...)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := inv.NewEvaluator(f, args...)
		b, _ := inv.NewEvaluator(f, args...)
		for i := range recs {
			whole.Add(&recs[i])
			if i%3 == 0 {
				a.Add(&recs[i])
			} else {
				b.Add(&recs[i])
			}
		}
		a.Merge(b)
		if got, want := a.Result(), whole.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: merged result differs", inv.Name)
		}
	}
}

// The evaluator keeps copies of the strings it groups by, so records
// whose strings alias a reader's buffer (ReuseRecord) are safe.
func TestEvaluatorCopiesStrings(t *testing.T) {
	f, _ := flowlog.Preset("v5")
	recs := generated(f, 3000)
	var buf bytes.Buffer
	w := flowlog.NewWriter(&buf, f)
	w.Header = true
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	inv, _ := investigations.Lookup("top-talking-instances")
	fromReader, _ := inv.NewEvaluator(f)
	rd := flowlog.NewReader(&buf)
	rd.ReuseRecord = true
	var r flowlog.Record
	for {
		err := rd.ReadInto(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		fromReader.Add(&r)
	}
	direct, _ := inv.NewEvaluator(f)
	for i := range recs {
		direct.Add(&recs[i])
	}
	if !reflect.DeepEqual(fromReader.Result(), direct.Result()) {
		t.Error("results differ when the reader reuses its buffer")
	}
}

func TestEvaluatorAddDoesNotAllocate(t *testing.T) {
	f := flowlog.AllFields()
	recs := generated(f, 2000)
	for _, inv := range investigations.Catalogue() {
		args := make([]string, len(inv.Params()))
		for i := range args {
			args[i] = "10.0.0.1"
		}
		ev, err := inv.NewEvaluator(f, args...)
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs { // create every group
			ev.Add(&recs[i])
		}
		allocs := testing.AllocsPerRun(5, func() {
			for i := range recs {
				ev.Add(&recs[i])
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per pass over existing groups", inv.Name, allocs)
		}
	}
}

// benchLines is default-format text of generated records.
func benchLines(b *testing.B, n int) ([]string, int64) {
	b.Helper()
	f := flowlog.DefaultFormat()
	recs := generated(f, n)
	lines := make([]string, n)
	var size int64
	for i := range recs {
		lines[i] = recs[i].Text(f)
		size += int64(len(lines[i]) + 1)
	}
	return lines, size
}

// BenchmarkParseOnly is the baseline for BenchmarkParseAndEvaluate: the
// same lines parsed into a reused record.
func BenchmarkParseOnly(b *testing.B) {
	lines, size := benchLines(b, 4096)
	f := flowlog.DefaultFormat()
	var r flowlog.Record
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			if err := flowlog.ParseLine(l, f, &r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseAndEvaluate parses the same lines and feeds each record
// to an evaluator: the CLI's investigate loop on one core.
func BenchmarkParseAndEvaluate(b *testing.B) {
	for _, name := range []string{"top-talkers", "top-pairs-by-bytes", "rejected-ssh-rdp", "bytes-per-hour", "rejected-by-dst-port"} {
		b.Run(name, func(b *testing.B) {
			lines, size := benchLines(b, 4096)
			f := flowlog.DefaultFormat()
			inv, _ := investigations.Lookup(name)
			ev, err := inv.NewEvaluator(f)
			if err != nil {
				b.Fatal(err)
			}
			var r flowlog.Record
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					if err := flowlog.ParseLine(l, f, &r); err != nil {
						b.Fatal(err)
					}
					ev.Add(&r)
				}
			}
		})
	}
}

// BenchmarkCondMatch is the cost of a typical CLI filter per record.
func BenchmarkCondMatch(b *testing.B) {
	f := flowlog.DefaultFormat()
	recs := generated(f, 4096)
	c := investigations.And(
		investigations.Equal(flowlog.Action, "REJECT"),
		investigations.InPrefix(flowlog.DstAddr, netip.MustParsePrefix("10.0.0.0/8")),
		investigations.Between(flowlog.DstPort, 1024, 65535),
	)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range recs {
			if c.Match(&recs[i]) {
				n++
			}
		}
	}
	_ = n
}

// cpuTime is the process's CPU time, so that the ratio below does not
// depend on how busy the shared machine is.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEvaluateVsParse alternates, within every iteration, parsing
// the lines alone and parsing them into an evaluator, and reports the
// throughput ratio (parse-only time / parse+evaluate time; 1 means the
// evaluator is free). Run with -cpu=1.
func BenchmarkEvaluateVsParse(b *testing.B) {
	for _, name := range []string{"top-talkers", "top-pairs-by-bytes", "rejected-ssh-rdp", "bytes-per-hour"} {
		b.Run(name, func(b *testing.B) {
			lines, _ := benchLines(b, 4096)
			f := flowlog.DefaultFormat()
			inv, _ := investigations.Lookup(name)
			ev, err := inv.NewEvaluator(f)
			if err != nil {
				b.Fatal(err)
			}
			var r flowlog.Record
			var parse, eval time.Duration
			for b.Loop() {
				t0 := cpuTime()
				for _, l := range lines {
					_ = flowlog.ParseLine(l, f, &r)
				}
				t1 := cpuTime()
				for _, l := range lines {
					_ = flowlog.ParseLine(l, f, &r)
					ev.Add(&r)
				}
				t2 := cpuTime()
				parse += t1 - t0
				eval += t2 - t1
			}
			n := float64(b.N) * float64(len(lines))
			b.ReportMetric(float64(parse.Nanoseconds())/n, "parse-ns/line")
			b.ReportMetric(float64(eval.Nanoseconds())/n, "parse+eval-ns/line")
			b.ReportMetric(parse.Seconds()/eval.Seconds(), "throughput-ratio")
		})
	}
}

// BenchmarkAdd is the evaluator's cost per record (parsing excluded) for
// each kind of key: addresses (hash table of typed keys), pairs, ports,
// hours, strings, and small domains counted in an array.
func BenchmarkAdd(b *testing.B) {
	f := flowlog.AllFields()
	recs := generated(f, 4096)
	cases := []struct {
		name string
		inv  investigations.Investigation
	}{
		{"src", investigations.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 10, investigations.Present(flowlog.SrcAddr))},
		{"src-dst", investigations.TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, investigations.Bytes, 10, investigations.Cond{})},
		{"dstport-protocol", investigations.TopN([]flowlog.Field{flowlog.DstPort, flowlog.Protocol}, investigations.Records, 10, investigations.Cond{})},
		{"interface", investigations.TopN([]flowlog.Field{flowlog.InterfaceID}, investigations.Bytes, 10, investigations.Cond{})},
		{"action-array", investigations.TopN([]flowlog.Field{flowlog.Action}, investigations.Bytes, 10, investigations.Cond{})},
		{"direction-protocol-array", investigations.TopN([]flowlog.Field{flowlog.FlowDirection, flowlog.Protocol}, investigations.Bytes, 10, investigations.Cond{})},
	}
	for _, name := range []string{"bytes-per-hour", "rejected-by-dst-port"} {
		inv, _ := investigations.Lookup(name)
		cases = append(cases, struct {
			name string
			inv  investigations.Investigation
		}{name, inv})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ev, err := c.inv.NewEvaluator(f)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(1) // MB/s reads as million records per second
			i := 0
			for b.Loop() {
				ev.Add(&recs[i&4095])
				i++
			}
		})
	}
}
