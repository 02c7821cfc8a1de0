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

// Exit statuses, the same for every command. A pipeline that does not read
// standard error still learns from the status that something was lost.
const (
	exitOK      = 0 // every input read to its end, every record written
	exitFailed  = 1 // an error stopped the command
	exitUsage   = 2 // bad command line; nothing was read
	exitSkipped = 3 // --lenient went on past bad lines or inputs
)

// exitStatusHelp documents the statuses in every command's --help.
const exitStatusHelp = `Exit status:
  0  every input was read to its end and every record written
  1  an error stopped the command: a bad line or an unreadable, truncated
     or corrupt input (without --lenient), or output that could not be
     written (a full disk), with or without --lenient
  2  usage error (unknown command or flag, bad --format, no input); nothing
     was read
  3  --lenient went on past bad lines or inputs, which were skipped;
     standard error says which, and counts them at the end
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
	case t.lines > 0 || len(t.inputs) > 0:
		var parts []string
		if t.lines > 0 {
			parts = append(parts, plural(t.lines, "bad line"))
		}
		if len(t.inputs) > 0 {
			parts = append(parts, plural(len(t.inputs), "input")+" not read to the end"+listNames(t.inputs))
		}
		_, _ = fmt.Fprintf(t.stderr, "%s: skipped %s\n", t.cmd, strings.Join(parts, " and "))
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
