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

// peekSize is how much of an input is looked at, before reading it, to
// tell its kind and format. A header line of every field is ~900 bytes.
const peekSize = 64 << 10

// openStream opens an input read front to back (a file, standard input,
// an S3 object body). It tells plain text, gzip, Parquet and CloudWatch
// Logs subscription payloads apart by their first bytes, and a text
// input's format by its first line, without consuming either.
func openStream(name string, c io.Closer, r io.Reader, o *Options) (RecordReader, error) {
	if o.BytesRead != nil {
		r = &countingReader{r: r, n: o.BytesRead}
	}
	br := bufio.NewReaderSize(r, 256<<10)
	peek, err := br.Peek(peekSize)
	if len(peek) == 0 {
		if err != nil && err != io.EOF {
			return nil, err
		}
		return nil, ErrEmpty
	}
	gz := len(peek) >= 2 && peek[0] == 0x1f && peek[1] == 0x8b
	head := peek
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(peek))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		// The peek may end inside the stream: what decompresses is enough.
		head, _ = io.ReadAll(io.LimitReader(zr, peekSize))
	}
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")) || bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("{")) ||
		bytes.HasPrefix(head, []byte("H4sI")): // base64 of gzip: a subscription payload as delivered
		// Parquet is read by offset, and a subscription payload is one
		// JSON document: both are read whole, within MaxBuffer.
		data, err := readAllBounded(br, gz, o.maxBuffer())
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(data, []byte("PAR1")) {
			return openParquet(name, bytes.NewReader(data), int64(len(data)), c, o)
		}
		rd, err := openSubscription(name, data, o, c)
		if err != nil && isJSONLines(data) {
			return nil, fmt.Errorf("%w: a JSON object of record fields per line", ErrConvertOutput)
		}
		return rd, err
	}
	rd := flowlog.NewReader(br)
	rd.ReuseRecord = true
	rd.Lenient = o.Lenient
	rd.MaxUnverified = int(min(o.maxBuffer(), math.MaxInt))
	// Decompress on another core, ahead of parsing, unless Run keeps
	// every core busy with a worker already.
	rd.Concurrent = gz && !o.inline.Load()
	if first, ok := firstLine(head, len(peek) < peekSize); ok {
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
	return &textReader{name: name, rd: rd, c: c}, nil
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
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("truncated: %w", err)
		}
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w (%d bytes; raise it with --max-buffer)", ErrTooLarge, max)
	}
	return data, nil
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
		if t.records == 0 && t.bad == 0 {
			if t.rd.HasHeader() {
				err = ErrNoRecords
			} else {
				err = ErrEmpty
			}
			t.err = wrap(t.name, err)
			return t.err
		}
		t.err = io.EOF
		return io.EOF
	}
	if pe := (*flowlog.ParseError)(nil); errors.Is(err, flowlog.ErrMemberTooLarge) && errors.As(err, &pe) {
		pe.Msg += "; --max-buffer sets the bound"
	}
	err = wrap(t.name, err)
	if t.rd.Lenient && t.rd.Err() == nil {
		t.bad++ // a bad line, skipped
		return err
	}
	t.err = err
	return err
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
