package flowlog

import (
	"io"
	"sync"
)

// pipe reads src in a goroutine, a few buffers ahead of its reader, so that
// decompression overlaps with parsing. It is used by Reader when
// Concurrent is set. The error src returns with a buffer's last bytes
// (gzipSource's marks, io.EOF, or a failure) comes out of Read with the
// same bytes, so that the Reader sees the same sequence as without a pipe.
type pipe struct {
	full  chan chunk
	empty chan []byte
	done  chan struct{}
	once  sync.Once
	cur   []byte
	last  []byte
	err   error // returned with the end of cur
}

// chunk is one buffer of src's bytes, and the error that ended it, if any.
type chunk struct {
	b   []byte
	err error
}

const (
	pipeBuffers = 4
	pipeBufSize = 256 << 10
)

func newPipe(src io.Reader) *pipe {
	p := &pipe{
		full:  make(chan chunk, pipeBuffers),
		empty: make(chan []byte, pipeBuffers),
		done:  make(chan struct{}),
	}
	for range pipeBuffers {
		p.empty <- make([]byte, pipeBufSize)
	}
	go p.fill(src)
	return p
}

func (p *pipe) fill(src io.Reader) {
	defer close(p.full)
	for {
		var buf []byte
		select {
		case buf = <-p.empty:
		case <-p.done:
			return
		}
		n, err := readFull(src, buf)
		select {
		case p.full <- chunk{buf[:n], err}:
		case <-p.done:
			return
		}
		if err != nil && err != errChecked && err != errRewind {
			return
		}
	}
}

// readFull fills buf from src, like io.ReadFull, but returns src's own
// error: io.ReadFull turns an early io.EOF into io.ErrUnexpectedEOF, which
// is also how gzip reports a truncated stream, so the two could not be told
// apart. It returns at the first error, gzipSource's marks included.
func readFull(src io.Reader, buf []byte) (int, error) {
	n, empty := 0, 0
	for n < len(buf) {
		m, err := src.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m > 0 {
			empty = 0
		} else if empty++; empty == 100 { // as bufio and Reader.fill allow
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}

func (p *pipe) Read(b []byte) (int, error) {
	for len(p.cur) == 0 && p.err == nil {
		if p.last != nil {
			p.empty <- p.last[:cap(p.last)]
			p.last = nil
		}
		c, ok := <-p.full
		if !ok { // closed: only after close, as src's last chunk ends with an error
			return 0, errClosed
		}
		p.cur, p.last, p.err = c.b, c.b, c.err
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	if len(p.cur) > 0 || p.err == nil {
		return n, nil
	}
	err := p.err
	if err == errChecked || err == errRewind {
		p.err = nil
	}
	return n, err
}

// close stops the goroutine.
func (p *pipe) close() { p.once.Do(func() { close(p.done) }) }
