package flowlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/klauspost/compress/gzip"
)

// Reader reads flow-log records from plain text, like [encoding/csv.Reader]:
// one record per line, fields separated by runs of spaces.
//
// The input may be gzip-compressed (detected by its magic bytes, as S3
// delivery writes .log.gz objects; concatenated gzip members are read in
// turn). If its first line is a header of field names, as in S3 objects,
// the header gives the format; otherwise records are in Format, as in
// CloudWatch Logs events, which have no header. Blank lines, and repeats of
// the header line (as in concatenated objects), are skipped.
//
// Only a complete line becomes a record: one ended by a newline, or the
// last line of an input that ended cleanly. An error that is not about one
// line (an I/O error, a truncated or corrupt gzip stream) ends reading,
// Lenient or not: every later call returns it again, and the line it cut
// off is never returned. Records returned before a gzip checksum error
// came from data the checksum does not vouch for: gzip can only check a
// member at its end.
//
// Set the exported fields before the first call to Read.
type Reader struct {
	// Name names the input in errors (as [ParseError.Input]), e.g. a file
	// name.
	// Default: - errors name no input.
	Name string

	// MaxLineLength is the longest line, in bytes without its line
	// terminator, that Read accepts; a longer line is a *ParseError
	// wrapping ErrLineTooLong, and only its first bytes are kept in memory.
	// Default: - DefaultMaxLineLength.
	MaxLineLength int

	// Format is the format of the records. If it is the zero Format, the
	// input must start with a header line. If it is set and the input has
	// a header, the two must agree.
	Format Format

	// Lenient makes Read go on after a bad line: each bad line (a record
	// that does not parse, or a line that is too long) is reported by one
	// call to Read returning a *ParseError, and the next call reads the
	// next line. Errors that are not about one line still end reading; see
	// [Reader.Err]. By default, Read returns the first error again on
	// every later call.
	Lenient bool

	// ReuseRecord lets string fields of returned records alias the
	// Reader's buffer, so that reading does not allocate. They are then
	// valid only until the next call to Read or ReadInto; use
	// [Record.Clone] to keep a record. By default, each line with string
	// fields is copied once (one allocation per record).
	ReuseRecord bool

	// Concurrent makes the Reader decompress gzip input in a separate
	// goroutine, a few buffers ahead, so that decompression and parsing
	// overlap on two cores. Call Close if you stop reading before the end
	// of the input or an error, to stop the goroutine.
	Concurrent bool

	in     io.Reader
	pipe   *pipe
	src    io.Reader // the decompressed input
	buf    []byte    // lines: buf[head:tail] is read but not yet returned
	head   int
	tail   int
	srcErr error // from src, returned once buf is drained
	gzip   bool  // src decompresses gzip
	max    int   // MaxLineLength in effect
	skip   bool  // dropping the rest of a line that is too long
	line   int
	err    error // sticky
	begun  bool
	seen   bool // the first non-blank line has been read
	fast   bool // the default-format fast path applies
	header bool
}

// DefaultMaxLineLength is the default [Reader.MaxLineLength]: 1 MiB, far
// more than a record of every field needs (its six tag values, at most 256
// characters each, take at most 18 KiB even percent-encoded), and little
// enough memory for a Reader to hold.
const DefaultMaxLineLength = 1 << 20

// NewReader returns a Reader of records from r.
func NewReader(r io.Reader) *Reader { return &Reader{in: r} }

// Close stops the decompression goroutine of a Concurrent Reader. It does
// not close the underlying io.Reader. Read returns an error after Close.
func (r *Reader) Close() error {
	if r.pipe != nil {
		r.pipe.close()
	}
	if r.err == nil {
		r.err = errClosed
	}
	return nil
}

var errClosed = errors.New("flowlog: read from closed Reader")

// Err returns the error that ended reading, which every later call to
// Read returns again: io.EOF at the end of the input, or an error that
// is not about one line. It returns nil while Read may still return
// records. With Lenient set, an error from Read that leaves Err nil was
// about one line, which was skipped.
func (r *Reader) Err() error { return r.err }

// Line returns the 1-based number of the last line read.
func (r *Reader) Line() int { return r.line }

// HasHeader reports whether the input started with a header line. It is
// meaningful after the first call to Read.
func (r *Reader) HasHeader() bool { return r.header }

// Read reads the next record. At the end of the input it returns io.EOF.
func (r *Reader) Read() (Record, error) {
	var rec Record
	err := r.ReadInto(&rec)
	return rec, err
}

// ReadInto reads the next record into rec, replacing its contents. With
// ReuseRecord set it does not allocate.
func (r *Reader) ReadInto(rec *Record) error {
	// The steady state of reading default-format records with
	// ReuseRecord: a whole, non-blank line without '\r' is in the
	// buffer, and rec holds no foreign field. Anything else, and any line
	// the fast path refuses, takes the general path below.
	if r.fast && r.err == nil && rec.has.within(r.Format.mask) {
		if i := bytes.IndexByte(r.buf[r.head:r.tail], '\n'); i > 0 && i <= r.max {
			b := r.buf[r.head : r.head+i]
			if b[0] != ' ' && b[i-1] != '\r' && rec.parseDefault(unsafe.String(&b[0], i)) {
				r.head += i + 1
				r.line++
				return nil
			}
		}
	}
	if r.err != nil {
		return r.err
	}
	if !r.begun {
		if err := r.begin(); err != nil {
			r.err = err
			return err
		}
	}
	for {
		b, err := r.readLine()
		if err != nil {
			if !r.Lenient || !errors.Is(err, ErrLineTooLong) {
				r.err = err
			}
			return err
		}
		if isBlank(b) {
			continue
		}
		if !r.seen {
			r.seen = true
			done, err := r.firstLine(b)
			if err != nil {
				err.(*ParseError).Input = r.Name
				r.err = err
				return err
			}
			r.fast = r.ReuseRecord && r.Format.def
			if done {
				continue
			}
		}
		var s string
		if r.ReuseRecord || !r.Format.mask.meets(stringMask) {
			s = unsafe.String(unsafe.SliceData(b), len(b))
		} else {
			s = string(b)
		}
		// The default format's fast path, without parseLine's checks,
		// which do not apply: the line has no terminator and rec holds
		// no field outside the format. Any line it refuses goes the
		// long way.
		if r.Format.def && rec.has.within(r.Format.mask) && rec.parseDefault(s) {
			return nil
		}
		if err := parseLine(s, &r.Format, rec); err != nil {
			if r.header {
				// Concatenated S3 objects (cat a.log.gz b.log.gz) repeat
				// the header line; skip repeats of the same header.
				if h, herr := ParseHeader(s); herr == nil && h == r.Format {
					continue
				}
			}
			pe := err.(*ParseError)
			pe.Input, pe.Line = r.Name, r.line
			if !r.Lenient {
				r.err = pe
			}
			return pe
		}
		return nil
	}
}

var stringMask = func() fieldSet {
	var m fieldSet
	for f := Field(1); f < numFields; f++ {
		if f.Kind() == KindString {
			m.add(f)
		}
	}
	return m
}()

// firstLine handles the first non-blank line: a header, or the first record.
// It reports whether the line was consumed as a header.
func (r *Reader) firstLine(b []byte) (bool, error) {
	// A record starts with a number or "-"; a field name never does. Such
	// a line is not parsed as a header, which would look for the field
	// names it resembles.
	if b[0] >= '0' && b[0] <= '9' || b[0] == '-' {
		if r.Format.n != 0 {
			return false, nil // a record
		}
		return false, &ParseError{Line: r.line, Err: ErrNoFormat, Msg: "no format given and the input has no header line"}
	}
	h, herr := ParseHeader(string(b))
	if herr == nil {
		if r.Format.n != 0 && h != r.Format {
			return false, &ParseError{Line: r.line, Err: ErrHeader,
				Msg: fmt.Sprintf("header %q does not match format %q", h.Header(), r.Format.Header())}
		}
		r.Format = h
		r.header = true
		return true, nil
	}
	if r.Format.n != 0 {
		return false, nil // a record
	}
	return false, &ParseError{Line: r.line, Err: fmt.Errorf("%w: %w", ErrHeader, herr)}
}

// memReader is an in-memory input (*bytes.Reader, *strings.Reader) whose
// first bytes can be looked at without reading them.
type memReader interface {
	io.Reader
	io.ReaderAt
	io.ByteReader
	Size() int64
	Len() int
}

func (r *Reader) begin() error {
	r.begun = true
	var zin io.Reader // the input of the gzip reader
	src := r.in
	if m, ok := r.in.(memReader); ok {
		// Hand the in-memory reader itself to gzip, which then decodes
		// from it directly rather than through a bufio.Reader (~15%
		// faster decompression).
		var magic [2]byte
		if n, _ := m.ReadAt(magic[:], m.Size()-int64(m.Len())); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zin = m
		}
	} else {
		br := bufio.NewReaderSize(r.in, 64<<10)
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zin = br
		}
		src = br // reads of a buffer's size or more bypass its copy
	}
	if zin != nil {
		r.gzip = true
		zr, err := gzip.NewReader(zin)
		if err != nil {
			return r.inputError(err)
		}
		src = zr
		if r.Concurrent {
			r.pipe = newPipe(zr)
			src = r.pipe
		}
	}
	r.src = src
	r.buf = make([]byte, 64<<10)
	r.max = r.MaxLineLength
	if r.max <= 0 {
		r.max = DefaultMaxLineLength
	}
	return nil
}

// inputError is the error for err from the input: it ends reading. The
// line it names is the first one not returned.
func (r *Reader) inputError(err error) error {
	pe := &ParseError{Input: r.Name, Line: r.line + 1, Err: err}
	switch {
	case err == io.ErrUnexpectedEOF:
		pe.Err = fmt.Errorf("%w (%w)", ErrTruncated, err)
		pe.Msg = "the input ends early"
		if r.gzip {
			pe.Msg = "the input ends inside gzip data"
		}
		pe.Msg += "; this line and any after it are lost"
	case errors.Is(err, gzip.ErrChecksum):
		pe.Msg = "records read before this error from the same gzip member may be wrong"
	}
	return pe
}

// readLine returns the next complete line without its terminator. It
// returns io.EOF only when there is no more data, and an input error, which
// ends reading, when the input ends otherwise; a line the input cut off is
// not returned. A line longer than r.max is an ErrLineTooLong error, after
// which reading goes on at the next line. readLine splits lines in its own
// buffer rather than with bufio.Reader.ReadSlice, which costs several times
// more per line than the search for '\n' itself.
func (r *Reader) readLine() ([]byte, error) {
	for {
		if i := bytes.IndexByte(r.buf[r.head:r.tail], '\n'); i >= 0 {
			b := r.buf[r.head : r.head+i]
			r.head += i + 1
			if r.skip { // the end of a line that was too long
				r.skip = false
				continue
			}
			r.line++
			if len(b) > 0 && b[len(b)-1] == '\r' {
				b = b[:len(b)-1]
			}
			if len(b) > r.max {
				return nil, r.tooLong(b)
			}
			return b, nil
		}
		if r.skip {
			r.head = r.tail
		} else if r.tail-r.head > r.max+1 { // even without a '\r', too long
			b := r.buf[r.head:r.tail]
			r.head, r.skip = r.tail, true
			r.line++
			return nil, r.tooLong(b)
		}
		if r.srcErr != nil {
			if r.srcErr != io.EOF {
				return nil, r.inputError(r.srcErr)
			}
			if r.head < r.tail { // the last line, without a '\n'
				b := bytes.TrimSuffix(r.buf[r.head:r.tail], []byte{'\r'})
				r.head = r.tail
				r.line++
				if len(b) > r.max {
					return nil, r.tooLong(b)
				}
				return b, nil
			}
			return nil, io.EOF
		}
		r.fill()
	}
}

// tooLong is the error for line r.line, which starts with b.
func (r *Reader) tooLong(b []byte) error {
	return &ParseError{Input: r.Name, Line: r.line, Err: ErrLineTooLong,
		Text: errText(string(b[:min(len(b), maxErrText)])),
		Msg:  "longer than " + itoa(r.max) + " bytes"}
}

// fill reads more input after the unread part of buf, which it first moves
// to the start, growing buf if a line fills it.
func (r *Reader) fill() {
	if r.head > 0 {
		r.tail = copy(r.buf, r.buf[r.head:r.tail])
		r.head = 0
	}
	if r.tail == len(r.buf) {
		r.buf = append(r.buf, make([]byte, len(r.buf))...)
	}
	// As bufio does, allow a few empty reads before giving up.
	for range 100 {
		n, err := r.src.Read(r.buf[r.tail:])
		r.tail += n
		if err != nil {
			r.srcErr = err
		}
		if n > 0 || err != nil {
			return
		}
	}
	r.srcErr = io.ErrNoProgress
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}
