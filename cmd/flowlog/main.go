// Command flowlog lists the VPC flow-log fields and parses flow-log files.
//
// Usage:
//
//	flowlog fields
//	flowlog parse [--format F] [--lenient] [filters] INPUT...
//	flowlog review [--base OLD] [--markdown | --json] [--strict[=SEV]] [--cost GB] TEMPLATE|DIR...
//	flowlog summarize [flags] INPUT...
//	flowlog investigate [flags] NAME... INPUT... | --list
//	flowlog convert --to parquet|jsonl|csv [flags] INPUT...
//	flowlog generate [--records N] [--format F]
//
// "parse", "summarize", "investigate" and "convert" read files, directories,
// standard input, s3://bucket/prefix and cwl://log-group (package source),
// filter records, and write them as JSON Lines (parse), show totals and
// investigation tables (package summary) or write Parquet, JSON Lines or
// CSV; each command's --help has examples.
//
// "review" explains and checks the flow logs of CloudFormation templates; see
// "flowlog review --help".
//
// "fields" prints the field registry as a table.
//
// "parse" writes one JSON object per record to standard output, in input
// order, with typed values and absent fields omitted, as it reads them (a
// slow pipe's records come out as their lines arrive). Text inputs with an
// S3 header line use its format; headerless ones are read as the default
// format when their first line parses as it, or in --format, which takes a
// preset name (see "flowlog fields -presets"), a LogFormat string such as
// '${srcaddr} ${dstaddr}', or space-separated field names. Errors go to
// standard error as INPUT:LINE:FIELD: message. parse stops at the first
// error; with --lenient it reports every bad line and unreadable input,
// goes on, and counts them at the end.
//
// Exit status: 0 when every input was read to its end and every record
// written; 1 when an error stopped the command (a bad line or input
// without parse's --lenient or the other commands' --keep-going, or a
// write error); 2 for a usage error; 3 when --lenient or --keep-going
// skipped bad lines or inputs. "review" exits 1 when --strict objects and
// 2 on a template it cannot read; "fields" and "generate" read no input.
// Each command's --help lists its own (status.go).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) > 1 && aggregates[os.Args[1]] {
		collectFrom(heapFloor)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  flowlog fields [-presets]
  flowlog parse [--format F] [--lenient] [filters] INPUT...
  flowlog review [--base OLD] [--markdown | --json] [--strict[=SEV]] [--cost GB] TEMPLATE|DIR...
  flowlog summarize [flags] INPUT...
  flowlog investigate [flags] NAME... INPUT...  |  --list
  flowlog convert --to parquet|jsonl|csv [flags] INPUT...
  flowlog report [flags] INPUT... -o report.html
  flowlog generate [--records N] [--format F]

INPUT: a file, a directory, - (stdin), s3://bucket[/prefix], cwl://log-group.
Run "flowlog COMMAND --help" for a command's flags and examples.

` + usageExitStatus

// run runs the command and returns its exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "fields":
		return runFields(args[1:], stdout, stderr)
	case "review":
		return runReview(args[1:], stdout, stderr)
	case "parse", "summarize", "investigate", "convert", "generate":
		return runReading(args[0], args[1:], stdin, stdout, stderr)
	case "report":
		return runReport(args[1:], stdin, stdout, stderr)
	case "-h", "-help", "--help", "help":
		_, _ = fmt.Fprint(stdout, usage)
		return exitOK
	}
	_, _ = fmt.Fprintf(stderr, "flowlog: unknown command %q\n%s", args[0], usage)
	return exitUsage
}
