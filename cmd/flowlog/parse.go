package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

const parseUsage = `usage: flowlog parse [--format F] [--lenient] FILE... | -

Reads VPC flow logs and writes one JSON object per record to standard
output, with typed values and absent fields left out. The kind of each
input is detected from its content:
  - plain text or gzip, as S3 delivers .log.gz objects (the header line
    gives the format) or as CloudWatch Logs events (give --format);
  - Parquet, as S3 delivers with FileFormat parquet, gzipped or not;
  - CloudWatch Logs subscription payloads: gzip, base64 or plain JSON,
    several in a row, or a Lambda event {"awslogs":{"data":...}} (give
    --format: log events have no header).
Errors go to standard error as FILE:LINE:FIELD: message (for subscription
payloads, LINE is the log event's number in the input). A line longer than
1 MiB is an error. Without --lenient, parse stops at the first error.

Flags:
  --format F   record format: a preset name (see "flowlog fields -presets"),
               a LogFormat string such as '${srcaddr} ${dstaddr}', or
               space-separated field names (default: the input's header)
  --lenient    report bad lines and unreadable inputs, skip them and go on

Examples:
  flowlog parse 123456789012_vpcflowlogs_eu-west-1_fl-0abc_20261125T1620Z_fe12.log.gz
  flowlog parse --format default events.txt
  flowlog parse --format '${srcaddr} ${dstaddr} ${action}' - < events.txt
  flowlog parse --lenient *.log.gz > records.jsonl || echo "status $?"

` + exitStatusHelp

// runParse parses files to JSON Lines.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	formatFlag := fs.String("format", "", "")
	lenient := fs.Bool("lenient", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprint(stdout, parseUsage)
			return exitOK
		}
		_, _ = fmt.Fprintf(stderr, "flowlog parse: %v\n%s", err, parseUsage)
		return exitUsage
	}
	if fs.NArg() == 0 {
		_, _ = fmt.Fprint(stderr, "flowlog parse: no files (use - for standard input)\n")
		return exitUsage
	}
	var format flowlog.Format
	if *formatFlag != "" {
		var err error
		if format, err = parseFormatFlag(*formatFlag); err != nil {
			_, _ = fmt.Fprintf(stderr, "flowlog parse: --format: %v\n", err)
			return exitUsage
		}
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	p := &parser{format: format, out: out,
		tally: &tally{cmd: "flowlog parse", stderr: stderr, lenient: *lenient}}
	for _, name := range fs.Args() {
		if !p.input(name, stdin) {
			break
		}
	}
	return p.tally.finish(out)
}

// parseFormatFlag accepts a preset name, a LogFormat string or field names.
func parseFormatFlag(s string) (flowlog.Format, error) {
	if f, ok := flowlog.Preset(s); ok {
		return f, nil
	}
	if strings.Contains(s, "${") {
		return flowlog.ParseFormat(s)
	}
	return flowlog.ParseHeader(s)
}

type parser struct {
	format flowlog.Format
	out    *bufio.Writer
	tally  *tally
	buf    []byte
}

// errOutput marks a write error, which stops the command.
var errOutput = errors.New("output")

// input parses one input and reports whether to go on with the next.
func (p *parser) input(name string, stdin io.Reader) bool {
	in, err := openInput(name, stdin)
	if err != nil {
		return p.tally.input(name, err)
	}
	defer func() { _ = in.Close() }()
	switch in.kind {
	case kindParquet:
		return p.parquet(name, in.at, in.size)
	case kindGzipParquet, kindPipedParquet:
		data, err := io.ReadAll(in.content())
		if err != nil {
			return p.tally.input(name, inputError(err))
		}
		return p.parquet(name, bytes.NewReader(data), int64(len(data)))
	case kindSubscription:
		return p.subscriptions(name, in)
	}
	return p.text(name, in.r)
}

// text parses plain text or gzip with flowlog.Reader.
func (p *parser) text(name string, in io.Reader) bool {
	rd := flowlog.NewReader(in)
	rd.Name = name
	rd.Format = p.format
	rd.Lenient = p.tally.lenient
	rd.ReuseRecord = true
	var r flowlog.Record
	for {
		err := rd.ReadInto(&r)
		switch {
		case err == nil:
			if p.emit(&r, rd.Format) != nil {
				return false
			}
		case err == io.EOF:
			return true
		case rd.Err() == nil: // one bad line, skipped (--lenient)
			p.tally.line(name, err)
		default: // the rest of the input cannot be read
			return p.tally.input(name, err)
		}
	}
}

func (p *parser) parquet(name string, f io.ReaderAt, size int64) bool {
	pr, err := flowlog.NewParquetReader(f, size)
	if err != nil {
		return p.tally.input(name, err)
	}
	defer func() { _ = pr.Close() }()
	pr.Lenient = p.tally.lenient
	var r flowlog.Record
	for {
		err := pr.ReadInto(&r)
		switch {
		case err == nil:
			if p.emit(&r, pr.Format()) != nil {
				return false
			}
		case err == io.EOF:
			return true
		case p.tally.lenient && isLineError(err):
			p.tally.line(name, err)
		default:
			return p.tally.input(name, err)
		}
	}
}

// isLineError reports whether err is about one record, not the input.
func isLineError(err error) bool {
	for _, e := range []error{flowlog.ErrFieldCount, flowlog.ErrSyntax, flowlog.ErrRange} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// subscriptions parses CloudWatch Logs subscription payloads.
func (p *parser) subscriptions(name string, in *input) bool {
	if p.format.Len() == 0 {
		return p.tally.input(name, fmt.Errorf("%w: a CloudWatch Logs subscription payload has no header line; give the flow log's format with --format", flowlog.ErrNoFormat))
	}
	event := 0
	err := in.payloads(func(s *flowlog.Subscription) bool {
		for r, err := range s.Records(p.format) {
			event++
			if err != nil {
				if pe, ok := err.(*flowlog.ParseError); ok {
					pe.Line = event
				}
				if !p.tally.line(name, err) {
					return false
				}
				continue
			}
			if p.emit(&r, p.format) != nil {
				return false
			}
		}
		return true
	})
	if errors.Is(err, errStopped) {
		return false
	}
	if err != nil {
		return p.tally.input(name, err)
	}
	return true
}

// emit writes r as one JSON line. A write error stops the command.
func (p *parser) emit(r *flowlog.Record, f flowlog.Format) error {
	p.buf = r.AppendJSON(p.buf[:0], f)
	p.buf = append(p.buf, '\n')
	if _, err := p.out.Write(p.buf); err != nil {
		p.tally.writeError(err)
		return errOutput
	}
	return nil
}
