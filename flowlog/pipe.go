package flowlog

import (
	"io"
	"sync"
)

// pipe reads src in a goroutine, a few buffers ahead of its reader, so that
// decompression overlaps with parsing. It is used by Reader when
// Concurrent is set.
type pipe struct {
	full  chan []byte
	empty chan []byte
	done  chan struct{}
	once  sync.Once
	err   error // set before full is closed
	cur   []byte
	last  []byte
}

const (
	pipeBuffers = 4
	pipeBufSize = 256 << 10
)

func newPipe(src io.Reader) *pipe {
	p := &pipe{
		full:  make(chan []byte, pipeBuffers),
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
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.done:
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				p.err = err
			}
			return
		}
	}
}

// readFull fills buf from src, like io.ReadFull, but returns src's own
// error: io.ReadFull turns an early io.EOF into io.ErrUnexpectedEOF, which
// is also how gzip reports a truncated stream, so the two could not be told
// apart.
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
	for len(p.cur) == 0 {
		if p.last != nil {
			p.empty <- p.last[:cap(p.last)]
			p.last = nil
		}
		buf, ok := <-p.full
		if !ok {
			if p.err != nil {
				return 0, p.err
			}
			return 0, io.EOF
		}
		p.cur, p.last = buf, buf
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// close stops the goroutine.
func (p *pipe) close() { p.once.Do(func() { close(p.done) }) }
