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

// A stream filter, as `flowlog parse` is: one worker keeps the records in
// input order, Idle flushes what was written before standard input is
// waited for, and an input without records is no error. The input here
// is two CloudWatch Logs subscription payloads in a row, whose headerless
// events are in the default format.
func ExampleOptions_streamFilter() {
	payload := func(msg string) string {
		return `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"flows","logStream":"eni-1",` +
			`"subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1700000000000,"message":"` + msg + `"}]}`
	}
	in := payload("2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK") + "\n" +
		payload("2 123456789012 eni-1 10.0.0.3 10.0.0.2 22 49153 6 3 180 1700000000 1700000060 REJECT OK")
	var out strings.Builder
	var pending []string
	o := &source.Options{
		Stdin:   strings.NewReader(in),
		EmptyOK: true,
		Idle:    func() { out.WriteString(strings.Join(pending, "")); pending = pending[:0] },
		Notify:  func(msg string) { fmt.Println("note:", msg) },
	}
	inputs, _ := source.List(context.Background(), []string{"-"}, o)
	_ = source.Run(context.Background(), inputs, o, 1, nil,
		func(int) source.Sink {
			return sinkFunc(func(r *flowlog.Record) {
				pending = append(pending, fmt.Sprintln(r.SrcAddr(), r.Action()))
			})
		}, func(err error) { fmt.Println(err) })
	o.Idle()
	fmt.Print(out.String())
	// Output:
	// note: -: no header line; reading headerless input in the default format (give --format for another)
	// 10.0.0.1 ACCEPT
	// 10.0.0.3 REJECT
}

// sinkFunc is a Sink that calls a function with each record.
type sinkFunc func(r *flowlog.Record)

func (f sinkFunc) Begin(source.Input, flowlog.Format) error { return nil }
func (f sinkFunc) Add(r *flowlog.Record)                    { f(r) }
