package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDirectoryOfEveryKind(t *testing.T) {
	dir := t.TempDir()
	v5, _ := flowlog.Preset("v5")
	plain, l1 := textLog(t, 1, 50, flowlog.DefaultFormat(), true)
	custom, l2 := textLog(t, 2, 40, v5, true)
	pq, l3 := parquetLog(t, 3, 30, v5)
	write(t, filepath.Join(dir, "a", "x.log"), plain)
	write(t, filepath.Join(dir, "a", "b", "y.log.gz"), gz(t, custom))
	write(t, filepath.Join(dir, "z.log.parquet"), pq)
	write(t, filepath.Join(dir, "README.md"), []byte("not a flow log\n"))
	write(t, filepath.Join(dir, ".hidden", "h.log"), []byte("junk\n"))

	ins, errs := List(context.Background(), []string{dir}, nil)
	if len(errs) != 0 || len(ins) != 3 {
		t.Fatalf("List: %d inputs, errors %v", len(ins), errs)
	}
	got, rerrs := readAll(t, ins, &Options{})
	if len(rerrs) != 0 {
		t.Fatal(errText(rerrs))
	}
	equalLines(t, got, append(append(l1, l2...), l3...))
}

func TestHeaderlessInput(t *testing.T) {
	dir := t.TempDir()
	def, want := textLog(t, 4, 20, flowlog.DefaultFormat(), false)
	p := write(t, filepath.Join(dir, "export.log.gz"), gz(t, def))
	var notes []string
	o := &Options{Notify: func(s string) { notes = append(notes, s) }}
	ins, _ := List(context.Background(), []string{p, p}, o)
	got, errs := readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, append(want, want...))
	if len(notes) != 1 || !strings.Contains(notes[0], "default format") {
		t.Errorf("notices: %q", notes)
	}

	// A custom format without header needs Format.
	v5, _ := flowlog.Preset("v5")
	custom, want := textLog(t, 5, 20, v5, false)
	q := write(t, filepath.Join(dir, "custom.log"), custom)
	ins, _ = List(context.Background(), []string{q}, nil)
	_, errs = readAll(t, ins, &Options{})
	if len(errs) != 1 || !errors.Is(errs[0], ErrUnknownFormat) || !strings.HasPrefix(errs[0].Error(), q+":1:") {
		t.Fatalf("custom without format: %v", errs)
	}
	got, errs = readAll(t, ins, &Options{Format: v5})
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, want)
}

func TestStdin(t *testing.T) {
	data, want := textLog(t, 6, 10, flowlog.DefaultFormat(), true)
	o := &Options{Stdin: strings.NewReader(string(gz(t, data)))}
	ins, _ := List(context.Background(), []string{"-"}, o)
	got, errs := readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, want)

	pq, want := parquetLog(t, 7, 10, flowlog.DefaultFormat())
	o = &Options{Stdin: strings.NewReader(string(pq))}
	got, errs = readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, want)
	o = &Options{Stdin: strings.NewReader(string(pq)), MaxBuffer: 100}
	if _, errs = readAll(t, ins, o); len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) {
		t.Errorf("bounded: %v", errs)
	}
}

// TestBadInputs: each bad input is one error naming it, and a lenient run
// reads every good input and line.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	good, want := textLog(t, 8, 30, flowlog.DefaultFormat(), true)
	v5, _ := flowlog.Preset("v5")
	other, want2 := textLog(t, 9, 5, v5, true)
	zipped := gz(t, good)
	cases := []struct {
		name string
		data []byte
		want string // in the error
	}{
		{"truncated.log.gz", zipped[:len(zipped)/2], "EOF"},
		{"corrupt.log.gz", append(append([]byte{}, zipped[:len(zipped)-8]...), 1, 2, 3, 4, 5, 6, 7, 8), "checksum"},
		{"notes.log", []byte("hello world\nthis is not a flow log\n"), "not the default format"},
		{"empty.log", nil, "empty input"},
		{"blank.log", []byte("\n\n"), "empty input"},
		{"header-only.log", []byte(flowlog.DefaultFormat().Header() + "\n"), "header but no records"},
		{"badgzip.log.gz", []byte{0x1f, 0x8b, 0, 0, 0}, "gzip"},
	}
	args := []string{write(t, filepath.Join(dir, "good.log"), good), write(t, filepath.Join(dir, "other.log"), other)}
	for _, c := range cases {
		p := write(t, filepath.Join(dir, c.name), c.data)
		args = append(args, p)
		ins, lerrs := List(context.Background(), []string{p}, nil)
		if len(lerrs) != 0 {
			t.Fatal(lerrs)
		}
		_, errs := readAll(t, ins, &Options{})
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), p) || !strings.Contains(errs[0].Error(), c.want) {
			t.Errorf("%s: %v", c.name, errs)
		}
	}
	// One bad line in a good file.
	bad := append(append([]byte{}, good...), "2 123 eni-1 1.2.3.4 1.2.3.5 1 2 6 1 1 1 2 MAYBE OK\n"...)
	args = append(args, write(t, filepath.Join(dir, "badline.log"), bad))
	args = append(args, filepath.Join(dir, "missing.log"))

	ins, lerrs := List(context.Background(), args, nil)
	if len(lerrs) != 1 || !strings.Contains(lerrs[0].Error(), "missing.log") {
		t.Fatalf("list errors %v", lerrs)
	}
	var st Stats
	var errs []error
	var lines []string
	o := &Options{Lenient: true}
	var muLines sync.Mutex
	err := Run(context.Background(), ins, o, 2, &st, func(int) Sink { return &collect{mu: &muLines, lines: &lines} }, func(err error) { errs = append(errs, err) })
	if err == nil || st.InputsSkipped.Load() != int64(len(cases)) || st.LinesSkipped.Load() != 1 || st.Inputs.Load() != 3 {
		t.Errorf("lenient: err %v, inputs %d skipped %d, lines skipped %d\n%s", err, st.Inputs.Load(), st.InputsSkipped.Load(), st.LinesSkipped.Load(), errText(errs))
	}
	// Every good input and line is read; the records before an input's
	// error are real records of it (complete lines), and nothing else is.
	known := map[string]bool{}
	for _, l := range append(want, want2...) {
		known[l] = true
	}
	for _, l := range lines {
		if !known[l] {
			t.Fatalf("invented record %s", l)
		}
	}
	if len(lines) < 2*len(want)+len(want2) {
		t.Errorf("%d records, want at least %d", len(lines), 2*len(want)+len(want2))
	}
	if !strings.Contains(errText(errs), "badline.log:32:13: ") {
		t.Errorf("bad line not located: %s", errText(errs))
	}
}
