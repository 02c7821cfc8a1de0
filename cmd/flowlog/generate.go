package main

import (
	"bufio"
	"flag"
	"fmt"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

const generateHelp = `usage: flowlog generate [--records N] [--seed S] [--format F] [--no-header]

Writes N random but plausible flow-log records (flowlog.Generator: ~3%
NODATA, ~1% SKIPDATA, ~10% IPv6, ~1 in 8 rejected) as an S3 text object
would hold them, header line first: data to try the other commands on, or
to load-test. The same seed and format always give the same records.

Examples:
  flowlog generate --records 1000000 | gzip > flows.log.gz
  flowlog generate --format v5 --seed 7 > v5.log
  flowlog generate --no-header --records 10 | flowlog summarize -

` + writerExitStatusHelp + "\nFlags:\n"

// runGenerate is `flowlog generate`.
func runGenerate(args []string, e *env) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	n := fs.Int("records", 100_000, "how many records")
	seed := fs.Uint64("seed", 1, "random seed")
	format := fs.String("format", "default", "record format: a preset, a LogFormat string or field names")
	noHeader := fs.Bool("no-header", false, "leave out the header line, as in CloudWatch Logs events")
	start := fs.String("start", "", "the first record's start time (RFC 3339; default 2023-11-14T22:13:20Z)")
	pos, status, ok := parseCommand(fs, generateHelp, args, e)
	if !ok {
		return status
	}
	if len(pos) > 0 || *n < 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog generate: takes no arguments and a --records >= 0 (see --help)\n")
		return exitUsage
	}
	f, err := parseFormatFlag(*format)
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog generate: --format: %v\n", err)
		return exitUsage
	}
	var shift int64
	if *start != "" {
		t, err := time.Parse(time.RFC3339, *start)
		if err != nil {
			_, _ = fmt.Fprintf(e.stderr, "flowlog generate: --start: %v\n", err)
			return exitUsage
		}
		shift = t.Unix() - generatorEpoch
	}
	t := &tally{cmd: "flowlog generate", stderr: e.stderr}
	out := bufio.NewWriterSize(e.stdout, 256<<10)
	w := flowlog.NewWriter(out, f)
	w.Header = !*noHeader
	g := flowlog.NewGenerator(*seed, f)
	var r flowlog.Record
	for range *n {
		g.Next(&r)
		if shift != 0 {
			for _, fld := range []flowlog.Field{flowlog.Start, flowlog.End} {
				if r.Has(fld) {
					_ = r.SetUint(fld, uint64(int64(r.Get(fld).Uint())+shift))
				}
			}
		}
		if err := w.Write(&r); err != nil {
			t.writeError(err)
			break
		}
	}
	if err := w.Flush(); err != nil && !t.failed {
		t.writeError(err)
	}
	return t.finish(out)
}

// generatorEpoch is the first start time of flowlog.Generator's records.
const generatorEpoch = 1_700_000_000
