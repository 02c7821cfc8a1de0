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
