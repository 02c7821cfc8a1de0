package flowlog

import (
	"bytes"
	stdgzip "compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// The fault-injection table: broken inputs, read in every mode. For each,
// reading must end, with the right error, and every record returned must
// equal the intact input's record at the same position. The intact records
// come from the generator and ParseRecord, never from a Reader.

// faultLines returns a header and n default-format lines, and their records.
func faultLines(n int) (header string, lines []string, recs []Record) {
	f := DefaultFormat()
	g := NewGenerator(5, f)
	for range n {
		r := g.Record()
		lines = append(lines, r.Text(f)+"\n")
		recs = append(recs, r)
	}
	return f.Header() + "\n", lines, recs
}

// flushedGzip compresses the lines with a sync flush after each, so that
// the compressed offset of every line's end is known: ends[i] is where the
// data through lines[i] ends.
func flushedGzip(t testing.TB, lines []string) (data []byte, ends []int) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for _, l := range lines {
		if _, err := zw.Write([]byte(l)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Flush(); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, b.Len())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), ends
}

// storedGzip compresses s without compression, so that a cut anywhere in
// the data gives its bytes up to the cut: a cut inside a line exposes the
// line's first part.
func storedGzip(t testing.TB, s string) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.NoCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkedLines is the oracle for a cut or corrupt single-member gzip
// stream: the lines of its data if the standard library's gzip reads it
// whole without error, else none, as a Reader returns no record of a
// member that did not pass gzip's check.
func checkedLines(data []byte) int {
	zr, err := stdgzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return 0
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		return 0
	}
	return bytes.Count(got, []byte{'\n'})
}

// failingReader returns data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// faultCase is one broken input.
type faultCase struct {
	name   string
	open   func() io.Reader // a fresh copy of the input
	format Format           // given format; zero: from the header
	max    int              // MaxLineLength
	want   []Record         // the intact records, in order
	// n is how many records a strict Reader returns; lenient, how many
	// it returns of want (the bad lines it skips are not in want).
	n, lenientN int
	err         error // what ends reading (strict); nil: io.EOF
	lenientErr  error // what ends lenient reading; nil: io.EOF
	lineErrs    int   // bad lines lenient reading reports and skips
}

// readFault reads a fault case in one mode and checks it.
func readFault(t *testing.T, c faultCase, concurrent, lenient, reuse bool) {
	t.Helper()
	rd := NewReader(c.open())
	rd.Name = "input.gz"
	rd.Format = c.format
	rd.MaxLineLength = c.max
	rd.Concurrent, rd.Lenient, rd.ReuseRecord = concurrent, lenient, reuse
	defer rd.Close()
	wantN, wantErr := c.n, c.err
	if lenient {
		wantN, wantErr = c.lenientN, c.lenientErr
	}
	var got []Record
	var lineErrs int
	var last error
	var r Record
	for calls := 0; ; calls++ {
		if calls > len(c.want)+c.lineErrs+10 {
			t.Fatalf("does not end: %d calls, last error %v", calls, last)
		}
		err := rd.ReadInto(&r)
		if err == nil {
			if i := len(got); i >= len(c.want) || r != c.want[i] {
				t.Fatalf("record %d is not the intact input's:\n got %+v", i, r)
			}
			got = append(got, r.Clone())
			continue
		}
		last = err
		if rd.Err() == nil {
			if !lenient {
				t.Fatalf("strict Reader goes on after %v", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Input != "input.gz" || pe.Line == 0 {
				t.Fatalf("line error %#v does not name its input and line", err)
			}
			lineErrs++
			continue
		}
		break
	}
	if rd.Err() != last {
		t.Fatalf("Err() = %v, Read returned %v", rd.Err(), last)
	}
	for range 3 {
		if err := rd.ReadInto(&r); err != last {
			t.Fatalf("error not sticky: %v, then %v", last, err)
		}
	}
	if len(got) != wantN {
		t.Errorf("%d records, want %d (ended with %v)", len(got), wantN, last)
	}
	if wantErr == nil {
		if last != io.EOF {
			t.Errorf("ended with %v, want io.EOF", last)
		}
	} else {
		var pe *ParseError
		if !errors.Is(last, wantErr) || !errors.As(last, &pe) || pe.Input != "input.gz" || !strings.Contains(last.Error(), "input.gz") {
			t.Errorf("ended with %v, want %v naming the input", last, wantErr)
		}
		if errors.Is(wantErr, ErrTruncated) && !strings.Contains(last.Error(), "truncated") {
			t.Errorf("message %q does not say truncated", last)
		}
		if len(last.Error()) > 400 {
			t.Errorf("message of %d bytes", len(last.Error()))
		}
	}
	if lenient && lineErrs != c.lineErrs {
		t.Errorf("lenient: %d line errors, want %d", lineErrs, c.lineErrs)
	}
}

func bytesInput(b []byte) func() io.Reader {
	return func() io.Reader { return bytes.NewReader(b) }
}

// streamInput hides the in-memory reader, so that the Reader takes its
// streaming path (bufio) rather than the one for in-memory input.
func streamInput(b []byte) func() io.Reader {
	return func() io.Reader { return io.MultiReader(bytes.NewReader(b)) }
}

func faultCases(t *testing.T) []faultCase {
	header, lines, recs := faultLines(40)
	all := header + strings.Join(lines, "")
	var cases []faultCase
	add := func(c faultCase) { cases = append(cases, c) }
	same := func(name string, open func() io.Reader, n int, err error) {
		add(faultCase{name: name, open: open, want: recs, n: n, lenientN: n, err: err, lenientErr: err})
	}

	// Truncated gzip, cut at line boundaries, inside lines and inside the
	// trailer: no record comes back, as the member cannot be checked.
	flushed, ends := flushedGzip(t, append([]string{header}, lines...))
	cuts := map[int]bool{}
	for i, e := range ends {
		cuts[e] = true                                     // at a line boundary
		cuts[e-1], cuts[e-4], cuts[e-5] = true, true, true // inside the sync marker
		if i > 0 {
			cuts[(ends[i-1]+e)/2] = true // inside a line
			cuts[ends[i-1]+1] = true
		}
	}
	for c := 2; c < 12; c++ { // inside the gzip header and the first block
		cuts[c] = true
	}
	for c := len(flushed) - 8; c < len(flushed); c++ { // inside the trailer
		cuts[c] = true
	}
	for c := range cuts {
		n := max(checkedLines(flushed[:c])-1, 0) // the header is no record
		same(fmt.Sprintf("flushed gzip cut at %d of %d", c, len(flushed)), bytesInput(flushed[:c]), n, ErrTruncated)
	}
	stored := storedGzip(t, all)
	for c := 2; c < len(stored); c += 37 {
		n := max(checkedLines(stored[:c])-1, 0)
		same(fmt.Sprintf("stored gzip cut at %d", c), streamInput(stored[:c]), n, ErrTruncated)
	}
	same("intact gzip", bytesInput(flushed), len(recs), nil)
	same("intact text", bytesInput([]byte(all)), len(recs), nil)

	// The example: a custom format whose last number is cut. The
	// cut-off "123" parses, but must not be returned.
	two := MustFormat(SrcAddr, Bytes)
	small := "srcaddr bytes\n1.2.3.4 1\n1.2.3.5 123456\n"
	smallRecs := []Record{must(ParseRecord("1.2.3.4 1", two)), must(ParseRecord("1.2.3.5 123456", two))}
	cutSmall := storedGzip(t, small)
	cutAt := bytes.Index(cutSmall, []byte("123456")) + 3
	add(faultCase{name: "custom format cut inside the last number", open: bytesInput(cutSmall[:cutAt]),
		want: smallRecs, n: 0, lenientN: 0, err: ErrTruncated, lenientErr: ErrTruncated})

	// A corrupt CRC or size: the data is whole, the check fails at the
	// end, and none of the member's records come back.
	for _, at := range []int{len(flushed) - 8, len(flushed) - 1} {
		bad := bytes.Clone(flushed)
		bad[at] ^= 0x40
		same(fmt.Sprintf("corrupt trailer byte %d", at), bytesInput(bad), 0, gzip.ErrChecksum)
		same(fmt.Sprintf("corrupt trailer byte %d, streamed", at), streamInput(bad), 0, ErrCorrupt)
	}

	// A gzip stream without its final block (and trailer).
	var nofinal bytes.Buffer
	zw := gzip.NewWriter(&nofinal)
	if _, err := zw.Write([]byte(all)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Flush(); err != nil {
		t.Fatal(err)
	}
	same("gzip without final block", bytesInput(nofinal.Bytes()), 0, ErrTruncated)

	// Concatenated members: all records; a truncated second member: the
	// first member's records, none of the second, and the error.
	twice := append(bytes.Clone(flushed), flushed...)
	add(faultCase{name: "concatenated gzip members", open: bytesInput(twice), want: append(recs, recs...),
		n: 2 * len(recs), lenientN: 2 * len(recs)})
	cut2 := twice[:len(flushed)+ends[10]]
	add(faultCase{name: "concatenated, second member cut", open: bytesInput(cut2), want: append(recs, recs...),
		n: len(recs), lenientN: len(recs), err: ErrTruncated, lenientErr: ErrTruncated})
	garbage := append(bytes.Clone(flushed), "trailing garbage"...)
	same("gzip with trailing garbage", bytesInput(garbage), len(recs), gzip.ErrHeader)

	// Zero bytes: no records, a clean end, with or without a format.
	same("zero bytes", bytesInput(nil), 0, nil)
	add(faultCase{name: "zero bytes, format given", open: bytesInput(nil), format: DefaultFormat(), want: recs})
	same("zero-byte gzip member", bytesInput([]byte{0x1f, 0x8b}), 0, ErrTruncated)

	// CRLF line ends read like LF, gzip or not.
	crlf := strings.ReplaceAll(all, "\n", "\r\n")
	same("CRLF", bytesInput([]byte(crlf)), len(recs), nil)
	same("CRLF gzip", bytesInput(gz(t, crlf)), len(recs), nil)
	same("CRLF, last line without terminator", bytesInput([]byte(strings.TrimSuffix(crlf, "\r\n"))), len(recs), nil)

	// A NUL byte makes its line bad; lenient skips it and goes on.
	nul := header + strings.Join(lines[:5], "") + "2 123\x00456 eni-1 - - - - - - - 1 2 - NODATA\n" + strings.Join(lines[5:], "")
	add(faultCase{name: "NUL byte", open: bytesInput(gz(t, nul)), want: recs, n: 5, lenientN: len(recs),
		err: ErrSyntax, lineErrs: 1})

	// Over-long lines: strict stops there; lenient skips the line, however
	// long, and goes on.
	for _, long := range []int{301, 70000, 300000} {
		in := header + strings.Join(lines[:7], "") + "2 " + strings.Repeat("x", long) + "\n" + strings.Join(lines[7:], "")
		add(faultCase{name: fmt.Sprintf("line of %d bytes", long), open: streamInput([]byte(in)), max: 300, want: recs,
			n: 7, lenientN: len(recs), err: ErrLineTooLong, lineErrs: 1})
		add(faultCase{name: fmt.Sprintf("gzip line of %d bytes", long), open: bytesInput(gz(t, in)), max: 300, want: recs,
			n: 7, lenientN: len(recs), err: ErrLineTooLong, lineErrs: 1})
		last := header + strings.Join(lines, "") + strings.Repeat("9", long)
		add(faultCase{name: fmt.Sprintf("last line of %d bytes without newline", long), open: streamInput([]byte(last)), max: 300,
			want: recs, n: len(recs), lenientN: len(recs), err: ErrLineTooLong, lineErrs: 1})
	}
	// A line of exactly the maximum is read, with LF or CRLF; one byte more is too long.
	va := MustFormat(Version, AccountID)
	x298, x299 := "2 "+strings.Repeat("x", 298), "2 "+strings.Repeat("x", 299)
	atMax := []Record{must(ParseRecord(x298, va)), must(ParseRecord("3 b", va))}
	add(faultCase{name: "line of exactly the maximum, CRLF", open: streamInput([]byte(x298 + "\r\n3 b\r\n")), max: 300,
		format: va, want: atMax, n: 2, lenientN: 2})
	add(faultCase{name: "line of exactly the maximum, last", open: streamInput([]byte("3 b\n" + x298)), max: 300,
		format: va, want: []Record{atMax[1], atMax[0]}, n: 2, lenientN: 2})
	add(faultCase{name: "line one byte over the maximum, CRLF", open: streamInput([]byte(x299 + "\r\n3 b\r\n")), max: 300,
		format: va, want: atMax[1:], n: 0, lenientN: 1, err: ErrLineTooLong, lineErrs: 1})

	// I/O errors from the underlying reader: the complete lines before it,
	// never the line it cut, then the error, which names the input.
	disk := errors.New("disk on fire")
	cut := len(header) + len(lines[0]) + len(lines[1]) + 20
	same("read error inside a line", func() io.Reader { return &failingReader{[]byte(all[:cut]), disk} }, 2, disk)
	same("read error at once", func() io.Reader { return &failingReader{nil, disk} }, 0, disk)
	same("plain text ending with io.ErrUnexpectedEOF", func() io.Reader {
		return &failingReader{[]byte(all[:cut]), io.ErrUnexpectedEOF}
	}, 2, ErrTruncated)
	same("gzip read error", func() io.Reader { return &failingReader{flushed[:ends[3]], disk} }, 0, disk)
	// A directory: os.Open succeeds (also for root), every read fails.
	same("directory", func() io.Reader {
		d, err := os.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}, 0, syscall.EISDIR)
	return cases
}

func must(r Record, err error) Record {
	if err != nil {
		panic(err)
	}
	return r
}

func TestReaderFaults(t *testing.T) {
	for _, c := range faultCases(t) {
		for _, concurrent := range []bool{false, true} {
			for _, lenient := range []bool{false, true} {
				for _, reuse := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/concurrent=%v/lenient=%v/reuse=%v", c.name, concurrent, lenient, reuse), func(t *testing.T) {
						readFault(t, c, concurrent, lenient, reuse)
					})
				}
			}
		}
	}
}

// TestReaderErrorExcerpt: errors quote a bounded excerpt of the input,
// however long the offending text.
func TestReaderErrorExcerpt(t *testing.T) {
	huge := strings.Repeat("z", 5<<20)
	for name, in := range map[string]string{
		"header":       "version " + huge + "\n",
		"header field": "version " + huge[:100] + " srcaddr\n2 1.2.3.4\n",
		"value":        "version account-id\n2 \x01" + huge[:1000] + "\n",
		"long line":    "version\n" + huge,
	} {
		rd := NewReader(strings.NewReader(in))
		rd.Name = name
		var err error
		for err == nil {
			_, err = rd.Read()
		}
		if err == io.EOF || len(err.Error()) > 300 || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error of %d bytes: %.300s", name, len(err.Error()), err)
		}
	}
}
