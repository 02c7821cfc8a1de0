package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// runFields prints the registry, or the presets with -presets.
func runFields(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fields", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	presets := fs.Bool("presets", false, "list the preset formats instead")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprint(stdout, fieldsHelp)
			return exitOK
		}
		_, _ = fmt.Fprintf(stderr, "flowlog fields: %v\n%s", err, fieldsHelp)
		return exitUsage
	}
	// The table is built in memory, where writes cannot fail, and written
	// out once, so that one check catches a write error.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
	if *presets {
		_, _ = fmt.Fprintln(tw, "PRESET\tVERSION\tFIELDS\tFORMAT")
		for _, name := range flowlog.PresetNames() {
			f, _ := flowlog.Preset(name)
			_, _ = fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", name, f.Version(), f.Len(), f)
		}
	} else {
		_, _ = fmt.Fprintln(tw, "FIELD\tCOLUMN\tVERSION\tLOGS\tKIND\tATHENA\tPARQUET\tDESCRIPTION")
		for _, f := range flowlog.Fields() {
			_, _ = fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", f.Name(), f.Column(), f.Version(), recordedBy(f), f.Kind(), f.AthenaType(), f.ParquetType(), f.Description())
		}
	}
	_ = tw.Flush()
	if _, err := stdout.Write(table.Bytes()); err != nil {
		(&tally{cmd: "flowlog fields", stderr: stderr}).writeError(err)
		return exitFailed
	}
	return exitOK
}

// recordedBy names the flow logs that record f: "vpc" (VPCs, subnets and
// network interfaces), "tgw" (transit gateways and attachments) or both.
func recordedBy(f flowlog.Field) string {
	switch {
	case f.InVPCFlowLogs() && f.InTransitGatewayFlowLogs():
		return "vpc,tgw"
	case f.InTransitGatewayFlowLogs():
		return "tgw"
	}
	return "vpc"
}
