package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
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
S3 and CloudWatch Logs use the AWS SDK's default credential chain and
region (AWS_PROFILE, AWS_REGION: the log group's region; S3 requests go to
each bucket's own region). --since/--until narrow
S3 listings to the date folders of the range and CloudWatch Logs reads to
its events. Inputs are read in parallel (--workers).

Tables are exact: every group is counted (memory grows with the number of
distinct keys, ~200 bytes each per table, never with the number of
records).

--by takes: src, dst, pair (src+dst), srcport, dstport (port), protocol,
interface, action, status, direction, path, src-service, dst-service
(service), instance, subnet, vpc, account, az, or any field name; join
several with + (src+dstport). Default: src, the top talkers (as AWS's
VpcFlowLogsTopTalkers query); add tables with --by dst,pair,...

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
	mode, err := out.mode()
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog summarize: %v\n", err)
		return exitUsage
	}
	if len(pos) == 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog summarize: no inputs (use - for standard input; see --help)\n")
		return exitUsage
	}
	measure, ok := investigations.ParseMeasure(*sortBy)
	if !ok {
		_, _ = fmt.Fprintf(e.stderr, "flowlog summarize: --sort %q: want bytes, packets or records\n", *sortBy)
		return exitUsage
	}
	if *top < 0 {
		_, _ = fmt.Fprintf(e.stderr, "flowlog summarize: --top %d: want 0 (every group) or more\n", *top)
		return exitUsage
	}
	if len(by) == 0 {
		by = listFlag{"src"}
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
	return summarizeInputs(ctx, e, &in, pos, &summary.Spec{Tables: tables}, mode, true, "summarize")
}

// summarizeInputs reads the inputs into a summary of spec (plus the
// filter flags) and writes it.
func summarizeInputs(ctx context.Context, e *env, in *inputFlags, inputs []string, spec *summary.Spec, mode string, totals bool, cmd string) int {
	return summarizeWith(ctx, e, in, inputs, spec, mode, totals, cmd, nil)
}

// summarizeWith is summarizeInputs with a step between listing the inputs
// and reading them (see readInputs); it gets the input options too.
func summarizeWith(ctx context.Context, e *env, in *inputFlags, inputs []string, spec *summary.Spec, mode string, totals bool, cmd string,
	before func(*source.Options, []source.Input)) int {
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
	// Tables chosen up front are computed over the inputs that have
	// their fields (splitPlan); tables chosen by the first record
	// (TablesFor) by one summarizer.
	// (investigate --all sets them in before, after listing.)
	var split bool
	var plan *splitPlan
	var once sync.Once
	var sums []*summary.Summarizer
	var splits []*splitSink
	newSink := func(int) source.Sink {
		once.Do(func() {
			if split = len(spec.Tables) > 0; split {
				plan = newSplitPlan(spec)
			}
		})
		if split {
			k, _ := plan.sink() // checked above
			splits = append(splits, k)
			return k
		}
		s, _ := summary.New(spec) // checked above
		sums = append(sums, s)
		return summarySink{s}
	}
	t := &tally{cmd: "flowlog " + cmd, stderr: e.stderr, lenient: in.keepGoing}
	out := bufio.NewWriterSize(e.stdout, 64<<10)
	var pre func([]source.Input)
	if before != nil {
		pre = func(ins []source.Input) { before(o, ins) }
	}
	if stopped := readInputs(ctx, e, t, o, inputs, in.workers, newSink, pre); stopped {
		t.failed = true
		return t.finish(out)
	}
	var sum summary.Summary
	var lacking map[string]lack
	if split && len(splits) > 0 {
		if err := plan.unanswered(); err != nil {
			t.fail(err)
			return t.finish(out)
		}
		sum, lacking = plan.summary(splits)
	} else if len(sums) > 0 {
		all := sums[0]
		for _, s := range sums[1:] {
			all.Merge(s)
		}
		sum = all.Summary()
	}
	for _, tab := range sum.Tables {
		if l, ok := lacking[tab.Investigation.Name]; ok {
			e.note("flowlog " + cmd + ": " + tab.Investigation.Name + ": " + lackNote(l))
			// A partial table is something skipped: the status says so
			// to a pipeline that reads only the output (--csv).
			t.partial = append(t.partial, tab.Investigation.Name)
		}
	}
	if err := writeSummary(out, sum, mode, totals, lacking); err != nil {
		t.writeError(err)
	}
	return t.finish(out)
}

// summarySink feeds one worker's records to its Summarizer.
type summarySink struct{ s *summary.Summarizer }

func (k summarySink) Begin(_ source.Input, f flowlog.Format) error { return k.s.Begin(f) }
func (k summarySink) Add(r *flowlog.Record)                        { k.s.Add(r) }

// outputFlags are --json and --csv.
type outputFlags struct{ json, csv bool }

// outputMode registers --json and --csv, plain bools (--json=false is
// the table).
func outputMode(fs *flag.FlagSet) *outputFlags {
	o := &outputFlags{}
	fs.BoolVar(&o.json, "json", false, "write one JSON object: totals and tables")
	fs.BoolVar(&o.csv, "csv", false, "write CSV: a header row per table, tables separated by an empty line")
	return o
}

// mode returns the chosen output: "table", "json" or "csv"; asking for
// both JSON and CSV is a usage error.
func (o *outputFlags) mode() (string, error) {
	switch {
	case o.json && o.csv:
		return "", errors.New("--json and --csv: give one")
	case o.json:
		return "json", nil
	case o.csv:
		return "csv", nil
	}
	return "table", nil
}
