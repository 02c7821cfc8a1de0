package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// runFields prints the registry, or the presets with -presets.
func runFields(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fields", flag.ContinueOnError)
	fs.SetOutput(stderr)
	presets := fs.Bool("presets", false, "list the preset formats instead")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if *presets {
		fmt.Fprintln(tw, "PRESET\tVERSION\tFIELDS\tFORMAT")
		for _, name := range flowlog.PresetNames() {
			f, _ := flowlog.Preset(name)
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", name, f.Version(), f.Len(), f)
		}
		tw.Flush()
		return 0
	}
	fmt.Fprintln(tw, "FIELD\tCOLUMN\tVERSION\tKIND\tATHENA\tPARQUET\tDESCRIPTION")
	for _, f := range flowlog.Fields() {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", f.Name(), f.Column(), f.Version(), f.Kind(), f.AthenaType(), f.ParquetType(), f.Description())
	}
	tw.Flush()
	return 0
}
