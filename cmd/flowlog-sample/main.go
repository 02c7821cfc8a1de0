// Command flowlog-sample writes generated flow logs to a directory, laid
// out as S3 delivery writes them (gzip text objects with a header line),
// for trying the CLI and making the README's example report:
//
//	go run ./cmd/flowlog-sample -format v5 -records 200000 -files 4 -o sample
//	flowlog report sample -o report.html
//
// The records come from flowlog.NewGenerator, so the same flags always
// write the same data.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("flowlog-sample", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "v5", "record format: a preset name (see flowlog fields -presets) or a LogFormat string")
	records := fs.Int("records", 100000, "number of records in all")
	files := fs.Int("files", 1, "number of objects to spread the records over")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same records")
	out := fs.String("o", "", "output directory (created if absent)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || *records < 0 || *files < 1 || fs.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, "usage: flowlog-sample [-format F] [-records N] [-files N] [-seed S] -o DIR")
		return 2
	}
	f, ok := flowlog.Preset(*format)
	if !ok {
		var err error
		if f, err = flowlog.ParseFormat(*format); err != nil {
			_, _ = fmt.Fprintf(stderr, "flowlog-sample: -format: %v\n", err)
			return 2
		}
	}
	if err := write(*out, f, *records, *files, *seed); err != nil {
		_, _ = fmt.Fprintf(stderr, "flowlog-sample: %v\n", err)
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "wrote %d records in %d objects to %s\n", *records, *files, *out)
	return 0
}

// write spreads n records of one generator over files objects, in time
// order, as consecutive S3 objects of one flow log would hold them.
func write(dir string, f flowlog.Format, n, files int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := flowlog.NewGenerator(seed, f)
	var r flowlog.Record
	for i := range files {
		name := filepath.Join(dir, fmt.Sprintf("123456789012_vpcflowlogs_us-east-1_fl-0sample_%04d.log.gz", i))
		count := n / files
		if i < n%files {
			count++
		}
		if err := writeObject(name, f, g, &r, count); err != nil {
			return err
		}
	}
	return nil
}

func writeObject(name string, f flowlog.Format, g *flowlog.Generator, r *flowlog.Record, count int) (err error) {
	file, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(file)
	w := flowlog.NewWriter(zw, f)
	w.Header = true
	for range count {
		g.Next(r)
		if err := w.Write(r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
