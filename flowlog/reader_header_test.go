package flowlog_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// A first line longer than MaxLineLength ends the input even with Lenient:
// it is where the header is, and skipping it would take the next line, a
// record, for the header (or read records without their format).
func TestOverlongHeaderEndsTheInput(t *testing.T) {
	header := "version srcaddr dstaddr " + strings.Repeat("x", 200) + "\n"
	records := "2 10.0.0.1 10.0.0.2\n2 10.0.0.3 10.0.0.4\n"
	for _, withFormat := range []bool{false, true} {
		rd := flowlog.NewReader(strings.NewReader(header + records))
		rd.Name = "long-header.log"
		rd.MaxLineLength = 100
		rd.Lenient = true
		if withFormat {
			rd.Format, _ = flowlog.ParseHeader("version srcaddr dstaddr")
		}
		_, err := rd.Read()
		if !errors.Is(err, flowlog.ErrLineTooLong) {
			t.Fatalf("format given %v: first Read: %v; want ErrLineTooLong", withFormat, err)
		}
		if rd.Err() == nil || !errors.Is(rd.Err(), flowlog.ErrLineTooLong) {
			t.Errorf("format given %v: Err() = %v; want the input ended with ErrLineTooLong", withFormat, rd.Err())
		}
		if rec, err := rd.Read(); err == nil || err == io.EOF {
			t.Errorf("format given %v: read on after the over-long first line: %v, %v", withFormat, rec, err)
		}
	}
	// A later over-long line is still skipped with Lenient.
	rd := flowlog.NewReader(strings.NewReader("version srcaddr dstaddr\n2 10.0.0.1 " + strings.Repeat("9", 200) + "\n" + records))
	rd.MaxLineLength, rd.Lenient = 100, true
	n := 0
	for {
		_, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			n++
		} else if !errors.Is(err, flowlog.ErrLineTooLong) {
			t.Fatal(err)
		}
	}
	if n != 2 {
		t.Errorf("read %d records past a long record line; want 2", n)
	}
}

// A bad header says "flowlog: " once, not again for the format error inside.
func TestBadHeaderSaysFlowlogOnce(t *testing.T) {
	rd := flowlog.NewReader(strings.NewReader("version srcaddr bogus\n2 10.0.0.1 x\n"))
	rd.Name = "bad.log"
	_, err := rd.Read()
	if !errors.Is(err, flowlog.ErrHeader) || strings.Count(err.Error(), "flowlog:") != 1 {
		t.Errorf("err = %v; want ErrHeader saying flowlog: once", err)
	}
}
