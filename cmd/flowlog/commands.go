package main

import (
	"context"
	"io"
	"os"
	"os/signal"
)

// runReading runs the commands that read flow logs through the input
// layer (package source). Ctrl-C cancels reading; what was read is not
// written (parse has written its records as it read them). A second
// Ctrl-C ends the process at once, e.g. while it waits for standard
// input, whose read the first cannot cut short.
func runReading(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // the default behaviour again
	}()
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
