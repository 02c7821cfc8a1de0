// Package duckdbtest runs the generated Athena DDL and SQL for real, in
// DuckDB, over flow-log files laid out exactly as the S3 destination
// writes them. It is for tests only: import it from _test.go files, so
// the CDK app and the CLI never link DuckDB.
package duckdbtest

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// Dataset is a directory holding flow-log objects as an S3 destination
// writes them: Dir stands for the bucket, Keys are the object keys.
type Dataset struct {
	Dir     string
	Bucket  string
	Format  flowlog.Format
	Layout  s3layout.Layout
	Account string
	Region  string
	Keys    []string
}

// FlowLogID is the flow-log ID in the generated object names.
const FlowLogID = "fl-0123456789abcdef0"

// Write writes recs in format f to dir with layout l, as the destination
// would: one object per 5-minute window of the records' end time (start
// when end is absent), named by the window's start; gzip text starting
// with the header line, or gzip-compressed Parquet.
func Write(dir, bucket string, f flowlog.Format, l s3layout.Layout, account, region string, recs []flowlog.Record) (Dataset, error) {
	ds := Dataset{Dir: dir, Bucket: bucket, Format: f, Layout: l, Account: account, Region: region}
	windows := map[int64][]*flowlog.Record{}
	for i := range recs {
		r := &recs[i]
		t := r.EndUnix()
		if !r.Has(flowlog.End) {
			t = r.StartUnix()
		}
		w := t - t%300
		windows[w] = append(windows[w], r)
	}
	starts := make([]int64, 0, len(windows))
	for w := range windows {
		starts = append(starts, w)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	for n, w := range starts {
		key := l.Key(account, region, FlowLogID, time.Unix(w, 0), fmt.Sprintf("%08x", n+1))
		if err := writeObject(filepath.Join(dir, filepath.FromSlash(key)), f, l.Parquet, windows[w]); err != nil {
			return Dataset{}, err
		}
		ds.Keys = append(ds.Keys, key)
	}
	return ds, nil
}

func writeObject(path string, f flowlog.Format, parquet bool, recs []*flowlog.Record) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}()
	if parquet {
		w := flowlog.NewParquetWriter(file, f)
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				return err
			}
		}
		return w.Close()
	}
	zw := gzip.NewWriter(file)
	w := flowlog.NewWriter(zw, f)
	w.Header = true
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Records reads the dataset's objects back with the flowlog readers, in
// key order, calling fn for each record (as the CLI reads them).
func (ds Dataset) Records(fn func(*flowlog.Record)) error {
	for _, key := range ds.Keys {
		path := filepath.Join(ds.Dir, filepath.FromSlash(key))
		if err := readObject(path, ds.Layout.Parquet, fn); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return nil
}

func readObject(path string, parquet bool, fn func(*flowlog.Record)) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close() //nolint:errcheck // read-only
	var r flowlog.Record
	if parquet {
		st, err := file.Stat()
		if err != nil {
			return err
		}
		pr, err := flowlog.NewParquetReader(file, st.Size())
		if err != nil {
			return err
		}
		defer pr.Close() //nolint:errcheck // read-only
		for {
			if err := pr.ReadInto(&r); err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			fn(&r)
		}
	}
	zr, err := gzip.NewReader(file)
	if err != nil {
		return err
	}
	rd := flowlog.NewReader(zr)
	rd.ReuseRecord = true // the evaluator must copy what it keeps
	for {
		if err := rd.ReadInto(&r); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		fn(&r)
	}
}
