package source

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// openSubscriptions reads CloudWatch Logs subscription payloads from br,
// one after another, as they are stored or piped: subscription filters
// deliver each payload gzip compressed and base64 encoded
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html),
// and an input may hold one payload or several in a row: the JSON
// documents themselves, gzip members of them (as stored after base64
// decoding), Lambda events ({"awslogs":{"data":...}}), or base64 text,
// one payload per line. Payloads are decoded one at a time, each within
// MaxBuffer; the log events of all of them are numbered in order, as the
// lines of the input. A gzip member is decoded only once it has passed
// gzip's check, so its decompressed bytes (within MaxBuffer too) are held
// until then: a corrupt or truncated member gives an error and none of
// its events.
func openSubscriptions(name string, br *bufio.Reader, gz bool, c io.Closer, o *Options) (RecordReader, error) {
	sb := br
	if gz {
		// Only checked gzip members are decoded: no event a bit flip
		// made up is returned before the member's check fails.
		sb = bufio.NewReaderSize(newCheckedGzip(br, o.maxBuffer()), 64<<10)
	}
	// The first byte that is not white space tells JSON documents from
	// base64 lines.
	var next func() (*flowlog.Subscription, error)
	if c, err := firstNonSpace(sb); err != nil && err != io.EOF {
		return nil, payloadError(err)
	} else if c == '{' {
		next = jsonPayloads(sb, o.maxBuffer())
	} else {
		next = base64Payloads(sb, o.maxBuffer())
	}
	er := newEventsReader(context.Background(), name, o, func(context.Context) ([]string, bool, error) {
		s, err := next()
		if err == io.EOF {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		var msgs []string
		if !s.IsControl() {
			msgs = make([]string, len(s.LogEvents))
			for i, ev := range s.LogEvents {
				msgs[i] = ev.Message
			}
		}
		return msgs, true, nil
	})
	er.c = c
	return er, nil
}

// payloadError is inputError, but keeps checkedGzip's errors, which say
// already what was lost.
func payloadError(err error) error {
	if pe := (*flowlog.ParseError)(nil); errors.As(err, &pe) {
		return err
	}
	return inputError(err)
}

// firstNonSpace returns the first byte of br that is not white space,
// without consuming it, waiting for no more input than it needs.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(min(n, br.Size()))
		if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 {
			return t[0], nil
		}
		if err != nil {
			return 0, err
		}
		if n >= br.Size() {
			return 0, nil
		}
		n = max(n, br.Buffered())
	}
}

// jsonPayloads returns the subscription payloads of r, a sequence of JSON
// documents (payloads or Lambda events), one per call, then io.EOF.
func jsonPayloads(r io.Reader, max int64) func() (*flowlog.Subscription, error) {
	lim := &docLimit{r: r, limit: max, max: max}
	dec := json.NewDecoder(lim)
	first := true
	return func() (*flowlog.Subscription, error) {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, payloadError(err)
		}
		lim.limit = dec.InputOffset() + max
		s, err := flowlog.DecodeSubscription(raw)
		if err != nil && first && isJSONLines(raw) {
			return nil, fmt.Errorf("%w: a JSON object of record fields per line", ErrConvertOutput)
		}
		first = false
		return s, err
	}
}

// base64Payloads returns the subscription payloads of r, base64 text
// (of gzip data) one payload per line, one per call, then io.EOF.
func base64Payloads(r io.Reader, max int64) func() (*flowlog.Subscription, error) {
	sc := bufio.NewScanner(r)
	// The longest line is the larger of the buffer's capacity and max.
	sc.Buffer(make([]byte, 0, min(max, 64<<10)), int(min(max, 1<<40)))
	return func() (*flowlog.Subscription, error) {
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			return flowlog.DecodeSubscription(sc.Bytes())
		}
		switch err := sc.Err(); {
		case err == nil:
			return nil, io.EOF
		case errors.Is(err, bufio.ErrTooLong):
			return nil, tooLarge(max)
		default:
			return nil, payloadError(err)
		}
	}
}

// docLimit lets a JSON decoder read at most max bytes past the end of the
// last document it decoded, so that one document cannot take more memory
// than MaxBuffer.
type docLimit struct {
	r     io.Reader
	n     int64 // bytes read
	limit int64 // n never passes it
	max   int64
}

func (d *docLimit) Read(p []byte) (int, error) {
	if d.n >= d.limit {
		return 0, tooLarge(d.max)
	}
	if int64(len(p)) > d.limit-d.n {
		p = p[:d.limit-d.n]
	}
	n, err := d.r.Read(p)
	d.n += int64(n)
	return n, err
}

func tooLarge(max int64) error {
	return fmt.Errorf("%w (%d bytes; raise it with --max-buffer)", ErrTooLarge, max)
}
