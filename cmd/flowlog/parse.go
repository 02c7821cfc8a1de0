package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// runParse parses files to JSON Lines.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	formatFlag := fs.String("format", "", "record format: a preset name, a LogFormat string, or field names (default: the file's header)")
	lenient := fs.Bool("lenient", false, "report bad lines and go on; exit 0")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "flowlog parse: no files (use - for standard input)\n")
		return 2
	}
	var format flowlog.Format
	if *formatFlag != "" {
		var err error
		if format, err = parseFormatFlag(*formatFlag); err != nil {
			fmt.Fprintf(stderr, "flowlog parse: --format: %v\n", err)
			return 2
		}
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	p := &parser{format: format, lenient: *lenient, out: out, stderr: stderr}
	for _, name := range fs.Args() {
		if !p.file(name, stdin) && !p.lenient {
			return 1
		}
	}
	if p.failed && !p.lenient {
		return 1
	}
	return 0
}

// parseFormatFlag accepts a preset name, a LogFormat string or field names.
func parseFormatFlag(s string) (flowlog.Format, error) {
	if f, ok := flowlog.Preset(s); ok {
		return f, nil
	}
	if strings.Contains(s, "${") {
		return flowlog.ParseFormat(s)
	}
	return flowlog.ParseHeader(s)
}

type parser struct {
	format  flowlog.Format
	lenient bool
	out     *bufio.Writer
	stderr  io.Writer
	buf     []byte
	failed  bool
}

// file parses one file and reports whether it had no errors.
func (p *parser) file(name string, stdin io.Reader) bool {
	var in io.Reader
	if name == "-" {
		in = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			p.report(name, err)
			return false
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && isParquet(f) {
			return p.parquet(name, f, st.Size())
		}
		if data, ok := gzippedParquet(f); ok {
			return p.parquet(name, bytes.NewReader(data), int64(len(data)))
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			p.report(name, err)
			return false
		}
		in = f
	}
	rd := flowlog.NewReader(in)
	rd.Format = p.format
	rd.Lenient = p.lenient
	rd.ReuseRecord = true
	ok := true
	var r flowlog.Record
	for {
		err := rd.ReadInto(&r)
		if err == io.EOF {
			return ok
		}
		if err != nil {
			p.report(name, err)
			ok = false
			var pe *flowlog.ParseError
			if !p.lenient || !errors.As(err, &pe) || pe.Line == 0 || errors.Is(err, flowlog.ErrHeader) || errors.Is(err, flowlog.ErrNoFormat) {
				return false
			}
			continue
		}
		p.emit(&r, rd.Format)
	}
}

func isParquet(f *os.File) bool {
	var magic [4]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == 4 && bytes.Equal(magic[:], []byte("PAR1"))
}

// gzippedParquet returns the decompressed content of f if f is a gzip
// file holding a Parquet object. S3 delivery documents its files as gzip
// compressed (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html);
// Parquet objects normally use Parquet's own gzip codec, which needs no
// help, but a whole-file gzip is handled too.
func gzippedParquet(f *os.File) ([]byte, bool) {
	var magic [2]byte
	if n, _ := f.ReadAt(magic[:], 0); n != 2 || magic != [2]byte{0x1f, 0x8b} {
		return nil, false
	}
	zr, err := gzip.NewReader(io.NewSectionReader(f, 0, 1<<62))
	if err != nil {
		return nil, false
	}
	br := bufio.NewReader(zr)
	if head, err := br.Peek(4); err != nil || string(head) != "PAR1" {
		return nil, false
	}
	data, err := io.ReadAll(br)
	if err != nil {
		return nil, false
	}
	return data, true
}

func (p *parser) parquet(name string, f io.ReaderAt, size int64) bool {
	pr, err := flowlog.NewParquetReader(f, size)
	if err != nil {
		p.report(name, err)
		return false
	}
	defer pr.Close()
	pr.Lenient = p.lenient
	ok := true
	var r flowlog.Record
	for {
		err := pr.ReadInto(&r)
		if err == io.EOF {
			return ok
		}
		if err != nil {
			p.report(name, err)
			ok = false
			if !p.lenient {
				return false
			}
			continue
		}
		p.emit(&r, pr.Format())
	}
}

func (p *parser) emit(r *flowlog.Record, f flowlog.Format) {
	p.buf = r.AppendJSON(p.buf[:0], f)
	p.buf = append(p.buf, '\n')
	p.out.Write(p.buf)
}

// report prints err as FILE:LINE:FIELD: message.
func (p *parser) report(name string, err error) {
	p.failed = true
	var pe *flowlog.ParseError
	if errors.As(err, &pe) {
		loc := name
		if pe.Line > 0 {
			loc += fmt.Sprintf(":%d", pe.Line)
			if pe.Field > 0 {
				loc += fmt.Sprintf(":%d", pe.Field)
			}
		}
		fmt.Fprintf(p.stderr, "%s: %v\n", loc, err)
		return
	}
	fmt.Fprintf(p.stderr, "%s: %v\n", name, err)
}
