package flowlog

import (
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/compress/gzip"
)

// gzip checks each member of its data only at the member's end, by the
// CRC-32 and size in its trailer (RFC 1952, section 2.3.1), so the bytes
// a member decompresses to are not known to be right until all of them
// have been read. The Reader therefore holds a member's bytes back, in
// its line buffer, until gzipSource says that the member is checked.

// Marks that gzipSource.Read returns with its last bytes, instead of nil,
// to the Reader (through a pipe, if Concurrent).
var (
	// errChecked: the bytes held back so far, and those returned with
	// the mark, passed the gzip check; the Reader may return their lines.
	errChecked = errors.New("flowlog: gzip data checked")
	// errRewind: drop the bytes held back, unreturned: the member was
	// too large to hold, was checked by a first pass, and is read again
	// from its start.
	errRewind = errors.New("flowlog: gzip member read again")
)

// gzipSource decompresses gzip data one member at a time, and marks the
// end of each member that passed its check with errChecked.
type gzipSource struct {
	zr    *gzip.Reader
	in    io.Reader // the compressed input, an io.ByteReader, so that gzip reads no further than a member's end
	limit int       // the most bytes of a member returned unchecked (Reader.MaxUnverified)
	n     int       // bytes of the current member returned
	ended bool      // the current member ended; the next Read starts the next one

	// A member larger than limit is read twice when the input can be:
	// at reads the compressed input by offset, pos returns the offset in
	// at of the next byte gzip reads from in, and start is the current
	// member's. checked says that the current member is on its second
	// reading, so that its bytes are checked already.
	at      io.ReaderAt // nil: the input cannot be read again
	pos     func() int64
	start   int64
	checked bool
	scratch []byte
}

// newGzipSource starts reading the first member of in.
func newGzipSource(in io.Reader, limit int, at io.ReaderAt, pos func() int64) (*gzipSource, error) {
	g := &gzipSource{in: in, limit: limit, at: at, pos: pos}
	if at != nil {
		g.start = pos()
	}
	zr, err := gzip.NewReader(in)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	g.zr = zr
	return g, nil
}

func (g *gzipSource) Read(b []byte) (int, error) {
	if g.ended { // start the next member, if there is one
		if g.at != nil {
			g.start = g.pos()
		}
		if err := g.zr.Reset(g.in); err != nil {
			return 0, err // io.EOF: no more members
		}
		g.zr.Multistream(false) // Reset sets it again
		g.ended, g.n, g.checked = false, 0, false
	}
	if !g.checked {
		if g.n == g.limit {
			return g.overLimit(b)
		}
		b = b[:min(len(b), g.limit-g.n)]
	}
	n, err := g.zr.Read(b)
	g.n += n
	switch {
	case err == io.EOF: // the member's end: gzip checked it
		g.ended = true
		return n, errChecked
	case err != nil && g.checked:
		return n, fmt.Errorf("%w (the input changed after the gzip member was checked; its records returned so far may be wrong)", err)
	case err != nil:
		return n, err
	case g.checked:
		return n, errChecked
	}
	return n, nil
}

// overLimit is called when limit bytes of the current member have been
// returned and held back. It reads one byte more into b: if the member
// ends with it, it is checked; otherwise it is too large to hold. An input that can be read again is
// then read to the member's end, to check it, and read again from the
// member's start (errRewind). Any other input fails with
// ErrMemberTooLarge: a security engineer reading flow logs as evidence
// would rather be told to raise the bound, or to give a file, than get
// records that may have been made up by a flipped bit.
func (g *gzipSource) overLimit(b []byte) (int, error) {
	n, err := g.readSome(b[:1])
	switch {
	case err == io.EOF: // the member ends at the limit, or one byte after
		g.ended = true
		return n, errChecked
	case err != nil:
		return n, err
	case g.at == nil:
		return 0, &memberTooLarge{g.limit}
	}
	if g.scratch == nil {
		g.scratch = make([]byte, 64<<10)
	}
	for { // the first reading: only the check
		_, err := g.zr.Read(g.scratch)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	// The second reading, from the member's start. Its bytes are those
	// just checked, if the input does not change in between.
	or := &offsetReader{r: io.NewSectionReader(g.at, g.start, math.MaxInt64-g.start), off: g.start}
	br := bufio.NewReaderSize(or, 64<<10)
	g.in, g.pos = br, func() int64 { return or.off - int64(br.Buffered()) }
	if err := g.zr.Reset(br); err != nil {
		return 0, fmt.Errorf("%w (reading the gzip member again, at byte %d)", err, g.start)
	}
	g.zr.Multistream(false)
	g.n, g.checked = 0, true
	return 0, errRewind
}

// readSome reads into b, allowing a few empty reads, as Reader.fill does.
func (g *gzipSource) readSome(b []byte) (int, error) {
	for range 100 {
		n, err := g.zr.Read(b)
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// memberTooLarge is the error for a member larger than limit on an input
// that cannot be read twice.
type memberTooLarge struct{ limit int }

func (e *memberTooLarge) Error() string { return ErrMemberTooLarge.Error() }
func (e *memberTooLarge) Unwrap() error { return ErrMemberTooLarge }

// offsetReader counts the offset of the next byte it reads from r.
type offsetReader struct {
	r   io.Reader
	off int64
}

func (o *offsetReader) Read(b []byte) (int, error) {
	n, err := o.r.Read(b)
	o.off += int64(n)
	return n, err
}

// isCorrupt reports whether err says that gzip data is not valid, rather
// than that it could not be read.
func isCorrupt(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &ce)
}
