package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// inputKind is what an input holds, found from its first bytes, so that
// names do not matter and pipes work too.
type inputKind int

const (
	kindText         inputKind = iota // plain text or gzip text, for flowlog.Reader
	kindParquet                       // a Parquet file, read in place
	kindPipedParquet                  // Parquet from a pipe, read into memory
	kindGzipParquet                   // gzip holding Parquet, decompressed into memory
	kindSubscription                  // CloudWatch Logs subscription payloads
)

// input is one opened input.
type input struct {
	kind  inputKind
	r     *bufio.Reader // the input from its first byte
	gzip  bool          // r is gzip data
	b64   bool          // r is base64 text (of gzip subscription payloads)
	at    io.ReaderAt   // a regular file, or nil
	size  int64
	close func() error
}

func (in *input) Close() error { return in.close() }

// openInput opens name ("-" for stdin) and finds out what it holds.
func openInput(name string, stdin io.Reader) (*input, error) {
	in := &input{close: func() error { return nil }}
	src := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err == nil && st.IsDir() {
			err = errors.New("is a directory; name the files in it")
		}
		if err == nil && st.Size() == 0 && st.Mode().IsRegular() && (strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".parquet")) {
			err = &flowlog.ParseError{Err: flowlog.ErrTruncated, Msg: "empty file, but its name says gzip or Parquet, which are never empty"}
		}
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		if st.Mode().IsRegular() {
			in.at, in.size = f, st.Size()
		}
		src, in.close = f, f.Close
	}
	in.r = bufio.NewReaderSize(src, 64<<10)
	// Four bytes tell every kind but JSON after white space; wait for more
	// only then, so that a slow pipe's first records are not held back.
	head, err := in.r.Peek(4) // fewer at the end of a short input
	if err == nil && len(bytes.TrimLeft(head, " \t\r\n")) == 0 {
		head, err = in.r.Peek(512)
	}
	if err != nil && err != io.EOF {
		_ = in.close()
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		in.kind = kindParquet
		if in.at == nil {
			in.kind = kindPipedParquet
		}
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		in.gzip = true
		inner := gunzipHead(in.r)
		switch {
		case bytes.HasPrefix(inner, []byte("PAR1")):
			in.kind = kindGzipParquet
		case isJSON(inner):
			in.kind = kindSubscription
		}
	case isJSON(head):
		in.kind = kindSubscription
	case bytes.HasPrefix(head, []byte("H4sI")): // base64 of a gzip header
		in.kind, in.b64 = kindSubscription, true
	}
	return in, nil
}

// gunzipHead returns the first bytes of the gzip data at the start of br,
// without consuming it: as few compressed bytes as give 16 plain ones, so
// that a slow pipe is not waited for.
func gunzipHead(br *bufio.Reader) []byte {
	for size := 512; ; size *= 8 {
		size = min(size, br.Size())
		head, err := br.Peek(size)
		var plain [16]byte
		n := 0
		if zr, zerr := gzip.NewReader(bytes.NewReader(head)); zerr == nil {
			n, _ = io.ReadFull(zr, plain[:])
		}
		if n == len(plain) || err != nil || size == br.Size() {
			return plain[:n]
		}
	}
}

func isJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// content returns the input's bytes, decompressed if it is gzip.
func (in *input) content() io.Reader {
	if !in.gzip {
		return in.r
	}
	zr, err := gzip.NewReader(in.r)
	if err != nil {
		return &errReader{err}
	}
	return zr
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// errStopped means the caller of payloads stopped.
var errStopped = errors.New("stopped")

// payloads calls fn with each CloudWatch Logs subscription payload of the
// input, in order, until fn returns false (then it returns errStopped).
// Subscription filters deliver each payload gzip compressed and base64
// encoded
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html);
// the input may hold one payload or several in a row: gzip members of JSON
// (as stored after base64 decoding), plain JSON, Lambda events, or base64
// text, one payload per line.
func (in *input) payloads(fn func(*flowlog.Subscription) bool) error {
	if in.b64 {
		sc := bufio.NewScanner(in.r)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			s, err := flowlog.DecodeSubscription(sc.Bytes())
			if err != nil {
				return err
			}
			if !fn(s) {
				return errStopped
			}
		}
		return sc.Err()
	}
	dec := json.NewDecoder(in.content())
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return nil
		} else if err != nil {
			return inputError(err)
		}
		s, err := flowlog.DecodeSubscription(raw)
		if err != nil {
			return err
		}
		if !fn(s) {
			return errStopped
		}
	}
}

// inputError says "truncated" for an input that ends early, as
// flowlog.Reader does.
func inputError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &flowlog.ParseError{Err: fmt.Errorf("%w (%w)", flowlog.ErrTruncated, err), Msg: "the input ends early"}
	}
	return err
}
