package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// Exit statuses. A pipeline that does not read standard error still learns
// from the status that something was lost. "review" has its own meanings
// for 1 and 2 (reviewExitStatusHelp), as diff(1) does: 1 is a verdict, 2 trouble.
const (
	exitOK      = 0 // every input read to its end, every record written
	exitFailed  = 1 // an error stopped the command
	exitUsage   = 2 // bad command line; nothing was read
	exitSkipped = 3 // --keep-going (--lenient for parse) went on past bad lines or inputs, or a table left inputs out
)

// exitStatusHelp documents the statuses in the --help of summarize,
// investigate, convert and report (whose --keep-going is also spelled
// --lenient); parseExitStatusHelp the same for parse and its --lenient.
const (
	exitStatusHelp      = statusA + "--keep-going" + statusB + "--keep-going" + statusC + "--keep-going" + statusD + statusPartial
	parseExitStatusHelp = statusA + "--lenient" + statusB + "--lenient" + statusC + "--lenient" + statusD
)

// The text of a reading command's statuses, around the name of its skip flag.
const (
	statusA = `Exit status:
  0  every input was read to its end and every record written
  1  an error stopped the command: a bad line or an unreadable, truncated
     or corrupt input (without `
	statusB = `), or output that could not be
     written (a full disk), with or without `
	statusC = `
  2  usage error (unknown command or flag, bad --format, no input); nothing
     was read
  3  `
	statusD = ` went on past bad lines or inputs, which were skipped;
     standard error says which, and counts them at the end
`
	statusPartial = `     summarize, investigate: also when a table was computed without an input
     whose format lacks its fields (inputs of several formats); the table,
     --json (inputs_lacking_fields) and standard error say which
`
)

// writerExitStatusHelp documents the statuses of fields and generate, which
// read no input.
const writerExitStatusHelp = `Exit status:
  0  the output was written
  1  the output could not be written (a full disk, a closed pipe)
  2  usage error (unknown flag or bad argument); nothing was written
`

// reviewExitStatusHelp documents the statuses of review.
const reviewExitStatusHelp = `Exit status:
  0  reviewed, and nothing --strict objects to
  1  --strict found a finding of its severity or worse, or (with --base) a
     weakening
  2  usage error, a template that could not be read, or output that could
     not be written
`

// usageExitStatus sums up the statuses of every command for the usage text.
const usageExitStatus = `Exit status (each command's --help gives its own):
  0  done: every input read to its end and every record written; review:
     nothing --strict objects to
  1  an error stopped the command; review: --strict found findings or a
     weakening
  2  usage error, nothing read; review: also a template it could not read
  3  parse --lenient, or --keep-going of summarize, investigate, convert and
     report, skipped bad lines or inputs; summarize, investigate: a table
     was computed without an input whose format lacks its fields
`

// tally reports a command's errors on standard error as
// FILE:LINE:FIELD: message, counts what --lenient skipped, and gives the
// exit status. Every command that reads flow logs uses one.
type tally struct {
	cmd     string // the command, e.g. "flowlog parse": the prefix of its own messages
	stderr  io.Writer
	lenient bool
	lines   int      // bad lines skipped
	inputs  []string // inputs skipped, whole or from an error on
	partial []string // tables computed without some inputs, whose format lacks their fields
	failed  bool     // an error stopped the command
}

// line reports a bad line (or log event, or Parquet row) of input name and
// reports whether to go on: only with --lenient, which skips it.
func (t *tally) line(name string, err error) bool {
	t.report(name, err)
	if !t.lenient {
		t.failed = true
		return false
	}
	t.lines++
	return true
}

// input reports that input name could not be read, or not to its end, and
// reports whether to go on with the next input: only with --lenient.
func (t *tally) input(name string, err error) bool {
	t.report(name, err)
	if !t.lenient {
		t.failed = true
		return false
	}
	t.inputs = append(t.inputs, name)
	return true
}

// fail reports an error that stops the command whatever the mode, such
// as a write error.
func (t *tally) fail(err error) {
	_, _ = fmt.Fprintf(t.stderr, "%s: %v\n", t.cmd, err)
	t.failed = true
}

// finish flushes the command's output, then says what was skipped and
// returns the exit status.
func (t *tally) finish(out *bufio.Writer) int {
	if err := out.Flush(); err != nil && !t.failed {
		t.fail(fmt.Errorf("writing output: %w", err))
	}
	switch {
	case t.failed:
		return exitFailed
	case t.lines > 0 || len(t.inputs) > 0 || len(t.partial) > 0:
		var parts []string
		if t.lines > 0 {
			parts = append(parts, plural(t.lines, "bad line"))
		}
		if len(t.inputs) > 0 {
			parts = append(parts, plural(len(t.inputs), "input")+" not read to the end"+listNames(t.inputs))
		}
		if len(parts) > 0 {
			_, _ = fmt.Fprintf(t.stderr, "%s: skipped %s\n", t.cmd, strings.Join(parts, " and "))
		}
		if len(t.partial) > 0 {
			_, _ = fmt.Fprintf(t.stderr, "%s: %s computed without some inputs%s\n", t.cmd, plural(len(t.partial), "table"), listNames(t.partial))
		}
		return exitSkipped
	}
	return exitOK
}

// writeError is the error for output that could not be written; the
// command stops at once.
func (t *tally) writeError(err error) {
	t.fail(fmt.Errorf("writing output: %w", err))
}

// report prints err as FILE:LINE:FIELD: message (LINE and FIELD when
// known, from a *flowlog.ParseError in err), as source.Error does. The
// message leaves out what the location says.
func (t *tally) report(name string, err error) {
	var pe *flowlog.ParseError
	if !errors.As(err, &pe) {
		// Every line names the input (errors.Join gives several).
		for l := range strings.SplitSeq(err.Error(), "\n") {
			_, _ = fmt.Fprintf(t.stderr, "%s: %s\n", name, l)
		}
		return
	}
	_, _ = fmt.Fprintln(t.stderr, (&source.Error{Input: name, Err: err}).Error())
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// listNames lists up to 5 names, for the summary.
func listNames(names []string) string {
	if len(names) == 0 {
		return ""
	}
	s := " (" + strings.Join(names[:min(len(names), 5)], ", ")
	if len(names) > 5 {
		s += ", and " + strconv.Itoa(len(names)-5) + " more"
	}
	return s + ")"
}
