package source

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// listPath lists a file, or the flow-log files under a directory. Each
// error is an [*Error] naming what could not be listed: the path, or a
// directory under it that could not be read, past which the listing goes
// on, so that one unreadable folder does not hide its siblings (a lenient
// caller reads them, and reports that folder as an input skipped).
func listPath(path string) ([]Input, []error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, []error{wrap(path, err)}
	}
	if !st.IsDir() {
		return []Input{fileInput(path, st.Size())}, nil
	}
	var ins []Input
	var errs []error
	err = fs.WalkDir(dirFS(path), ".", func(rel string, d fs.DirEntry, err error) error {
		p := path
		if rel != "." {
			p = filepath.Join(path, filepath.FromSlash(rel))
		}
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			pe.Path = p // the path given, not the one in dirFS
		}
		if err != nil {
			if d != nil && d.IsDir() && rel != "." {
				// A folder that cannot be read (the second call for it,
				// after ReadDir failed): skip it, not its siblings.
				errs = append(errs, wrap(p, err))
				return nil
			}
			return err
		}
		if rel != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !flowLogName(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			errs = append(errs, wrap(p, err))
			return nil
		}
		ins = append(ins, fileInput(p, info.Size()))
		return nil
	})
	if err != nil {
		errs = append(errs, wrap(path, err))
	}
	// WalkDir visits in lexical order already; sort anyway so that the
	// order never depends on the file system.
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].Name < ins[j].Name })
	if len(errs) == 0 && len(ins) == 0 {
		// A mistyped or empty directory is not silently nothing.
		errs = append(errs, wrap(path, ErrNoFlowLogs))
	}
	return ins, errs
}

// dirFS is the file system of a directory listPath walks; tests replace
// it to make folders fail as unreadable ones do (tests run as root, whom
// permissions do not stop).
var dirFS = os.DirFS

func fileInput(path string, size int64) Input {
	return Input{Name: path, Size: size, open: func(_ context.Context, o *Options) (RecordReader, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		rd, err := openSeekable(path, f, o)
		if err != nil {
			_ = f.Close() // read-only
			return nil, err
		}
		return rd, nil
	}}
}

// openSeekable opens a local file: Parquet is read in place by offset,
// anything else streams. A file that is not a regular file (a named pipe)
// is read as standard input is.
func openSeekable(name string, f *os.File, o *Options) (RecordReader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return openStream(name, f, f, o, true, nil, -1)
	}
	var magic [4]byte
	if n, _ := f.ReadAt(magic[:], 0); n == 4 && string(magic[:]) == "PAR1" {
		if o.BytesRead != nil {
			o.BytesRead.Add(st.Size())
		}
		return openParquet(name, f, st.Size(), f, o)
	}
	// A file can be read twice: a gzip member too large to hold back
	// until its checksum passes is checked first, then parsed.
	return openStream(name, f, f, o, false, f, st.Size())
}

func stdinInput(o *Options) Input {
	return Input{Name: "-", Size: -1, open: func(_ context.Context, o *Options) (RecordReader, error) {
		in := o.Stdin
		if in == nil {
			in = os.Stdin
		}
		// A pipe or terminal may wait for data; a redirected file never
		// does, and can be read twice from where it stands.
		live := true
		var at io.ReaderAt
		size := int64(-1)
		if f, ok := in.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				live = false
				if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
					at, size = io.NewSectionReader(f, pos, st.Size()-pos), st.Size()-pos
				}
			}
		}
		return openStream("-", io.NopCloser(in), in, o, live, at, size)
	}}
}
