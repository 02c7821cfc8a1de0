package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

const reportHelp = `usage: flowlog report [flags] INPUT... -o report.html

Writes one self-contained HTML page of the flow logs in the inputs: the
totals, bytes and flows over time (accepted vs rejected), the top sources,
destinations and source/destination pairs, rejected traffic by
destination port and by source, traffic by flow direction,
traffic path and AWS service (where the format has those fields), and
NODATA/SKIPDATA by interface; and what it covers: the inputs, filters,
format and time span. Every chart has its numbers in a table beside it.

The page needs no network and no script: the charts are SVG drawn here.
It prints, and reads on a phone. Its numbers are those of
'flowlog summarize --by src,dst,pair --top N --json' with the
same inputs and filters: both come from one computation.

INPUT and the filters are those of 'flowlog summarize' (see its --help).

Examples:
  flowlog report ./logs/ -o report.html
  flowlog report --action REJECT --since 24h s3://my-flow-logs/AWSLogs/ -o rejected.html
  flowlog report --top 20 --title "Incident 4711: NAT egress" cwl:///vpc/flow-logs --since 2h -o evidence.html

The page is written only when the inputs were read (with --lenient, what
could be read: the page covers the rest, says at the top which inputs
and how many bad lines it skipped, and the status is 3), and it
replaces the file at the end, so a failed run leaves the last good page.

` + exitStatusHelp + "\nFlags:\n"

// runReport is `flowlog report`.
func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	out := fs.String("o", "", "the HTML file to write (- for standard output)")
	top := fs.Int("top", report.DefaultTop, "bars per chart before \"other\"")
	title := fs.String("title", "", "the page's title (default \"VPC Flow Logs report\")")
	pos, status, ok := parseCommand(fs, reportHelp, args, e)
	if !ok {
		return status
	}
	switch {
	case len(pos) == 0:
		_, _ = fmt.Fprint(stderr, "flowlog report: no inputs (use - for standard input; see --help)\n")
		return exitUsage
	case *out == "":
		_, _ = fmt.Fprint(stderr, "flowlog report: no output file: give -o report.html (or -o - for standard output)\n")
		return exitUsage
	case *top < 1:
		_, _ = fmt.Fprintf(stderr, "flowlog report: --top %d: want 1 or more\n", *top)
		return exitUsage
	}
	flt, err := in.filter(time.Now())
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "flowlog report: %v\n", err)
		return exitUsage
	}
	o, err := in.options(e, flt)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "flowlog report: %v\n", err)
		return exitUsage
	}

	plan := report.NewPlan(flt.Cond(), *top)
	var cols []*report.Collector
	newSink := func(int) source.Sink {
		c := plan.Collector()
		cols = append(cols, c)
		return reportSink{c}
	}
	t := &tally{cmd: "flowlog report", stderr: stderr, lenient: in.keepGoing}
	w := bufio.NewWriterSize(io.Discard, 0)
	var page *outFile
	if *out == "-" {
		w = bufio.NewWriterSize(stdout, pageBuffer)
	} else {
		// Before reading: a missing or unwritable directory is found now,
		// not after reading every input.
		if page, err = createOutput(*out); err != nil {
			_, _ = fmt.Fprintf(stderr, "flowlog report: %v\n", err)
			return exitFailed
		}
		defer page.Abort() // a no-op after Commit
	}
	// The first input in argument order chooses the charts (Plan.Spec),
	// as for investigate --all, whichever worker begins first.
	first := byFirstInput(ctx, o, func(f flowlog.Format) { plan.Spec(f) })
	if stopped := readInputs(ctx, e, t, o, pos, in.workers, newSink, first); stopped {
		t.failed = true
		return t.finish(w)
	}
	all := plan.Collector()
	for _, c := range cols {
		all.Merge(c)
	}
	// A chart without some inputs is something left out, as a partial
	// table is for summarize: the page says so, and the status too.
	t.partial = append(t.partial, all.Partial()...)
	built := report.Build(all, report.Meta{Title: *title, Inputs: pos, Filters: filterArgs(args, fs, flt),
		SkippedInputs: t.inputs, BadLines: t.lines})
	if *out == "-" {
		if err := report.Write(w, built); err != nil {
			t.writeError(err)
		}
		return t.finish(w)
	}
	if err := writeTo(page, built); err != nil {
		t.writeError(err)
		return t.finish(w)
	}
	_, _ = fmt.Fprintf(stderr, "flowlog report: wrote %s\n", *out)
	return t.finish(w)
}

// reportSink feeds one worker's records to its Collector.
type reportSink struct{ c *report.Collector }

func (k reportSink) Begin(in source.Input, f flowlog.Format) error { return k.c.BeginInput(in.Name, f) }
func (k reportSink) Add(r *flowlog.Record)                         { k.c.Add(r) }

// writeTo writes the page to o and commits it, through a buffer:
// report.Write writes the page in pieces, one per template action and
// text between them (~200 for 1M generated lines' ~150 KB page, the
// sections drawn in Go coming as one; buffered, strace counts 3 write
// system calls for it). When the template drew every mark and cell it was
// ~11,700 pieces, each a write system call, ~7% of the command's CPU
// time (perf record -e cpu-clock).
func writeTo(o *outFile, p report.Page) error {
	w := bufio.NewWriterSize(o, pageBuffer)
	err := report.Write(w, p)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		o.Abort()
		return fmt.Errorf("writing %s: %w", o.name, err)
	}
	return o.Commit()
}

// pageBuffer is the buffer the page is written through, to a file or
// standard output.
const pageBuffer = 64 << 10

// filterFlags are the flags that select records; the page lists them.
var filterFlags = map[string]bool{"action": true, "port": true, "protocol": true, "src": true, "dst": true, "interface": true, "since": true, "until": true}

// filterArgs returns the filter flags as given, e.g. "--action REJECT",
// in the order of the command line; a relative time also as the time it
// stood for.
func filterArgs(args []string, fs *flag.FlagSet, flt summary.Filter) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || !filterFlags[name] || fs.Lookup(name) == nil {
			continue
		}
		if !hasVal && i+1 < len(args) {
			i++
			val = args[i]
		}
		arg := "--" + name + " " + val
		for _, t := range []struct {
			flag string
			at   time.Time
		}{{"since", flt.Since}, {"until", flt.Until}} {
			if name == t.flag && !t.at.IsZero() && val != t.at.Format(time.RFC3339) {
				arg += " (" + t.at.Format(time.RFC3339) + ")"
			}
		}
		out = append(out, arg)
	}
	return out
}
