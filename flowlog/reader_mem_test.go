package flowlog

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestReaderGzipInputKinds checks that in-memory inputs, which gzip reads
// directly, and other readers, which go through a bufio.Reader, give the
// same records and errors.
func TestReaderGzipInputKinds(t *testing.T) {
	one := gz(t, s3Object)
	inputs := map[string][]byte{
		"gzip":         one,
		"concatenated": append(append([]byte(nil), one...), one...),
		"truncated":    one[:len(one)-5],
		"garbage":      append(append([]byte(nil), one...), "xyz"...),
		"header only":  one[:10],
		"plain":        []byte(s3Object),
		"magic only":   {0x1f, 0x8b},
		"one byte":     {0x1f},
	}
	for name, in := range inputs {
		outcome := func(r io.Reader) string {
			rd := NewReader(r)
			recs, errs := readAll(t, rd)
			return fmt.Sprint(recs, errs, rd.Line())
		}
		want := outcome(struct{ io.Reader }{bytes.NewReader(in)})
		advanced := bytes.NewReader(append([]byte("xx"), in...))
		advanced.Seek(2, io.SeekStart)
		for kind, r := range map[string]io.Reader{
			"bytes.Reader":    bytes.NewReader(in),
			"strings.Reader":  strings.NewReader(string(in)),
			"advanced reader": advanced,
		} {
			if got := outcome(r); got != want {
				t.Errorf("%s via %s:\n got %s\nwant %s", name, kind, got, want)
			}
		}
	}
}

// TestGrowGzipJumpsToBound: past a few MiB, the hold-back buffer grows to
// its bound at once rather than doubling, which left each smaller copy
// resident beside the last (peak RSS ~2.5 times the bytes held).
func TestGrowGzipJumpsToBound(t *testing.T) {
	for _, tc := range []struct{ from, want int }{
		{64 << 10, 128 << 10},
		{4 << 20, 8<<20 + 0},
		{8 << 20, 1<<20 + 64<<20 + 4<<10},
	} {
		r := &Reader{gzip: true, max: 1 << 20, limit: 64 << 20, buf: make([]byte, tc.from)}
		r.grow()
		if len(r.buf) < tc.want || (tc.from >= 8<<20 && len(r.buf) != tc.want) {
			t.Errorf("grow from %d: %d bytes, want %d", tc.from, len(r.buf), tc.want)
		}
	}
}
