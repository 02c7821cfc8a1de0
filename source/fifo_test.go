//go:build unix

package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestNamedPipe: a named pipe given as a path is read as standard input
// is: its first record as soon as its line arrives, with Idle called
// before each read that may wait.
func TestNamedPipe(t *testing.T) {
	data, lines := textLog(t, 24, 1, flowlog.DefaultFormat(), true)
	p := filepath.Join(t.TempDir(), "flows.log")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		fmt.Fprint(w, string(data))
		time.Sleep(30 * time.Second) // keeps the pipe open: the reader must not wait for its end
	}()
	idles := 0
	o := &Options{Idle: func() { idles++ }}
	ins, errs := List(context.Background(), []string{p}, o)
	if len(errs) != 0 || len(ins) != 1 {
		t.Fatal(errs)
	}
	got := make(chan string, 1)
	go func() {
		rd, err := ins[0].Open(context.Background(), o)
		if err != nil {
			got <- err.Error()
			return
		}
		var r flowlog.Record
		if err := rd.ReadInto(&r); err != nil {
			got <- err.Error()
			return
		}
		got <- r.Text(flowlog.AllFields())
	}()
	select {
	case s := <-got:
		if s != lines[0] || idles == 0 {
			t.Errorf("got %s (Idle called %d times)\nwant %s", s, idles, strings.TrimSpace(lines[0]))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no record while the named pipe waits after its first line")
	}
}
