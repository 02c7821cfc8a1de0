package main

import (
	"context"
	"io"
	"os"
	"os/signal"
)

// runReading runs the commands that read flow logs through the input
// layer (package source). Ctrl-C cancels reading; what was read is not
// written.
func runReading(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd {
	case "summarize":
		return runSummarize(ctx, args, e)
	case "investigate":
		return runInvestigate(ctx, args, e)
	case "generate":
		return runGenerate(args, e)
	case "parse":
		return runParse(ctx, args, e)
	}
	return runConvert(ctx, args, e)
}
