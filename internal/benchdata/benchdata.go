// Package benchdata is the input of the project's benchmarks: generated
// flow-log lines, and the loop that reads them as one worker of the
// input layer does. The CLI's, the investigations' and the report's
// benchmarks share it, so that their numbers are over the same records.
package benchdata

import (
	"bytes"
	"io"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Seed is the generator's seed of every benchmark's input
// (`flowlog generate --seed 42`).
const Seed = 42

// Lines returns n default-format lines of the seeded generator, with the
// S3 header: what `flowlog generate --seed 42 --records n` writes.
func Lines(n int) []byte {
	var b bytes.Buffer
	f := flowlog.DefaultFormat()
	w := flowlog.NewWriter(&b, f)
	w.Header = true
	g := flowlog.NewGenerator(Seed, f)
	var r flowlog.Record
	for range n {
		g.Next(&r)
		_ = w.Write(&r)
	}
	_ = w.Flush()
	return b.Bytes()
}

// Read parses every record of data into one reused record, as a worker
// of the input layer does, calls begin (if not nil) with the format
// before the first record and add (if not nil) with each, and returns
// the number of records. A parse error or an error of begin fails tb.
func Read(tb testing.TB, data []byte, begin func(flowlog.Format) error, add func(*flowlog.Record)) int {
	tb.Helper()
	rd := flowlog.NewReader(bytes.NewReader(data))
	rd.ReuseRecord = true
	var r flowlog.Record
	for n := 0; ; n++ {
		err := rd.ReadInto(&r)
		if err == io.EOF {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 && begin != nil {
			if err := begin(rd.Format); err != nil {
				tb.Fatal(err)
			}
		}
		if add != nil {
			add(&r)
		}
	}
}
