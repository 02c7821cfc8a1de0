package source

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestS3ObjectReadTwice: a gzip member of an S3 object larger than the
// hold-back bound is checked, then read again by ranged GET and parsed,
// as a file's is, rather than held whole (up to MaxBuffer) or refused.
func TestS3ObjectReadTwice(t *testing.T) {
	var mu sync.Mutex
	var ranges []string
	f := newFakeS3(t, "bkt")
	f.mu.Lock()
	f.onGet = func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".log.gz") {
			mu.Lock()
			ranges = append(ranges, r.Header.Get("Range"))
			mu.Unlock()
		}
	}
	f.mu.Unlock()
	client, ctx := f.client, context.Background()
	small, wantSmall := textLog(t, 4, 100, flowlog.DefaultFormat(), true)
	data, want := textLog(t, 3, 20000, flowlog.DefaultFormat(), true)
	// Two members: a small one, then one of ~2 MB, so that the second
	// reading starts at an offset inside the object.
	z := append(gz(t, small), gz(t, data)...)
	key := objectKey("", false, false, false, "111122223333", "us-east-1", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "00000001")
	f.put(t, "bkt", key, z)
	// MaxBuffer below the member's size: holding it whole is not allowed.
	o := &Options{S3: client, MaxBuffer: 1 << 20, holdBackBytes: 256 << 10}
	ins, _ := List(ctx, []string{"s3://bkt/"}, o)
	got, errs := readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, append(wantSmall, want...))
	second := "bytes=" + strconv.Itoa(len(gz(t, small))) + "-"
	if len(ranges) != 2 || ranges[0] != "" || ranges[1] != second {
		t.Errorf("requests' ranges: %q, want [\"\" %q]", ranges, second)
	}
}

// TestFileHoldsBackLittle: a file, which can be read twice, holds back
// the small bound, not MaxBuffer, and still gives every record of a
// larger member.
func TestFileHoldsBackLittle(t *testing.T) {
	data, want := textLog(t, 3, 20000, flowlog.DefaultFormat(), true)
	path := filepath.Join(t.TempDir(), "big.log.gz")
	if err := os.WriteFile(path, gz(t, data), 0o644); err != nil {
		t.Fatal(err)
	}
	o := &Options{}
	ins, _ := List(context.Background(), []string{path}, o)
	rd, err := ins[0].open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got := rd.(*textReader).rd.MaxUnverified; got != holdBack {
		t.Errorf("MaxUnverified %d, want %d", got, holdBack)
	}
	_ = rd.Close()
	// A smaller MaxBuffer holds less.
	o = &Options{MaxBuffer: 1 << 20}
	if rd, err = ins[0].open(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if got := rd.(*textReader).rd.MaxUnverified; got != 1<<20 {
		t.Errorf("MaxUnverified %d with MaxBuffer 1 MiB", got)
	}
	_ = rd.Close()
	var read, again atomic.Int64
	o = &Options{MaxBuffer: 1 << 20, holdBackBytes: 256 << 10, BytesRead: &read, BytesAgain: &again}
	got, errs := readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, want)
	// The one member is read twice: the work is twice the file, and
	// BytesRead counts both readings, for an honest progress line.
	if size := ins[0].Size; again.Load() != size || read.Load() != 2*size {
		t.Errorf("read %d bytes, again %d, of a file of %d", read.Load(), again.Load(), size)
	}
}

// TestObjectAtEnd: reading at or past the end of an object is io.EOF
// without a request (S3 answers a range there with 416).
func TestObjectAtEnd(t *testing.T) {
	f := newFakeS3(t, "bkt")
	f.put(t, "bkt", "k.log", []byte("0123456789"))
	var gets atomic.Int64
	f.get = func() func() { gets.Add(1); return func() {} }
	a := &objectAt{ctx: context.Background(), c: f.client, bucket: "bkt", key: "k.log", size: 10}
	defer func() { _ = a.Close() }()
	b := make([]byte, 4)
	for _, tc := range []struct {
		off  int64
		want string
		err  error
	}{{0, "0123", nil}, {4, "4567", nil}, {8, "89", io.EOF}, {10, "", io.EOF}, {2, "2345", nil}} {
		n, err := a.ReadAt(b, tc.off)
		if string(b[:n]) != tc.want || err != tc.err {
			t.Errorf("ReadAt at %d: %q, %v; want %q, %v", tc.off, b[:n], err, tc.want, tc.err)
		}
	}
	// One GET from 0 serves 0 and 4 and 8; 10 needs none; 2 opens another.
	if gets.Load() != 2 {
		t.Errorf("%d GETs, want 2", gets.Load())
	}
}
