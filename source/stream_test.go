package source

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// openStdin opens standard input o.Stdin as List and Run do.
func openStdin(t *testing.T, o *Options) RecordReader {
	t.Helper()
	ins, errs := List(context.Background(), []string{"-"}, o)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	rd, err := ins[0].Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// TestSlowPipe: an input that sends one line and then waits (tail -f
// file | flowlog parse -) gives its first record at once, whatever
// comes first: a headerless line, a header and a line, or a gzip
// member that ends after them. Gzip data flushed before its member ends
// gives nothing yet: a member's records wait for its checksum.
func TestSlowPipe(t *testing.T) {
	data, lines := textLog(t, 21, 2, flowlog.DefaultFormat(), true)
	var flushed, endMember chan struct{}
	header, first, _ := strings.Cut(string(data), "\n")
	first, _, _ = strings.Cut(first, "\n")
	for _, tc := range []struct {
		name string
		send func(w io.Writer)
		idle bool
	}{
		{"headerless", func(w io.Writer) { fmt.Fprintln(w, first) }, false},
		{"header and a line", func(w io.Writer) { fmt.Fprintln(w, header); fmt.Fprintln(w, first) }, false},
		{"gzip, flushed, then the member ends", func(w io.Writer) {
			zw := gzip.NewWriter(w)
			fmt.Fprintln(zw, header)
			fmt.Fprintln(zw, first)
			_ = zw.Flush()
			close(flushed)
			<-endMember
			_ = zw.Close() // the member's trailer; the pipe stays open
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flushed, endMember = make(chan struct{}), make(chan struct{})
			if !tc.idle {
				close(endMember)
			}
			pr, pw := io.Pipe()
			defer pw.Close()
			idles := 0
			o := &Options{Stdin: pr}
			if tc.idle {
				o.Idle = func() { idles++ }
			}
			go tc.send(pw) // then blocks: the pipe is never closed
			got := make(chan string, 1)
			go func() {
				rd, err := openStdin(t, o), error(nil)
				var r flowlog.Record
				if err = rd.ReadInto(&r); err != nil {
					got <- err.Error()
					return
				}
				got <- r.Text(flowlog.AllFields())
			}()
			if tc.idle {
				<-flushed
				select {
				case s := <-got:
					t.Fatalf("a record before its gzip member's checksum: %s", s)
				case <-time.After(200 * time.Millisecond):
				}
				close(endMember)
			}
			select {
			case s := <-got:
				if s != lines[0] {
					t.Errorf("got %s\nwant %s", s, lines[0])
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no record while the input waits after its first line")
			}
			if tc.idle && idles == 0 {
				t.Error("Idle was never called")
			}
		})
	}
}

func subscription(events ...string) string {
	var ev []string
	for i, m := range events {
		ev = append(ev, fmt.Sprintf(`{"id":"%d","timestamp":1418530010000,"message":%q}`, i, m))
	}
	return `{"messageType":"DATA_MESSAGE","owner":"123456789010","logGroup":"flowlogs","logStream":"eni-1",` +
		`"subscriptionFilters":["f"],"logEvents":[` + strings.Join(ev, ",") + `]}`
}

// TestSubscriptionPayloads: several payloads in a row, in every form
// they are stored or piped, are read in order, their events numbered
// through the input; headerless, their events are read in the default
// format when the first is in it.
func TestSubscriptionPayloads(t *testing.T) {
	_, lines := textLog(t, 22, 5, flowlog.DefaultFormat(), false)
	// textLog's lines are in the registry's order; the events are in the
	// default format.
	var events []string
	for _, l := range lines {
		r, err := flowlog.ParseRecord(l, flowlog.AllFields())
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, r.Text(flowlog.DefaultFormat()))
	}
	a, b := subscription(events[:2]...), subscription(events[2:]...)
	control := `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}`
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString(gz(t, []byte(s))) }
	lambda := func(s string) string { return `{"awslogs":{"data":"` + b64(s) + `"}}` }
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"JSON documents", []byte(a + "\n" + control + b)},
		{"pretty JSON after blank lines", []byte("\n\n  " + strings.ReplaceAll(a, ",", ",\n   ") + "\n" + b + "\n")},
		{"gzip members", append(append(gz(t, []byte(a)), gz(t, []byte(control))...), gz(t, []byte(b))...)},
		{"base64 lines", []byte(b64(a) + "\n\n" + b64(control) + "\n" + b64(b) + "\n")},
		{"Lambda events", []byte(lambda(a) + "\n" + lambda(b))},
		{"gzip of Lambda events", gz(t, []byte(lambda(a)+lambda(b)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var notes []string
			o := &Options{Stdin: bytes.NewReader(tc.input), Notify: func(s string) { notes = append(notes, s) }}
			ins, _ := List(context.Background(), []string{"-"}, o)
			got, errs := readAll(t, ins, o)
			if len(errs) != 0 {
				t.Fatal(errText(errs))
			}
			equalLines(t, got, lines)
			if len(notes) != 1 || !strings.Contains(notes[0], "default format") {
				t.Errorf("notices %q", notes)
			}
		})
	}

	// A bad event is numbered in the whole input, and a lenient reader
	// goes on after it.
	bad := []byte(a + b + subscription(events[0], "2 bad", events[1]))
	o := &Options{Stdin: bytes.NewReader(bad), Lenient: true}
	rd := openStdin(t, o)
	var r flowlog.Record
	n := 0
	var errs []string
	for {
		err := rd.ReadInto(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		n++
	}
	if n != 7 || len(errs) != 1 || !strings.HasPrefix(errs[0], "-:7:3: ") {
		t.Errorf("%d records, errors %q", n, errs)
	}

	// A payload cut short ends the input, as truncated; one larger than
	// MaxBuffer is ErrTooLarge; JSON Lines of records are named as
	// convert's output.
	zipped := gz(t, []byte(a+b))
	for _, tc := range []struct {
		input []byte
		max   int64
		want  error
	}{
		{zipped[:len(zipped)-10], 0, flowlog.ErrTruncated},
		{[]byte(a + b), int64(len(a) + 10), ErrTooLarge},
		{[]byte(b64(a) + "\n"), 100, ErrTooLarge},
		{[]byte(`{"version":2,"srcaddr":"1.2.3.4"}` + "\n"), 0, ErrConvertOutput},
	} {
		o := &Options{Stdin: bytes.NewReader(tc.input), MaxBuffer: tc.max, Format: flowlog.DefaultFormat()}
		ins, _ := List(context.Background(), []string{"-"}, o)
		got, errs := readAll(t, ins, o)
		if len(errs) != 1 || !errors.Is(errs[0], tc.want) || !strings.HasPrefix(errs[0].Error(), "-: ") {
			t.Errorf("%.30q: %d records, errors %v, want %v", tc.input, len(got), errs, tc.want)
		}
	}
}

// TestEmptyOK: with EmptyOK, inputs without records are no records, not
// errors; an empty file named as gzip or Parquet is truncated either way.
func TestEmptyOK(t *testing.T) {
	dir := t.TempDir()
	pq, _ := parquetLog(t, 23, 0, flowlog.DefaultFormat())
	paths := []string{
		write(t, filepath.Join(dir, "empty.log"), nil),
		write(t, filepath.Join(dir, "blank.log"), []byte("\n \n")),
		write(t, filepath.Join(dir, "header.log"), []byte(flowlog.DefaultFormat().Header()+"\n")),
		write(t, filepath.Join(dir, "rows.log.parquet"), pq),
	}
	for _, p := range paths {
		ins, _ := List(context.Background(), []string{p}, nil)
		if _, errs := readAll(t, ins, &Options{}); len(errs) != 1 {
			t.Errorf("%s without EmptyOK: %v", p, errs)
		}
		if got, errs := readAll(t, ins, &Options{EmptyOK: true}); len(errs) != 0 || len(got) != 0 {
			t.Errorf("%s with EmptyOK: %d records, %v", p, len(got), errs)
		}
	}
	for _, name := range []string{"empty.log.gz", "empty.log.parquet"} {
		p := write(t, filepath.Join(dir, "z", name), nil)
		ins, _ := List(context.Background(), []string{p}, nil)
		if _, errs := readAll(t, ins, &Options{EmptyOK: true}); len(errs) != 1 || !errors.Is(errs[0], flowlog.ErrTruncated) {
			t.Errorf("%s: %v", name, errs)
		}
	}
	// A directory without flow-log files is an error naming it.
	empty := filepath.Join(dir, "nothing")
	write(t, filepath.Join(empty, "README.md"), []byte("notes\n"))
	if ins, errs := List(context.Background(), []string{empty}, nil); len(ins) != 0 || len(errs) != 1 ||
		!errors.Is(errs[0], ErrNoFlowLogs) || !strings.HasPrefix(errs[0].Error(), empty+": ") {
		t.Errorf("empty directory: %d inputs, %v", len(ins), errs)
	}
}
