package flowlog

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestReaderConcurrentEndsItsGoroutine: a Concurrent Reader that ends on
// an error stops its decompression goroutine by itself; Close is needed
// only to stop reading early. Without that, each input that ends on an
// error would keep a goroutine and its buffers (1 MiB) for ever.
func TestReaderConcurrentEndsItsGoroutine(t *testing.T) {
	f := DefaultFormat()
	g := NewGenerator(8, f)
	var data []byte
	line := 1
	for m := range 20 {
		var b strings.Builder
		if m == 0 {
			b.WriteString(f.Header() + "\n")
		}
		for range 1000 {
			line++
			if line == 100 {
				b.WriteString("2 not a record\n")
				continue
			}
			r := g.Record()
			b.WriteString(r.Text(f) + "\n")
		}
		data = append(data, gz(t, b.String())...)
	}
	base := runtime.NumGoroutine()
	for _, in := range []io.Reader{bytes.NewReader(data), hideReader(data)} {
		rd := NewReader(in)
		rd.Concurrent = true
		n := 0
		var err error
		for err == nil {
			if _, err = rd.Read(); err == nil {
				n++
			}
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 100 || n != 98 {
			t.Fatalf("read %d records, then %v; want 98, then the bad line 100", n, err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := runtime.NumGoroutine(); got > base {
			t.Fatalf("%d goroutines after the Reader ended on an error without Close, %d before", got, base)
		}
	}
}
