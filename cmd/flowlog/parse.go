package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

const parseUsage = `usage: flowlog parse [--format F] [--lenient] [filters] INPUT...

Reads VPC flow logs and writes one JSON object per record to standard
output, in input order, with typed values and absent fields left out.
Records are written as they are read: 'tail -f x.log | flowlog parse -'
shows each record when its line arrives.

INPUT is a file, a directory (searched recursively for .log, .log.gz and
.log.parquet, read in name order), - for standard input,
s3://bucket[/prefix] or cwl://log-group, as for 'flowlog summarize' (S3
and CloudWatch Logs use the AWS SDK's default credential chain and region;
--since/--until narrow S3 listings to the date folders of the range and
CloudWatch Logs reads to its events). The kind of each input is detected
from its content:
  - plain text or gzip, as S3 delivers .log.gz objects (the header line
    gives the format) or as CloudWatch Logs events and exports (no header:
    read as the default format when the first line parses as it, said once
    on standard error; give --format for any other);
  - Parquet, as S3 delivers with FileFormat parquet, gzipped or not;
  - CloudWatch Logs subscription payloads: gzip, base64 or plain JSON,
    several in a row, or Lambda events {"awslogs":{"data":...}} (no
    header either: the default format, or --format).
Errors go to standard error as INPUT:LINE:FIELD: message (for subscription
payloads and log groups, LINE is the log event's number in the input). A
line longer than 1 MiB is an error. Without --lenient, parse stops at the
first error. An input without records (empty, a header alone, empty
standard input) is an error naming it, as for the other commands.

Flags:
  --format F       format of headerless input: a preset name (see
                   "flowlog fields -presets"), a LogFormat string such as
                   '${srcaddr} ${dstaddr}', or space-separated field names
                   (default: each input's header line, else the default
                   format)
  --lenient        report bad lines and unreadable inputs, skip them and go
                   on; say at the end how many were skipped
  --keep-going     same as --lenient
  --max-buffer N   largest Parquet object (bytes) read from S3 or stdin,
                   subscription payload, or gzip member's text from a
                   stdin pipe, which is held in memory (default 536870912;
                   a file or S3 object holds back 16 MiB of gzip text and
                   reads a larger member twice)

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
  flowlog parse ./logs/ > records.jsonl
  flowlog parse --action REJECT --port 22,3389 s3://my-flow-logs/AWSLogs/ --since 2h
  flowlog parse --format v5 cwl:///vpc/flow-logs --since 30m | jq .
  flowlog parse --format '${srcaddr} ${dstaddr} ${action}' - < events.txt
  tail -f /var/log/flows.log | flowlog parse --src 10.0.0.0/8 -
  flowlog parse --lenient *.log.gz > records.jsonl || echo "status $?"

` + parseExitStatusHelp

// runParse parses inputs to JSON Lines, through the input layer (package
// source) with one worker, so that records come out in input order.
func runParse(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var in inputFlags
	in.registerReading(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprint(e.stdout, parseUsage)
			return exitOK
		}
		_, _ = fmt.Fprintf(e.stderr, "flowlog parse: %v\n%s", err, parseUsage)
		return exitUsage
	}
	if len(pos) == 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog parse: no files (use - for standard input)\n")
		return exitUsage
	}
	flt, err := in.filter(time.Now())
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog parse: %v\n", err)
		return exitUsage
	}
	o, err := in.options(e, flt)
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog parse: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &parser{out: out, cancel: cancel,
		tally: &tally{cmd: "flowlog parse", stderr: e.stderr, lenient: in.keepGoing}}
	if !flt.IsZero() {
		p.where = flt.Cond()
		p.filter = true
	}
	// Before waiting for more input, write what was read.
	o.Idle = p.flush
	// Progress on the terminal would mix with records written to it.
	e.noProgress = isTerminal(e.stdout)
	if stopped := readInputs(ctx, e, p.tally, o, pos, 1, func(int) source.Sink { return p }, nil); stopped {
		p.tally.failed = true
	}
	p.flush() // an error is in the tally
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

// parser is the Sink of parse: it writes each record it is given.
type parser struct {
	format flowlog.Format // the current input's
	out    *bufio.Writer
	tally  *tally
	block  []byte // JSON lines not yet written
	// The filter flags' condition, compiled as for summarize, and the
	// last format checked to have its fields.
	where   investigations.Cond
	filter  bool
	checked flowlog.Format
	// A write error stops reading (cancel) and every later write.
	cancel context.CancelFunc
	failed bool
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

// Begin starts an input of format f: one whose format lacks a field
// the filter reads is an error (the input is skipped).
func (p *parser) Begin(_ source.Input, f flowlog.Format) error {
	if p.filter && f != p.checked {
		if err := filterFields(p.where, f); err != nil {
			return err
		}
		p.checked = f
	}
	p.format = f
	return nil
}

// Add writes r, unless writing failed already.
func (p *parser) Add(r *flowlog.Record) {
	if p.failed {
		return
	}
	if err := p.emit(r); err != nil { // errOutput: Begin checked the filter's fields
		p.failed = true
		p.cancel()
	}
}

// flush writes the records read so far, before the input is waited for
// and at the end.
func (p *parser) flush() {
	if p.failed {
		return
	}
	if err := p.writeBlock(); err != nil { // in the tally
		p.failed = true
		p.cancel()
		return
	}
	if p.out.Buffered() == 0 {
		return
	}
	if err := p.out.Flush(); err != nil {
		p.tally.writeError(err)
		p.failed = true
		p.cancel()
	}
}

// emit writes r, of the input's format, as one JSON line if the filter
// keeps it (Begin checked the format has the filter's fields). A write
// error stops the command (errOutput). The format is read in place, not
// passed: it is some 170 bytes, copied per record otherwise.
func (p *parser) emit(r *flowlog.Record) error {
	if p.filter && !p.where.Match(r) {
		return nil
	}
	// Lines collect in a block written when full: the output buffer,
	// empty then, hands it to the writer as it is, so no line is copied.
	if p.block == nil {
		p.block = make([]byte, 0, emitBlock+emitBlock/4)
	}
	p.block = append(r.AppendJSON(p.block, p.format), '\n')
	if len(p.block) >= emitBlock {
		return p.writeBlock()
	}
	return nil
}

// writeBlock writes the block of JSON lines emit collected.
func (p *parser) writeBlock() error {
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
