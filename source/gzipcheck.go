package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// checkedGzip decompresses gzip data one member at a time and returns a
// member's bytes only once the whole member has passed gzip's check (the
// CRC-32 and size in its trailer, RFC 1952 section 2.3.1), which gzip
// makes only at the member's end: a flipped bit or a cut must not give
// log events the payload never held. This is the guarantee
// flowlog.Reader gives text (see [flowlog.Reader.MaxUnverified]), for
// inputs decoded from a stream of bytes, such as subscription payloads;
// a member's bytes are held in memory, at most max of them.
type checkedGzip struct {
	zr      *gzip.Reader
	in      *bufio.Reader // an io.ByteReader: gzip reads no further than a member's end
	max     int64
	buf     []byte // the checked bytes of the current member
	off     int    // buf[off:] is not yet returned
	started bool   // zr has begun the first member
	err     error  // returned once buf is drained
}

func newCheckedGzip(in *bufio.Reader, max int64) *checkedGzip {
	return &checkedGzip{in: in, max: max}
}

func (c *checkedGzip) Read(p []byte) (int, error) {
	for c.off == len(c.buf) {
		if c.err != nil {
			return 0, c.err
		}
		c.next()
	}
	n := copy(p, c.buf[c.off:])
	c.off += n
	return n, nil
}

// next reads the next member whole into buf, or sets err.
func (c *checkedGzip) next() {
	c.buf, c.off = c.buf[:0], 0
	var err error
	if !c.started {
		c.started = true
		c.zr, err = gzip.NewReader(c.in)
	} else {
		err = c.zr.Reset(c.in) // io.EOF: no more members
	}
	if err == io.EOF && c.zr != nil {
		c.err = io.EOF
		return
	}
	if err != nil {
		c.err = memberError(err, c.max)
		return
	}
	c.zr.Multistream(false)
	b := bytes.NewBuffer(c.buf)
	_, err = b.ReadFrom(io.LimitReader(c.zr, c.max+1))
	c.buf = b.Bytes()
	switch {
	case err != nil:
		c.err = memberError(err, c.max)
	case int64(len(c.buf)) > c.max:
		c.err = memberError(errMemberOverMax, c.max)
	default:
		return
	}
	c.buf = c.buf[:0] // not vouched for: none of it is returned
}

var errMemberOverMax = errors.New("over max")

// memberError is the error for err, which ended a gzip member: in the
// words of flowlog.Reader's for text.
func memberError(err error, max int64) error {
	var ce flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrTruncated, err),
			Msg: "the input ends inside gzip data; none of this gzip member's records were returned"}
	case errors.Is(err, gzip.ErrHeader):
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrCorrupt, err), Msg: "what follows is not a gzip member"}
	case errors.Is(err, gzip.ErrChecksum), errors.As(err, &ce):
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrCorrupt, err), Msg: "none of this gzip member's records were returned"}
	case err == errMemberOverMax:
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrMemberTooLarge, ErrTooLarge),
			Msg: "it decompresses to more than " + strconv.FormatInt(max, 10) + " bytes, which are held back until its checksum passes; " +
				"none of its records were returned (raise the bound with --max-buffer)"}
	}
	return err
}
