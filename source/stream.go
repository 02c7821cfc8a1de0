package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// holdBack is the flowlog.Reader's MaxUnverified for an input that can be
// read twice (a file, an S3 object): the decompressed bytes of a gzip
// member held in memory until its checksum passes. A larger member is
// decompressed twice, once to check it and once to parse it, which costs
// ~70% more CPU for such a member (a 355 MB member, one of 3,000,000
// records: 1.4 s user time read once, 2.45 s twice) but bounds memory per
// worker at about this size rather than the member's (peak RSS 895 MB
// read once, 47 MB twice, of flowlog summarize on that file). Inputs that
// cannot be read twice (standard input from a pipe) hold up to
// Options.MaxBuffer instead.
const holdBack = 16 << 20

// peekSize is the most of an input looked at, before reading it, to tell
// its kind and format. A header line of every field is ~900 bytes.
const peekSize = 64 << 10

// openStream opens an input read front to back (a file, standard input,
// an S3 object body). It tells plain text, gzip, Parquet and CloudWatch
// Logs subscription payloads apart by their first bytes, and a text
// input's format by its first line, without consuming either. live says
// that reads may wait for data (standard input, a pipe): such an input
// is read through Options.Idle. at, if not nil, reads the same bytes as r
// by offset (a regular file, an S3 object by ranged GET): a gzip member
// larger than the small hold-back bound is then read twice (checked, then
// parsed) rather than held in memory whole; see holdBack. size is the
// input's size in bytes, or -1 if unknown.
func openStream(name string, c io.Closer, r io.Reader, o *Options, live bool, at io.ReaderAt, size int64) (RecordReader, error) {
	idle := live && o.Idle != nil
	if idle {
		r = &idleReader{r: r, idle: o.Idle}
	}
	if o.BytesRead != nil {
		r = &countingReader{r: r, n: o.BytesRead}
	}
	// As large as the look-ahead and no larger: flowlog.Reader reads a
	// buffer of this size at a time, which then bypasses br once its
	// peeked bytes are read, rather than being copied through it.
	br := bufio.NewReaderSize(r, peekSize)
	s, err := sniff(br)
	if err != nil {
		return nil, err
	}
	if s.empty {
		if strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".parquet") {
			return nil, &flowlog.ParseError{Err: flowlog.ErrTruncated, Msg: "empty file, but its name says gzip or Parquet, which are never empty"}
		}
		if !o.EmptyOK {
			return nil, ErrEmpty
		}
	}
	head := s.head
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		// Parquet is read by offset: read whole, within MaxBuffer.
		data, err := readAllBounded(br, s.gz, o.maxBuffer())
		if err != nil {
			return nil, err
		}
		return openParquet(name, bytes.NewReader(data), int64(len(data)), c, o)
	case isJSONStart(head), bytes.HasPrefix(head, []byte("H4sI")): // base64 of gzip: payloads as delivered
		return openSubscriptions(name, br, s.gz, c, o)
	}
	rd := flowlog.NewReader(br)
	rd.ReuseRecord = true
	rd.Lenient = o.Lenient
	rd.MaxUnverified = int(min(o.maxBuffer(), math.MaxInt))
	if at != nil {
		rd.InputAt = at
		if o.BytesRead != nil && size >= 0 {
			rd.InputAt = &countingAt{at: at, size: size, read: o.BytesRead, again: o.BytesAgain}
		}
		rd.MaxUnverified = int(min(int64(o.holdBack()), o.maxBuffer())) // a smaller --max-buffer holds less
	}
	// Decompress on another core, ahead of parsing, unless Run keeps
	// every core busy with a worker already, or Idle must be called on
	// the reading goroutine.
	rd.Concurrent = s.gz && !o.inline.Load() && !idle
	if first, ok := firstLine(head, s.complete); ok {
		if _, herr := flowlog.ParseHeader(string(first)); herr == nil {
			// The header gives the format, even if Format is set: each
			// S3 object says what it holds.
		} else if !o.Format.IsZero() {
			rd.Format = o.Format
		} else {
			var rec flowlog.Record
			if isCSVHeader(first) {
				return nil, fmt.Errorf("%w: a CSV header line", ErrConvertOutput)
			}
			if perr := flowlog.ParseLine(string(first), flowlog.DefaultFormat(), &rec); perr != nil {
				var pe *flowlog.ParseError
				if errors.As(perr, &pe) {
					pe.Line = 1
				}
				return nil, fmt.Errorf("%w: %w", ErrUnknownFormat, perr)
			}
			rd.Format = flowlog.DefaultFormat()
			o.notifyDefault(name)
		}
	} else {
		rd.Format = o.Format
	}
	return &textReader{name: name, rd: rd, c: c, emptyOK: o.EmptyOK}, nil
}

// sniffed is what the first bytes of an input say.
type sniffed struct {
	empty    bool   // the input has no bytes at all
	gz       bool   // the input is gzip
	head     []byte // its first bytes, decompressed if gz
	complete bool   // head is the whole (decompressed) input
}

// sniff looks at the start of br, without consuming it, until it can tell
// the input's kind and, for text, its first line: it stops at the first
// complete non-blank line (of the decompressed text, for gzip), at
// peekSize bytes, or at the end of the input or an error, whichever comes
// first. Each look waits only for the next read of br to return, so a
// slow pipe (tail -f file | flowlog parse -) is read as soon as its first
// line arrives. An error is returned only when no byte could be read; a
// later one is met again by the reader.
func sniff(br *bufio.Reader) (sniffed, error) {
	want := 1
	for {
		_, err := br.Peek(want)
		peek, _ := br.Peek(min(br.Buffered(), peekSize)) // all there is
		if len(peek) == 0 {
			if err == io.EOF {
				return sniffed{empty: true, complete: true}, nil
			}
			return sniffed{}, err
		}
		ended := err != nil
		s := sniffed{head: peek, complete: err == io.EOF}
		switch {
		case len(peek) >= 2 && peek[0] == 0x1f && peek[1] == 0x8b:
			s.gz = true
			s.head, s.complete = gunzipHead(peek)
		case len(peek) == 1 && peek[0] == 0x1f && !ended:
			want = 2 // perhaps gzip: wait for its second magic byte
			continue
		}
		if ended || len(peek) >= peekSize || decided(s) {
			return s, nil
		}
		want = min(max(br.Buffered(), len(peek))+1, peekSize)
	}
}

// gunzipHead decompresses what it can of the gzip data at the start of
// peek, up to peekSize bytes; complete says the data ended cleanly there.
func gunzipHead(peek []byte) ([]byte, bool) {
	zr, err := gzip.NewReader(bytes.NewReader(peek))
	if err != nil {
		return nil, false
	}
	head, err := io.ReadAll(io.LimitReader(zr, peekSize))
	return head, err == nil && len(head) < peekSize
}

// decided reports whether s says enough to open the input: its kind from
// its first bytes and, for text, its first line.
func decided(s sniffed) bool {
	h := s.head
	if isJSONStart(h) {
		return true
	}
	for _, magic := range []string{"PAR1", "H4sI"} {
		n := min(len(h), len(magic))
		if string(h[:n]) == magic[:n] {
			return n == len(magic) // a prefix of it: wait for the rest
		}
	}
	_, ok := firstLine(h, s.complete)
	return ok
}

// isJSONStart reports whether b starts, after white space, with a JSON
// object.
func isJSONStart(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// firstLine returns the first non-blank line of head. The last line of
// head counts only if head is the whole input (complete).
func firstLine(head []byte, complete bool) ([]byte, bool) {
	for len(head) > 0 {
		line, rest, found := bytes.Cut(head, []byte{'\n'})
		if !found && !complete {
			return nil, false
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.Trim(line, " ")) > 0 {
			return line, true
		}
		head = rest
	}
	return nil, false
}

// readAllBounded reads the rest of br, gunzipped if gz, and fails with
// ErrTooLarge past max bytes.
func readAllBounded(br *bufio.Reader, gz bool, max int64) ([]byte, error) {
	var r io.Reader = br
	if gz {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		r = zr
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, inputError(err)
	}
	if int64(len(data)) > max {
		return nil, tooLarge(max)
	}
	return data, nil
}

// inputError says "truncated" for an input that ends early, as
// flowlog.Reader does.
func inputError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrTruncated, err), Msg: "the input ends early"}
	}
	return err
}

// idleReader calls idle before each read, which may wait for data.
type idleReader struct {
	r    io.Reader
	idle func()
}

func (i *idleReader) Read(p []byte) (int, error) {
	i.idle()
	return i.r.Read(p)
}

// countingAt counts the bytes of the second reading of a gzip member in
// read, and the work a second reading adds in again: from its start to
// the input's end (the Reader reads the rest of the input through it),
// less what an earlier second reading, which ends there, did not read.
type countingAt struct {
	at      io.ReaderAt
	size    int64
	read    *atomic.Int64
	again   *atomic.Int64
	started bool
	next    int64 // the offset after the last byte read
}

func (c *countingAt) ReadAt(p []byte, off int64) (int, error) {
	if off != c.next || !c.started { // a second reading starts
		add := c.size - off
		if c.started {
			add = c.next - off
		}
		if c.again != nil && add > 0 {
			c.again.Add(add)
		}
		c.started = true
	}
	n, err := c.at.ReadAt(p, off)
	c.next = off + int64(n)
	c.read.Add(int64(n))
	return n, err
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// textReader reads plain-text and gzip inputs with a flowlog.Reader.
type textReader struct {
	name    string
	rd      *flowlog.Reader
	c       io.Closer
	records int64
	bad     int64
	emptyOK bool // no records is no error
	err     error
}

func (t *textReader) ReadInto(r *flowlog.Record) error {
	if t.err != nil {
		return t.err
	}
	err := t.rd.ReadInto(r)
	if err == nil {
		t.records++
		return nil
	}
	if err == io.EOF {
		if t.records == 0 && t.bad == 0 && !t.emptyOK {
			if t.rd.HasHeader() {
				err = ErrNoRecords
			} else {
				err = ErrEmpty
			}
			t.err = ending(t.name, err)
			return t.err
		}
		t.err = io.EOF
		return io.EOF
	}
	if pe := (*flowlog.ParseError)(nil); errors.Is(err, flowlog.ErrMemberTooLarge) && errors.As(err, &pe) {
		pe.Msg += "; --max-buffer sets the bound"
	}
	if t.rd.Lenient && t.rd.Err() == nil {
		t.bad++ // a bad line, skipped
		return wrap(t.name, err)
	}
	t.err = ending(t.name, err)
	return t.err
}

func (t *textReader) Format() flowlog.Format { return t.rd.Format }

func (t *textReader) Close() error {
	_ = t.rd.Close() // stops its goroutine; never fails
	return t.c.Close()
}

// isCSVHeader reports whether line is a CSV header of flow-log column
// names, as convert --to csv writes.
func isCSVHeader(line []byte) bool {
	if !bytes.Contains(line, []byte{','}) {
		return false
	}
	_, err := flowlog.ParseColumns(strings.Split(string(line), ","))
	return err == nil
}

// isJSONLines reports whether data begins with a one-line JSON object of
// flow-log columns, as convert --to jsonl writes, rather than a
// subscription payload.
func isJSONLines(data []byte) bool {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	var obj map[string]json.RawMessage
	if json.Unmarshal(line, &obj) != nil {
		return false
	}
	if _, ok := obj["logEvents"]; ok {
		return false
	}
	for k := range obj {
		if _, ok := flowlog.FieldByName(k); ok {
			return true
		}
	}
	return false
}
