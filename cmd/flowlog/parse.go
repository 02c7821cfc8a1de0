package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

const parseUsage = `usage: flowlog parse [--format F] [--lenient] [filters] FILE... | -

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

Filters (as for summarize; values of one flag are alternatives, flags
combine with AND; an input whose format lacks a filtered field is an error):
  --action A       ACCEPT or REJECT
  --port P         source or destination port or range (22, 8000-8100)
  --protocol P     a number or tcp, udp, icmp, icmpv6, gre, esp, sctp
  --src CIDR       source address in this IPv4 or IPv6 prefix, or this address
  --dst CIDR       destination address, likewise
  --interface ENI  interface-id
  --since T        records that end at or after T: RFC 3339, a date, or a
                   duration before now (2h, 7d)
  --until T        records that start before T (same forms)

Examples:
  flowlog parse 123456789012_vpcflowlogs_eu-west-1_fl-0abc_20261125T1620Z_fe12.log.gz
  flowlog parse --format default events.txt
  flowlog parse --format '${srcaddr} ${dstaddr} ${action}' - < events.txt
  flowlog parse --lenient *.log.gz > records.jsonl || echo "status $?"
  flowlog parse --action REJECT --port 22,3389 --src 0.0.0.0/0 flows.log.gz

` + exitStatusHelp

// runParse parses files to JSON Lines.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	formatFlag := fs.String("format", "", "")
	lenient := fs.Bool("lenient", false, "")
	var filterFlags recordFilterFlags
	filterFlags.register(fs)
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
	flt, err := filterFlags.filter(time.Now())
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "flowlog parse: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	p := &parser{format: format, out: out,
		tally: &tally{cmd: "flowlog parse", stderr: stderr, lenient: *lenient}}
	if !flt.IsZero() {
		p.where = flt.Cond()
		p.filter = true
	}
	for _, name := range fs.Args() {
		if !p.input(name, stdin) {
			break
		}
	}
	_ = p.flush() // an error is in the tally
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
	block  []byte // JSON lines not yet written
	// The filter flags' condition, compiled as for summarize, and the
	// last format checked to have its fields.
	where   investigations.Cond
	filter  bool
	checked flowlog.Format
}

// errOutput marks a write error, which stops the command.
var errOutput = errors.New("output")

// filterFields fails if format f lacks a field the filter reads.
func filterFields(where investigations.Cond, f flowlog.Format) error {
	var miss []string
	for _, fld := range where.Fields() {
		if !f.Has(fld) {
			miss = append(miss, fld.Name())
		}
	}
	if len(miss) > 0 {
		return fmt.Errorf("%w: the filter needs %s", summary.ErrMissingFields, strings.Join(miss, ", "))
	}
	return nil
}

// emitted says whether to go on after emit returned err.
func (p *parser) emitted(name string, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, errOutput):
		return false
	}
	return p.tally.input(name, err)
}

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
			if err := p.emit(&r, rd.Format); err != nil {
				return p.emitted(name, err)
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
			if err := p.emit(&r, pr.Format()); err != nil {
				return p.emitted(name, err)
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
	if p.filter {
		if err := filterFields(p.where, p.format); err != nil {
			return p.tally.input(name, err)
		}
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
			if p.emit(&r, p.format) != nil { // a write error: the format is checked above
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

// emit writes r as one JSON line if the filter keeps it. A write error
// stops the command (errOutput); a format lacking a field the filter
// needs fails the input.
func (p *parser) emit(r *flowlog.Record, f flowlog.Format) error {
	if p.filter {
		if f != p.checked {
			if err := filterFields(p.where, f); err != nil {
				return err
			}
			p.checked = f
		}
		if !p.where.Match(r) {
			return nil
		}
	}
	// Lines collect in a block written when full: the output buffer,
	// empty then, hands it to the writer as it is, so no line is copied.
	if p.block == nil {
		p.block = make([]byte, 0, emitBlock+emitBlock/4)
	}
	p.block = append(r.AppendJSON(p.block, f), '\n')
	if len(p.block) >= emitBlock {
		return p.flush()
	}
	return nil
}

// flush writes the block of JSON lines emit collected.
func (p *parser) flush() error {
	if len(p.block) == 0 {
		return nil
	}
	_, err := p.out.Write(p.block)
	p.block = p.block[:0]
	if err != nil {
		p.tally.writeError(err)
		return errOutput
	}
	return nil
}

// emitBlock is the size of the blocks parse writes.
const emitBlock = 256 << 10
