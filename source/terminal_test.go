package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// failingReader returns data, then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// TestLenientEndsAtTerminalErrors: for every kind of error that ends an
// input (one its reader returns again on every call), a lenient Run
// reads no further in that input, reports the error once, counts the
// input as skipped and no line as skipped, and ends. An error about a
// line that is also the end of the input (an over-long first line, which
// may be the header) is the end of the input, not a line to skip.
func TestLenientEndsAtTerminalErrors(t *testing.T) {
	f := flowlog.DefaultFormat()
	text, _ := textLog(t, 5, 300, f, true)
	body := text[bytes.IndexByte(text, '\n')+1:]
	z := gz(t, text)
	badCRC := bytes.Clone(z)
	badCRC[len(badCRC)-8] ^= 1
	sub := gz(t, []byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"not a flow-log record"}]}`))
	long := strings.Repeat("x", flowlog.DefaultMaxLineLength+1)
	var msgs []string
	for _, l := range strings.Split(string(body), "\n")[:20] {
		msgs = append(msgs, `{"id":"1","timestamp":1,"message":"`+l+`"}`)
	}
	good := gz(t, []byte(`{"messageType":"DATA_MESSAGE","logEvents":[`+strings.Join(msgs, ",")+`]}`))
	kinds := []struct {
		name    string
		in      io.Reader
		is      error
		records bool // records before the error are returned (plain text)
	}{
		{"over-long first line", strings.NewReader(long + "\n" + string(text)), flowlog.ErrLineTooLong, false},
		{"header with an over-long tail", strings.NewReader(f.Header() + " " + long + "\n" + string(body)), flowlog.ErrLineTooLong, false},
		{"over-long first line of gzip", bytes.NewReader(gz(t, []byte(long+"\n"+string(text)))), flowlog.ErrLineTooLong, false},
		{"truncated gzip", bytes.NewReader(z[:len(z)/2]), flowlog.ErrTruncated, false},
		{"corrupt gzip", bytes.NewReader(badCRC), flowlog.ErrCorrupt, false},
		{"I/O error", &failingReader{r: bytes.NewReader(text[:len(text)/2]), err: errors.New("disk on fire")}, nil, true},
		{"I/O error in gzip", &failingReader{r: bytes.NewReader(z[:len(z)/2]), err: errors.New("disk on fire")}, nil, false},
		{"truncated subscription", bytes.NewReader(good[:len(good)-3]), flowlog.ErrTruncated, false},
		{"subscription of unknown format", bytes.NewReader(sub), ErrUnknownFormat, false},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			o := &Options{Lenient: true, Stdin: k.in}
			st := &Stats{}
			var mu sync.Mutex
			var reported []error
			done := make(chan error, 1)
			go func() {
				done <- Run(context.Background(), []Input{stdinInput(o)}, o, 1, st, func(int) Sink { return &collect{mu: &mu, lines: new([]string)} },
					func(err error) {
						mu.Lock()
						reported = append(reported, err)
						mu.Unlock()
					})
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				mu.Lock()
				defer mu.Unlock()
				t.Fatalf("Run has not ended after 10 s; %d errors reported, the last: %v", len(reported), reported[len(reported)-1])
			}
			if err == nil || LineError(err) || (k.is != nil && !errors.Is(err, k.is)) {
				t.Errorf("Run returned %v (a line error: %v), want an input error wrapping %v", err, LineError(err), k.is)
			}
			if len(reported) != 1 || st.InputsSkipped.Load() != 1 || st.LinesSkipped.Load() != 0 || (st.Records.Load() != 0) != k.records {
				t.Errorf("%d errors reported, %d inputs and %d lines skipped, %d records; want 1, 1, 0 and records %v",
					len(reported), st.InputsSkipped.Load(), st.LinesSkipped.Load(), st.Records.Load(), k.records)
			}
		})
	}
}
