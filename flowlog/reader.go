package flowlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
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
// off is never returned.
//
// gzip checks a member's data only at the member's end, by the CRC-32 and
// size in its trailer. A Reader therefore returns no record of a gzip
// member before the member has passed that check: it holds the member's
// decompressed bytes back (at most MaxUnverified of them) and parses them
// once checked. A corrupt or truncated member gives an error and none of
// its records; the members before it were returned whole.
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

	// MaxUnverified bounds the memory a Reader holds gzip data in: the
	// decompressed bytes of one gzip member, which are held back until
	// the member's checksum passes. A member larger than that is read
	// twice if the input can be (InputAt is set, or the input given to
	// NewReader is an io.ReaderAt and an io.Seeker that can seek, such
	// as a regular *os.File or a *bytes.Reader): once to check it, once
	// to parse it, at twice the decompression work. On other inputs it
	// is an error wrapping ErrMemberTooLarge, and none of its records
	// are returned: flow logs are evidence, and records a flipped bit may
	// have made up are worse than an error that says to raise the bound.
	// A Reader's buffer holds at most MaxUnverified + MaxLineLength + 4
	// KiB bytes.
	// Default: - DefaultMaxUnverified.
	MaxUnverified int

	// InputAt reads the same bytes as the input given to NewReader, by
	// offset from the first byte the Reader reads, for a gzip member
	// larger than MaxUnverified to be read twice; e.g. the *os.File under
	// a bufio.Reader given to NewReader. The input must not change while
	// it is read.
	// Default: - the input itself, if it can seek.
	InputAt io.ReaderAt

	// Concurrent makes the Reader decompress gzip input in a separate
	// goroutine, a few buffers (1 MiB) ahead, so that decompression and
	// parsing overlap on two cores. As a member's records wait for its
	// check, they overlap from one member to the next: the next member
	// is decompressed while this one is parsed. The goroutine ends when
	// reading ends (at the end of the input or an error that ends
	// reading); call Close if you stop reading before that.
	Concurrent bool

	in     io.Reader
	pipe   *pipe
	src    io.Reader // the decompressed input
	buf    []byte    // lines: buf[head:tail] is read but not yet returned
	head   int
	tail   int
	pend   int   // buf[tail:pend] is gzip data held back until checked
	srcErr error // from src, returned once buf is drained
	gzip   bool  // src decompresses gzip
	max    int   // MaxLineLength in effect
	limit  int   // MaxUnverified in effect
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

// DefaultMaxUnverified is the default [Reader.MaxUnverified]: 64 MiB,
// which holds an S3 flow-log object of some 570,000 default-format records
// (~118 bytes each), and little enough memory for a Reader on each core.
const DefaultMaxUnverified = 64 << 20

// NewReader returns a Reader of records from r.
func NewReader(r io.Reader) *Reader { return &Reader{in: r} }

// Close stops the decompression goroutine of a Concurrent Reader. It does
// not close the underlying io.Reader. Read returns an error after Close.
func (r *Reader) Close() error {
	if r.err == nil {
		r.stop(errClosed) // stops the goroutine, as reaching an end did
	}
	return nil
}

// stop ends reading with err, which every later call returns, stops the
// decompression goroutine of a Concurrent Reader (which reading to the
// end or an error must do without Close) and gives the buffer back for
// another Reader: no record may alias it any more.
func (r *Reader) stop(err error) {
	r.err = err
	if r.pipe != nil {
		r.pipe.close()
	}
	if r.buf != nil {
		putBuf(r.buf)
		r.buf, r.head, r.tail, r.pend = nil, 0, 0, 0
	}
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
			r.stop(err)
			return err
		}
	}
	for {
		b, err := r.readLine()
		if err != nil {
			// Lenient skips an over-long line, but not a first line that
			// may be the header (see headerTooLong).
			if !r.Lenient || !errors.Is(err, ErrLineTooLong) || (!r.seen && headerTooLong(err)) {
				r.stop(err)
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
				r.stop(err)
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
				r.stop(pe)
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
	r.max = r.MaxLineLength
	if r.max <= 0 {
		r.max = DefaultMaxLineLength
	}
	r.limit = r.MaxUnverified
	if r.limit <= 0 {
		r.limit = DefaultMaxUnverified
	}
	limit := r.limit
	bufSize := 64 << 10
	var zin io.Reader    // the input of the gzip reader
	var pos func() int64 // the offset in at of the next byte of zin
	at := r.InputAt
	src := r.in
	if m, ok := r.in.(memReader); ok {
		// Hand the in-memory reader itself to gzip, which then decodes
		// from it directly rather than through a bufio.Reader (~15%
		// faster decompression).
		var magic [2]byte
		first := m.Size() - int64(m.Len())
		if n, _ := m.ReadAt(magic[:], first); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zin = m
			pos = func() int64 { return m.Size() - int64(m.Len()) - first }
			if at == nil {
				at, pos = m, func() int64 { return m.Size() - int64(m.Len()) }
			}
			// The last member's size, from its trailer, sizes the buffer
			// once for the usual single-member object.
			var isize [4]byte
			if n, _ := m.ReadAt(isize[:], m.Size()-4); n == 4 {
				size := int(isize[0]) | int(isize[1])<<8 | int(isize[2])<<16 | int(isize[3])<<24
				// Deflate expands at most 1032 times, which bounds what
				// trailing junk read as a size can make us allocate.
				if size > bufSize && size <= limit && int64(size) <= 1032*m.Size() {
					bufSize = size + 1 + 4<<10 // overLimit's byte, and room for a Read to see the end
				}
			}
		}
	} else {
		var first int64
		if at == nil {
			// A file, or any input that can seek, can be read again
			// from where the Reader began.
			if ra, ok := r.in.(io.ReaderAt); ok {
				if sk, ok := r.in.(io.Seeker); ok {
					if p, err := sk.Seek(0, io.SeekCurrent); err == nil {
						at, first = ra, p
					}
				}
			}
		}
		in := r.in
		var or *offsetReader
		if at != nil {
			or = &offsetReader{r: in, off: first}
			in = or
		}
		br := bufio.NewReaderSize(in, 64<<10)
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zin = br
			if or != nil {
				pos = func() int64 { return or.off - int64(br.Buffered()) }
			}
		}
		src = br // reads of a buffer's size or more bypass its copy
	}
	if zin != nil {
		r.gzip = true
		if pos == nil {
			at = nil
		}
		g, err := newGzipSource(zin, limit, at, pos)
		if err != nil {
			return r.inputError(err)
		}
		src = g
		if r.Concurrent {
			r.pipe = newPipe(g)
			src = r.pipe
		}
	}
	r.src = src
	r.buf = getBuf(bufSize)
	return nil
}

// inputError is the error for err from the input: it ends reading. The
// line it names is the first one not returned.
func (r *Reader) inputError(err error) error {
	pe := &ParseError{Input: r.Name, Line: r.line + 1, Err: err}
	var big *memberTooLarge
	switch {
	case err == io.ErrUnexpectedEOF:
		pe.Err = fmt.Errorf("%w (%w)", ErrTruncated, err)
		pe.Msg = "the input ends early; this line and any after it are lost"
		if r.gzip {
			pe.Msg = "the input ends inside gzip data; this line and the rest of the member are not returned"
		}
	case errors.As(err, &big):
		pe.Err = ErrMemberTooLarge
		pe.Msg = "it decompresses to more than MaxUnverified (" + itoa(big.limit) + " bytes), which are held back until its checksum passes, " +
			"and the input cannot be read twice; none of its records were returned (raise the bound, or read from a file)"
	case r.gzip && isCorrupt(err):
		pe.Err = fmt.Errorf("%w (%w)", ErrCorrupt, err)
		pe.Msg = "none of this gzip member's records were returned"
		if errors.Is(err, gzip.ErrHeader) {
			pe.Msg = "what follows is not a gzip member"
		}
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
// to the start, growing buf if a line fills it. Plain text is returned as
// read; gzip data is held back in buf[tail:pend] until the source says that
// its member passed the gzip check.
func (r *Reader) fill() {
	if r.head > 0 {
		r.pend = copy(r.buf, r.buf[r.head:r.pend])
		r.tail -= r.head
		r.head = 0
	}
	// As bufio does, allow a few empty reads before giving up.
	for empty := 0; empty < 100; {
		if r.pend == len(r.buf) {
			r.grow()
		}
		n, err := r.src.Read(r.buf[r.pend:])
		r.pend += n
		switch err {
		case nil:
			if !r.gzip {
				r.tail = r.pend
			}
		case errChecked:
			r.tail = r.pend
			return
		case errRewind:
			r.pend = r.tail
			continue
		case io.EOF:
			r.tail = r.pend
			r.srcErr = err
			return
		default:
			if r.gzip {
				r.pend = r.tail // the rest of the member is not vouched for
			} else {
				r.tail = r.pend
			}
			r.srcErr = err
			return
		}
		if n > 0 {
			if !r.gzip {
				return
			}
			empty = 0
		} else {
			empty++
		}
	}
	r.srcErr = io.ErrNoProgress
}

// grow doubles buf, but for gzip data to no more than the most it holds:
// the start of a line (r.max bytes, or the line is too long), a member's
// bytes (r.limit, and overLimit's one more) and room for a read to see
// the end. Once doubling would reach half of that, it goes to the whole
// of it at once, and the buffer it replaces is left to the garbage
// collector rather than kept for reuse: doubling step by step kept every
// smaller buffer alive (in bufs) beside the last, so a Reader's memory
// was some 2.5 times the bytes it held.
func (r *Reader) grow() {
	size := 2 * len(r.buf)
	if r.gzip {
		most := r.max + r.limit + 4<<10
		if size > 4<<20 {
			size = most
		}
		size = max(min(size, most), len(r.buf)+4<<10)
	}
	b := getBuf(size)
	copy(b, r.buf[:r.pend])
	r.buf = b
}

// bufs holds the buffers of Readers that have ended, so that reading many
// inputs in turn does not allocate (and fault in) a buffer the size of a
// gzip member for each.
var bufs sync.Pool // of *[]byte

// getBuf returns a buffer of at least size bytes.
func getBuf(size int) []byte {
	if p, ok := bufs.Get().(*[]byte); ok && cap(*p) >= size {
		return (*p)[:cap(*p)]
	}
	return make([]byte, size)
}

func putBuf(b []byte) { bufs.Put(&b) }

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}
