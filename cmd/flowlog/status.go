package main

import (
	"errors"
	"flag"
)

// Exit statuses of every command.
const (
	exitOK     = 0 // everything was read and written
	exitFailed = 1 // an input, a line or the output failed (with --keep-going: something was skipped)
	exitUsage  = 2 // bad flags or arguments
)

// usageStatus is the status for a flag-parsing error: 0 for -h/--help.
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
