package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

const summarizeHelp = `usage: flowlog summarize [flags] INPUT...

Totals (records, packets, bytes; accepted, rejected; NODATA, SKIPDATA; the
time span) and top-N tables of the flow logs in the inputs. Each table is an
ad-hoc investigation run by the catalogue's evaluator (see 'flowlog
investigate --list'); its columns are the registry's column names, then
records, packets, bytes. Records whose key is "-" (NODATA, SKIPDATA) are in
the totals but not in the tables.

INPUT is a file, a directory (searched recursively for .log, .log.gz and
.log.parquet), - for standard input, s3://bucket[/prefix] or
cwl://log-group. Plain text, gzip and Parquet are told apart by content;
text inputs take their format from their header line; headerless input is
read as the default format when it parses as it, otherwise give --format.
S3 and CloudWatch Logs use the AWS SDK's default credential chain; set
AWS_REGION to the bucket's or log group's region. --since/--until narrow
S3 listings to the date folders of the range and CloudWatch Logs reads to
its events. Inputs are read in parallel (--workers).

Tables are exact: every group is counted (memory grows with the number of
distinct keys, ~200 bytes each per table, never with the number of
records).

--by takes: src, dst, pair (src+dst), srcport, dstport (port), protocol,
interface, action, status, direction, path, src-service, dst-service
(service), instance, subnet, vpc, account, az, or any field name; join
several with + (src+dstport). Default: src, dst (the top talkers).

Examples:
  flowlog summarize ./logs/
  flowlog summarize --by pair --sort packets --top 20 ./logs/
  flowlog summarize --action REJECT --by src --by dstport s3://my-flow-logs/AWSLogs/ --since 24h
  flowlog summarize --src 10.0.0.0/8 --dst 2001:db8::/32 --json cwl:///vpc/flow-logs --since 2h
  flowlog summarize --csv --by interface+action ./logs/ > by-eni.csv

With --keep-going the summary covers what could be read, and status 3
says that something was skipped.

` + exitStatusHelp + "\nFlags:\n"

// runSummarize is `flowlog summarize`.
func runSummarize(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("summarize", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	var by listFlag
	fs.Var(&by, "by", "group the top-N tables by this (repeatable, comma-separated; see above)")
	top := fs.Int("top", 10, "rows per table (0: every group)")
	sortBy := fs.String("sort", "bytes", "rank groups by bytes, packets or records")
	out := outputMode(fs)
	pos, status, ok := parseCommand(fs, summarizeHelp, args, e)
	if !ok {
		return status
	}
	if len(pos) == 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog summarize: no inputs (use - for standard input; see --help)\n")
		return exitUsage
	}
	measure, ok := investigations.ParseMeasure(*sortBy)
	if !ok || *top < 0 {
		_, _ = fmt.Fprintf(e.stderr, "flowlog summarize: --sort %q: want bytes, packets or records; --top must be >= 0\n", *sortBy)
		return exitUsage
	}
	if len(by) == 0 {
		by = listFlag{"src,dst"}
	}
	var tables []investigations.Investigation
	for _, v := range by {
		for g := range strings.SplitSeq(v, ",") {
			fields, err := parseGroup(strings.TrimSpace(g))
			if err != nil {
				_, _ = fmt.Fprintf(e.stderr, "flowlog summarize: %v\n", err)
				return exitUsage
			}
			tables = append(tables, summary.TopN(fields, measure, *top))
		}
	}
	return summarizeInputs(ctx, e, &in, pos, &summary.Spec{Tables: tables}, *out, true, "summarize")
}

// summarizeInputs reads the inputs into a summary of spec (plus the
// filter flags) and writes it.
func summarizeInputs(ctx context.Context, e *env, in *inputFlags, inputs []string, spec *summary.Spec, mode string, totals bool, cmd string) int {
	flt, err := in.filter(time.Now())
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog %s: %v\n", cmd, err)
		return exitUsage
	}
	spec.Where = flt.Cond()
	o, err := in.options(e, flt)
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog %s: %v\n", cmd, err)
		return exitUsage
	}
	if _, err := summary.New(spec); err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog %s: %v\n", cmd, err)
		return exitUsage
	}
	var sums []*summary.Summarizer
	newSink := func(int) source.Sink {
		s, _ := summary.New(spec) // checked above
		sums = append(sums, s)
		return summarySink{s}
	}
	t := &tally{cmd: "flowlog " + cmd, stderr: e.stderr, lenient: in.keepGoing}
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	if stopped := readAll(ctx, e, t, o, inputs, in.workers, newSink); stopped {
		t.failed = true
		return t.finish(out)
	}
	all := sums[0]
	for _, s := range sums[1:] {
		all.Merge(s)
	}
	if err := writeSummary(out, all.Summary(), mode, totals); err != nil {
		t.writeError(err)
	}
	return t.finish(out)
}

// summarySink feeds one worker's records to its Summarizer.
type summarySink struct{ s *summary.Summarizer }

func (k summarySink) Begin(_ source.Input, f flowlog.Format) error { return k.s.Begin(f) }
func (k summarySink) Add(r *flowlog.Record)                        { k.s.Add(r) }

// outputMode registers --json and --csv and returns the chosen mode.
func outputMode(fs *flag.FlagSet) *string {
	mode := new(string)
	*mode = "table"
	fs.BoolFunc("json", "write one JSON object: totals and tables", func(string) error { *mode = "json"; return nil })
	fs.BoolFunc("csv", "write CSV: a header row per table, tables separated by an empty line", func(string) error { *mode = "csv"; return nil })
	return mode
}
