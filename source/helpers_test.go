package source

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// textLog returns n generated records in format f as an S3 text object
// (header line first) and the records' lines in the default text form.
func textLog(t testing.TB, seed uint64, n int, f flowlog.Format, header bool) ([]byte, []string) {
	t.Helper()
	var b bytes.Buffer
	w := flowlog.NewWriter(&b, f)
	w.Header = header
	g := flowlog.NewGenerator(seed, f)
	var lines []string
	for range n {
		r := g.Record()
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r.Text(flowlog.AllFields()))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), lines
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func parquetLog(t testing.TB, seed uint64, n int, f flowlog.Format) ([]byte, []string) {
	t.Helper()
	var b bytes.Buffer
	w := flowlog.NewParquetWriter(&b, f)
	g := flowlog.NewGenerator(seed, f)
	var lines []string
	for range n {
		r := g.Record()
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r.Text(flowlog.AllFields()))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), lines
}

// collect is a Sink that keeps every record as text in its input's format.
type collect struct {
	mu    *sync.Mutex
	lines *[]string
	f     flowlog.Format
}

func (c *collect) Begin(_ Input, f flowlog.Format) error { c.f = f; return nil }
func (c *collect) Add(r *flowlog.Record) {
	c.mu.Lock()
	*c.lines = append(*c.lines, r.Text(flowlog.AllFields()))
	c.mu.Unlock()
}

// readAll runs every input and returns the records' lines, sorted, and
// the errors reported.
func readAll(t testing.TB, ins []Input, o *Options) ([]string, []error) {
	t.Helper()
	var mu sync.Mutex
	var lines []string
	var errs []error
	var st Stats
	Run(context.Background(), ins, o, 0, &st, func(int) Sink { return &collect{mu: &mu, lines: &lines} }, func(err error) { errs = append(errs, err) })
	sort.Strings(lines)
	return lines, errs
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func equalLines(t testing.TB, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	want = sorted(want)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("record %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func errText(errs []error) string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}
