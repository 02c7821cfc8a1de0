package source_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// counter is a Sink that counts records and bytes.
type counter struct{ records, bytes *atomic.Int64 }

func (c counter) Begin(in source.Input, f flowlog.Format) error { return nil }
func (c counter) Add(r *flowlog.Record) {
	c.records.Add(1)
	c.bytes.Add(int64(r.Bytes()))
}

// Reading standard input (here a string) with one sink per worker; the
// arguments could as well be directories, s3://bucket/prefix or
// cwl://log-group.
func Example() {
	in := "version srcaddr dstaddr bytes\n" +
		"2 10.0.0.1 10.0.0.2 100\n" +
		"2 10.0.0.1 10.0.0.3 250\n"
	o := &source.Options{Stdin: strings.NewReader(in)}
	inputs, errs := source.List(context.Background(), []string{"-"}, o)
	if len(errs) > 0 {
		panic(errs[0])
	}
	var records, bytes atomic.Int64
	err := source.Run(context.Background(), inputs, o, 0, nil,
		func(int) source.Sink { return counter{&records, &bytes} },
		func(err error) { fmt.Println(err) })
	fmt.Println(records.Load(), "records,", bytes.Load(), "bytes, error:", err)
	// Output: 2 records, 350 bytes, error: <nil>
}

// An input that is not a flow log: the error names it, the line and the
// field.
func ExampleError() {
	o := &source.Options{Stdin: strings.NewReader("hello world\n")}
	inputs, _ := source.List(context.Background(), []string{"-"}, o)
	_ = source.Run(context.Background(), inputs, o, 1, nil,
		func(int) source.Sink { return counter{new(atomic.Int64), new(atomic.Int64)} },
		func(err error) { fmt.Println(err) })
	// Output: -:1:1: no header line and not the default format (give --format): flowlog: field 1 (version): invalid syntax "hello"
}
