package source

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// eventsReader reads records from log events, which carry no header: a
// CloudWatch Logs group read page by page, or a subscription payload.
type eventsReader struct {
	name    string
	ctx     context.Context
	next    func(ctx context.Context) (msgs []string, more bool, err error)
	o       *Options
	f       flowlog.Format
	msgs    []string
	i       int
	more    bool
	line    int
	started bool
	err     error
	c       io.Closer // closed by Close, if not nil
}

func newEventsReader(ctx context.Context, name string, o *Options, next func(context.Context) ([]string, bool, error)) *eventsReader {
	return &eventsReader{name: name, ctx: ctx, next: next, o: o, f: o.Format, more: true}
}

func (e *eventsReader) ReadInto(r *flowlog.Record) error {
	if e.err != nil {
		return e.err
	}
	for e.i == len(e.msgs) {
		if !e.more {
			e.err = io.EOF
			return io.EOF
		}
		msgs, more, err := e.next(e.ctx)
		if err != nil {
			e.err = ending(e.name, err)
			return e.err
		}
		e.msgs, e.i, e.more = msgs, 0, more
	}
	msg := e.msgs[e.i]
	e.i++
	e.line++
	if !e.started {
		e.started = true
		if e.f.IsZero() {
			// Events have no header: the default format, if the first
			// event is in it.
			var probe flowlog.Record
			if err := flowlog.ParseLine(msg, flowlog.DefaultFormat(), &probe); err != nil {
				var pe *flowlog.ParseError
				if errors.As(err, &pe) {
					pe.Line = e.line
				}
				e.err = ending(e.name, fmt.Errorf("%w: %w", ErrUnknownFormat, err))
				return e.err
			}
			e.f = flowlog.DefaultFormat()
			e.o.notifyDefault(e.name)
		}
	}
	if err := flowlog.ParseLine(msg, e.f, r); err != nil {
		var pe *flowlog.ParseError
		if errors.As(err, &pe) {
			pe.Line = e.line
		}
		err = wrap(e.name, err)
		if !e.o.Lenient || !LineError(err) {
			e.err = ending(e.name, err)
			return e.err
		}
		return err
	}
	return nil
}

func (e *eventsReader) Format() flowlog.Format { return e.f }

func (e *eventsReader) Close() error {
	if e.c == nil {
		return nil
	}
	return e.c.Close()
}
