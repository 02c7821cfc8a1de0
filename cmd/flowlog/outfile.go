package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// outFile is an output file written in full or not at all: it is created
// as a temporary file in the target's directory and renamed over the
// target by Commit, so that a failed run never leaves an empty or partial
// file (or destroys the last good one). A target that exists and is not a
// regular file (/dev/stdout, a named pipe) is written in place: renaming
// over it would replace the device or pipe with a file. Errors name the
// path the user gave, not the temporary file.
type outFile struct {
	*os.File
	name   string // as given
	direct bool   // writing name itself
	done   bool
}

// createOutput opens the output for name. Called before any input is
// read, it finds a missing or unwritable directory up front.
func createOutput(name string) (*outFile, error) {
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, &fs.PathError{Op: "create", Path: name, Err: errors.New("is a directory")}
		}
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &outFile{File: f, name: name, direct: true}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &fs.PathError{Op: "create", Path: name, Err: err}
	}
	return &outFile{File: f, name: name}, nil
}

// Commit closes the file and puts it in place.
func (o *outFile) Commit() error {
	o.done = true
	if o.direct {
		if err := o.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", o.name, err)
		}
		return nil
	}
	defer func() { _ = os.Remove(o.Name()) }() // after the rename, a no-op
	if err := o.Chmod(0o644); err != nil {
		_ = o.Close()
		return fmt.Errorf("writing %s: %w", o.name, err)
	}
	if err := o.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", o.name, err)
	}
	if err := os.Rename(o.Name(), o.name); err != nil {
		return fmt.Errorf("writing %s: %w", o.name, err)
	}
	return nil
}

// Abort closes the file and removes the temporary file, leaving the
// target as it was. It is a no-op after Commit.
func (o *outFile) Abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.Close()
	if !o.direct {
		_ = os.Remove(o.Name())
	}
}
