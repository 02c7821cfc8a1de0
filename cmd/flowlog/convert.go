package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

const convertHelp = `usage: flowlog convert --to parquet|jsonl|csv [flags] INPUT...

Writes the records of the inputs (files, directories, -, s3://, cwl://; see
'flowlog summarize --help') as:
  parquet  AWS's Parquet schema for flow logs: a column per field named by
           its underscore column name, INT_32/INT_64/STRING as the VPC guide
           lists them, gzip compression (what S3 delivery writes with
           FileFormat parquet);
  jsonl    one JSON object per line, as 'flowlog parse' writes;
  csv      a header row of the registry's column names, then a row per
           record ("-" fields empty).

Parquet reads back as an input of every command; JSON Lines and CSV are
for other tools (reading them back is an error that says so).

With -o FILE (default: standard output) everything goes to one file,
which appears only when the command succeeds (a failed run leaves an
existing FILE as it was). With --out-dir DIR the records are laid out as S3 delivery lays out objects:
DIR/AWSLogs/aws-account-id=A/aws-service=vpcflowlogs/aws-region=R/year=Y/
month=M/day=D/[hour=H/] (--plain for the non-Hive folders), by each record's
account-id and region (or --account and --region when the format lacks
them) and start time, so that DuckDB, Spark or Athena can read a local copy
with partition pruning. File names end in a random suffix, as AWS's do,
and no file is ever overwritten: a second run into DIR adds its files
beside the first run's. E.g. in DuckDB:
  SELECT * FROM read_parquet('DIR/AWSLogs/**/*.parquet', hive_partitioning = true);

The output has the format of the first input (or --fields); an input of
another format is an error (convert each format separately, or give
--fields to pick the columns).

Examples:
  flowlog convert --to parquet -o flows.parquet ./logs/
  flowlog convert --to csv --action REJECT ./logs/ > rejected.csv
  flowlog convert --to parquet --out-dir ./lake --hourly s3://my-flow-logs/AWSLogs/ --since 24h
  flowlog convert --to jsonl --format v5 cwl:///vpc/flow-logs --since 2h | jq .

` + exitStatusHelp + "\nFlags:\n"

// maxRowsPerFile bounds the records of one --out-dir file (a Parquet
// writer holds a row group in memory until the file is closed).
const maxRowsPerFile = 1 << 20

// maxOpenFiles bounds the --out-dir files open at once; the least
// recently written is closed (and a later record of its partition starts
// a new file).
const maxOpenFiles = 32

// runConvert is `flowlog convert`.
func runConvert(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	to := fs.String("to", "", "output: parquet, jsonl or csv")
	outFile := fs.String("o", "-", "output file (- for standard output)")
	outDir := fs.String("out-dir", "", "write files laid out as in S3 under this directory instead")
	plain := fs.Bool("plain", false, "with --out-dir: the plain (non-Hive) folder layout")
	hourly := fs.Bool("hourly", false, "with --out-dir: hour folders (PerHourPartition)")
	account := fs.String("account", "", "with --out-dir: the account ID for records without account-id")
	region := fs.String("region", "", "with --out-dir: the region for records without region")
	flowLogID := fs.String("flow-log-id", "fl-local", "with --out-dir: the flow-log ID in file names")
	fields := fs.String("fields", "", "output format: a preset, a LogFormat string or field names (default: the first input's)")
	pos, status, ok := parseCommand(fs, convertHelp, args, e)
	if !ok {
		return status
	}
	if *to != "parquet" && *to != "jsonl" && *to != "csv" {
		_, _ = fmt.Fprintf(e.stderr, "flowlog convert: --to %q: want parquet, jsonl or csv\n", *to)
		return exitUsage
	}
	if len(pos) == 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog convert: no inputs (use - for standard input; see --help)\n")
		return exitUsage
	}
	if *outDir != "" && *outFile != "-" {
		_, _ = fmt.Fprint(e.stderr, "flowlog convert: give -o or --out-dir, not both\n")
		return exitUsage
	}
	flt, err := in.filter(time.Now())
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog convert: %v\n", err)
		return exitUsage
	}
	o, err := in.options(e, flt)
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog convert: %v\n", err)
		return exitUsage
	}
	c := &converter{to: *to, where: flt.Cond(), filter: !flt.IsZero()}
	if *fields != "" {
		if c.f, err = parseFormatFlag(*fields); err != nil {
			_, _ = fmt.Fprintf(e.stderr, "flowlog convert: --fields: %v\n", err)
			return exitUsage
		}
		c.fixed = true
	}
	if *outDir != "" {
		c.dir = &dirOutput{root: *outDir, layout: s3layout.Layout{Hive: !*plain, PerHour: *hourly, Parquet: *to == "parquet"},
			account: *account, region: *region, flowLogID: *flowLogID, open: map[string]*partFile{}}
	} else {
		w := e.stdout
		if *outFile != "-" {
			f, err := createOutput(*outFile)
			if err != nil {
				_, _ = fmt.Fprintf(e.stderr, "flowlog convert: %v\n", err)
				return exitFailed
			}
			c.file = f
			w = f
		}
		c.out = bufio.NewWriterSize(w, 256<<10)
	}
	// One worker keeps the records in input order.
	t := &tally{cmd: "flowlog convert", stderr: e.stderr, lenient: in.keepGoing}
	// --out-dir names folders and files by account and region: an input
	// format without them needs --account and --region, which is known
	// from the first input before anything is read or written.
	check := func(ins []source.Input) error {
		if c.dir == nil || (*account != "" && *region != "") || len(ins) == 0 || ins[0].Name == "-" {
			return nil
		}
		f, ok := firstFormat(ctx, o, ins[0])
		if !ok {
			return nil // reported when it is read
		}
		var lacks, flags []string
		if *account == "" && !f.Has(flowlog.AccountID) {
			lacks, flags = append(lacks, "account-id"), append(flags, "--account")
		}
		if *region == "" && !f.Has(flowlog.Region) {
			lacks, flags = append(lacks, "region"), append(flags, "--region")
		}
		if len(flags) > 0 {
			return fmt.Errorf("--out-dir: the format of %s has no %s: give %s", ins[0].Name, strings.Join(lacks, " or "), strings.Join(flags, " and "))
		}
		return nil
	}
	stopped, refused := readChecked(ctx, e, t, o, pos, 1, func(int) source.Sink { return c }, check)
	if refused != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog convert: %v\n", refused)
		return exitUsage
	}
	if stopped {
		c.abort()
		t.failed = true
		return t.finish(bufio.NewWriter(io.Discard))
	}
	if err := c.finish(); err != nil {
		t.writeError(err)
	}
	return t.finish(bufio.NewWriter(io.Discard))
}

// converter is the Sink of convert: it writes every record it is given.
type converter struct {
	to     string
	f      flowlog.Format // the output format, once known
	fixed  bool           // f came from --fields
	where  interface{ Match(*flowlog.Record) bool }
	filter bool
	out    *bufio.Writer // -o
	file   *outFile      // -o FILE, put in place by finish
	enc    *encoder      // -o
	dir    *dirOutput    // --out-dir
	err    error         // the first write error
}

// errFormatChange is the error for an input whose format differs from the
// output's.
var errFormatChange = errors.New("format differs from the output's (convert each format separately, or give --fields)")

func (c *converter) Begin(_ source.Input, f flowlog.Format) error {
	if c.f.IsZero() {
		c.f = f
	}
	if !c.fixed && f != c.f {
		return fmt.Errorf("%w: input %q, output %q", errFormatChange, f.Header(), c.f.Header())
	}
	if c.out != nil && c.enc == nil {
		c.enc = newEncoder(c.to, c.out, c.f)
	}
	return c.err
}

func (c *converter) Add(r *flowlog.Record) {
	if c.err != nil || (c.filter && !c.where.Match(r)) {
		return
	}
	if c.dir != nil {
		c.err = c.dir.write(c, r)
		return
	}
	c.err = c.enc.write(r)
}

func (c *converter) finish() error {
	if c.err != nil {
		c.abort()
		return c.err
	}
	if c.dir != nil {
		return c.dir.closeAll()
	}
	if c.enc == nil { // no records: still a valid, empty output
		c.enc = newEncoder(c.to, c.out, c.f)
	}
	err := c.enc.close()
	if ferr := c.out.Flush(); err == nil {
		err = ferr
	}
	if c.file != nil {
		if err != nil {
			c.file.Abort()
			return fmt.Errorf("writing %s: %w", c.file.name, err)
		}
		return c.file.Commit()
	}
	return err
}

// abort closes what is open after reading stopped at an error; the
// status says so. An -o FILE is left as it was (no partial file); the
// files of --out-dir closed so far are whole and stay.
func (c *converter) abort() {
	if c.dir != nil {
		_ = c.dir.closeAll()
	}
	if c.file != nil {
		c.file.Abort()
	}
}

// encoder writes records in one output form.
type encoder struct {
	to  string
	w   io.Writer
	f   flowlog.Format
	pq  *flowlog.ParquetWriter
	buf []byte
	n   int
}

func newEncoder(to string, w io.Writer, f flowlog.Format) *encoder {
	e := &encoder{to: to, w: w, f: f}
	switch to {
	case "parquet":
		e.pq = flowlog.NewParquetWriter(w, f)
	case "csv":
		for i, fld := range f.Fields() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, fld.Column()...)
		}
		e.buf = append(e.buf, '\n')
	}
	return e
}

func (e *encoder) write(r *flowlog.Record) error {
	e.n++
	switch e.to {
	case "parquet":
		return e.pq.Write(r)
	case "jsonl":
		e.buf = append(r.AppendJSON(e.buf[:0], e.f), '\n')
	default:
		e.buf = appendCSV(e.buf, r, e.f)
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

func (e *encoder) close() error {
	if e.pq != nil {
		return e.pq.Close()
	}
	if len(e.buf) > 0 { // a CSV header with no rows
		_, err := e.w.Write(e.buf)
		return err
	}
	return nil
}

// appendCSV appends r as a CSV row: absent fields empty. Flow-log values
// hold no commas, quotes or line breaks except in tags, which are quoted.
func appendCSV(dst []byte, r *flowlog.Record, f flowlog.Format) []byte {
	for i, fld := range f.Fields() {
		if i > 0 {
			dst = append(dst, ',')
		}
		v := r.Get(fld)
		if !v.Valid() {
			continue
		}
		start := len(dst)
		dst = v.AppendText(dst)
		if needsQuote(dst[start:]) {
			val := string(dst[start:])
			dst = append(dst[:start], '"')
			for _, c := range []byte(val) {
				if c == '"' {
					dst = append(dst, '"')
				}
				dst = append(dst, c)
			}
			dst = append(dst, '"')
		}
	}
	return append(dst, '\n')
}

func needsQuote(b []byte) bool {
	for _, c := range b {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// dirOutput writes files laid out as in S3.
type dirOutput struct {
	root            string
	layout          s3layout.Layout
	account, region string
	flowLogID       string
	open            map[string]*partFile // by folder
	clock           int
}

type partFile struct {
	f    *os.File
	bw   *bufio.Writer
	enc  *encoder
	used int
}

func (d *dirOutput) write(c *converter, r *flowlog.Record) error {
	acct, region := d.account, d.region
	if r.Has(flowlog.AccountID) {
		acct = r.AccountID()
	}
	if r.Has(flowlog.Region) {
		region = r.Region()
	}
	if acct == "" || region == "" {
		return errors.New("a record has no account-id or region: give --account and --region")
	}
	t := r.Start()
	if t.IsZero() {
		t = r.End()
	}
	if t.IsZero() {
		return errors.New("a record has neither start nor end, so it has no place in the layout")
	}
	dir := d.layout.Dir(acct, region, t)
	p := d.open[dir]
	if p == nil || p.enc.n >= maxRowsPerFile {
		if p != nil {
			if err := d.closeFile(dir, p); err != nil {
				return err
			}
		}
		if len(d.open) >= maxOpenFiles {
			if err := d.closeOldest(); err != nil {
				return err
			}
		}
		var err error
		if p, err = d.create(c, acct, region, t); err != nil {
			return err
		}
		d.open[dir] = p
	}
	d.clock++
	p.used = d.clock
	return p.enc.write(r)
}

func (d *dirOutput) create(c *converter, acct, region string, t time.Time) (*partFile, error) {
	var f *os.File
	for {
		// A random suffix, like the hash of AWS's own object names: runs
		// into the same directory add files and never overwrite one
		// (O_EXCL makes sure; a clash, ~1 in 4e9, draws again).
		hash := fmt.Sprintf("%08x", rand.Uint32())
		var name string
		switch c.to {
		case "parquet":
			name = d.layout.Key(acct, region, d.flowLogID, t, hash)
		default:
			name = d.layout.Dir(acct, region, t) + acct + "_" + s3layout.Service + "_" + region + "_" + d.flowLogID + "_" + hash + "." + c.to
		}
		path := filepath.Join(d.root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		var err error
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	return &partFile{f: f, bw: bw, enc: newEncoder(c.to, bw, c.f)}, nil
}

func (d *dirOutput) closeFile(dir string, p *partFile) error {
	delete(d.open, dir)
	err := p.enc.close()
	if ferr := p.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (d *dirOutput) closeOldest() error {
	var oldest string
	for dir, p := range d.open {
		if oldest == "" || p.used < d.open[oldest].used {
			oldest = dir
		}
	}
	return d.closeFile(oldest, d.open[oldest])
}

func (d *dirOutput) closeAll() error {
	var errs []error
	for dir, p := range d.open {
		errs = append(errs, d.closeFile(dir, p))
	}
	return errors.Join(errs...)
}
