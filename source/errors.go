package source

import (
	"errors"
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Errors wrapped by [*Error].
var (
	// ErrEmpty means an input has no content at all.
	ErrEmpty = errors.New("empty input")
	// ErrNoRecords means an input has a header line but no records.
	ErrNoRecords = errors.New("header but no records")
	// ErrUnknownFormat means a headerless input is not in the default
	// format and no format was given.
	ErrUnknownFormat = errors.New("no header line and not the default format (give --format)")
	// ErrConvertOutput means an input is the JSON Lines or CSV that
	// `flowlog convert` writes, which is for other tools, not a flow-log
	// input (its Parquet is).
	ErrConvertOutput = errors.New("JSON Lines or CSV written by flowlog convert, not a flow-log input (read the original logs, or convert --to parquet, which reads back)")
	// ErrTooLarge means a Parquet object, or one CloudWatch Logs
	// subscription payload (or the gzip member it is in, which is held
	// until its check passes; then flowlog.ErrMemberTooLarge too), is
	// larger than Options.MaxBuffer.
	ErrTooLarge = errors.New("object larger than the in-memory bound")
	// ErrNoFlowLogs means a directory holds no flow-log files.
	ErrNoFlowLogs = errors.New("no flow-log files in the directory (looked for .log, .log.gz and .log.parquet)")
	// ErrBadArg means an argument is not a path, "-", s3://bucket[/prefix]
	// or cwl://log-group.
	ErrBadArg = errors.New("bad input argument")
)

// Error is an error about one input.
type Error struct {
	Input string // the input's name: a path, "-", s3://bucket/key, cwl://group
	Err   error

	// ended marks the error that ended its input: its reader returns it
	// on every later call, so it is never a line to skip, whatever it
	// wraps (e.g. an over-long first line, which may be the header).
	ended bool
}

// Error returns INPUT[:LINE[:FIELD]]: message, the line and field coming
// from a wrapped [*flowlog.ParseError].
func (e *Error) Error() string {
	var pe *flowlog.ParseError
	if !errors.As(e.Err, &pe) {
		return e.Input + ": " + e.Err.Error()
	}
	loc := e.Input
	if pe.Line > 0 {
		loc += fmt.Sprintf(":%d", pe.Line)
		if pe.Field > 0 {
			loc += fmt.Sprintf(":%d", pe.Field)
		}
	}
	// The location says the input and line; the message need not.
	msg := *pe
	msg.Input, msg.Line = "", 0
	if e.Err == error(pe) {
		return loc + ": " + msg.Error()
	}
	return loc + ": " + strings.Replace(e.Err.Error(), pe.Error(), msg.Error(), 1)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// LineError reports whether err is about one line (or row, or log event)
// of an input, after which the input can be read on: a wrong number of
// fields, a value that is not of its field's type or out of its range,
// a line longer than the reader's maximum.
// Every other error (I/O, decompression, truncation, a bad header, an
// unknown format) ends its input, and so does any error a RecordReader
// returned as the end of its input, even one about a line (such as an
// over-long first line that may be the header): a loop that reads on
// after a line error ends there.
func LineError(err error) bool {
	if e := (*Error)(nil); errors.As(err, &e) && e.ended {
		return false
	}
	if errors.Is(err, flowlog.ErrHeader) || errors.Is(err, flowlog.ErrNoFormat) || errors.Is(err, ErrUnknownFormat) ||
		errors.Is(err, flowlog.ErrTruncated) {
		return false
	}
	return errors.Is(err, flowlog.ErrFieldCount) || errors.Is(err, flowlog.ErrSyntax) ||
		errors.Is(err, flowlog.ErrRange) || errors.Is(err, flowlog.ErrLineTooLong)
}

// ending returns err, wrapped as wrap does, marked as the error that
// ended its input, which LineError then never reports as one line's.
func ending(name string, err error) error {
	err = wrap(name, err)
	if e := (*Error)(nil); errors.As(err, &e) {
		e.ended = true
	}
	return err
}

func wrap(name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Input: name, Err: err}
}
