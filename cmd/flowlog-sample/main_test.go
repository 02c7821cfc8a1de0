package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestSample: the objects read back as the generator's records, in order,
// with their header, and the same seed writes the same bytes.
func TestSample(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"-format", "v5", "-records", "1001", "-files", "3", "-o", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.log.gz"))
	if len(names) != 3 {
		t.Fatalf("%d objects, want 3", len(names))
	}
	v5, _ := flowlog.Preset("v5")
	g := flowlog.NewGenerator(1, v5)
	n := 0
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		rd := flowlog.NewReader(f)
		for {
			r, err := rd.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if want := g.Record(); r != want {
				t.Fatalf("%s record %d: %v, want %v", name, n, r.Text(v5), want.Text(v5))
			}
			n++
		}
		if !rd.HasHeader() {
			t.Errorf("%s has no header line", name)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1001 {
		t.Errorf("%d records, want 1001", n)
	}
	again := t.TempDir()
	run([]string{"-format", "v5", "-records", "1001", "-files", "3", "-o", again}, io.Discard, io.Discard)
	a, _ := os.ReadFile(names[0])
	b, _ := os.ReadFile(filepath.Join(again, filepath.Base(names[0])))
	if !bytes.Equal(a, b) {
		t.Error("the same flags wrote different bytes")
	}
}

func TestSampleUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-o", t.TempDir(), "-format", "nope"}, {"-o", t.TempDir(), "-files", "0"}} {
		if code := run(args, io.Discard, io.Discard); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
