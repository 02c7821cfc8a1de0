package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/term"
)

// env is what a command writes to and reads from.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	mu     sync.Mutex // serializes stderr between workers and progress
	prog   *progress
	// noProgress turns the progress line off (parse writing records to
	// the terminal).
	noProgress bool
}

// note prints a notice or error line on stderr, above any progress bar.
func (e *env) note(msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.prog != nil {
		e.prog.clear()
	}
	_, _ = fmt.Fprintln(e.stderr, msg)
}

// parseArgs parses flags and positional arguments in any order, as gh and
// kubectl do; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseCommand parses a command's flags and arguments. --help prints the
// help and the flags on standard output (status 0); a bad flag prints the
// error and a hint on standard error (status 2). ok is false when the
// command should return status.
func parseCommand(fs *flag.FlagSet, help string, args []string, e *env) (pos []string, status int, ok bool) {
	fs.SetOutput(io.Discard)
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		_, _ = fmt.Fprint(e.stdout, help)
		fs.PrintDefaults()
		return nil, exitOK, false
	}
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog %s: %v (see flowlog %s --help)\n", fs.Name(), err, fs.Name())
		return nil, exitUsage, false
	}
	return pos, 0, true
}
