package source

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// lockedFS is a directory in which the folder locked cannot be read, as
// one of mode 000 cannot by anyone but root.
type lockedFS struct {
	fs.FS
	locked string
}

func (l lockedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == l.locked {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return fs.ReadDir(l.FS, name)
}

// TestListUnreadableFolder: a folder that cannot be read is an error
// naming it, and the listing goes on past it: its siblings (after it too)
// are listed, and a lenient run reads them.
func TestListUnreadableFolder(t *testing.T) {
	dir := t.TempDir()
	text, lines := textLog(t, 41, 5, flowlog.DefaultFormat(), true)
	for _, name := range []string{"a.log", "locked/x.log", "locked/deeper/y.log", "z/z.log"} {
		write(t, filepath.Join(dir, name), text)
	}
	old := dirFS
	defer func() { dirFS = old }()
	dirFS = func(d string) fs.FS { return lockedFS{os.DirFS(d), "locked"} }

	o := &Options{Lenient: true}
	ins, errs := List(context.Background(), []string{dir}, o)
	var names []string
	for _, in := range ins {
		names = append(names, strings.TrimPrefix(in.Name, dir))
	}
	locked := filepath.Join(dir, "locked")
	if strings.Join(names, " ") != "/a.log /z/z.log" || len(errs) != 1 || !errors.Is(errs[0], fs.ErrPermission) ||
		errs[0].Error() != locked+": open "+locked+": permission denied" {
		t.Fatalf("inputs %q, errors %v", names, errs)
	}
	got, rerrs := readAll(t, ins, o)
	equalLines(t, got, append(append([]string{}, lines...), lines...))
	if len(rerrs) != 0 {
		t.Errorf("reading: %v", rerrs)
	}
}

// TestListUnreadableFolderForReal is TestListUnreadableFolder with the
// operating system's permissions, for a user they stop.
func TestListUnreadableFolderForReal(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads folders of mode 000 (TestListUnreadableFolder fakes one)")
	}
	dir := t.TempDir()
	text, _ := textLog(t, 41, 5, flowlog.DefaultFormat(), true)
	for _, name := range []string{"a.log", "locked/x.log", "z.log"} {
		write(t, filepath.Join(dir, name), text)
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chmod(locked, 0o755) }() // for TempDir's clean-up
	ins, errs := List(context.Background(), []string{dir}, nil)
	if len(ins) != 2 || len(errs) != 1 || !errors.Is(errs[0], fs.ErrPermission) || !strings.HasPrefix(errs[0].Error(), locked+": ") {
		t.Fatalf("%d inputs, errors %v", len(ins), errs)
	}
}
