package flowlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gzipObject is an S3-like object: a header and n records, as text and
// gzipped (one member), with its records.
func gzipObject(t testing.TB, seed uint64, n int) (text string, data []byte, recs []Record) {
	t.Helper()
	f := DefaultFormat()
	g := NewGenerator(seed, f)
	var b strings.Builder
	b.WriteString(f.Header() + "\n")
	for range n {
		r := g.Record()
		b.WriteString(r.Text(f) + "\n")
		recs = append(recs, r)
	}
	return b.String(), gz(t, b.String()), recs
}

// gzipRun is how one read of a gzip input ended.
type gzipRun struct {
	recs     []Record
	lineErrs []error
	err      error // what ended reading
}

// readGzip reads in with a lenient Reader named name until an error that
// ends reading, checks that the error is sticky and is Err's, and returns
// what it read.
func readGzip(t *testing.T, name string, in io.Reader, setup func(*Reader)) gzipRun {
	t.Helper()
	rd := NewReader(in)
	rd.Name = name
	rd.Lenient = true
	if setup != nil {
		setup(rd)
	}
	defer rd.Close()
	var run gzipRun
	var r Record
	for calls := 0; ; calls++ {
		if calls > 1e6 {
			t.Fatal("does not end")
		}
		err := rd.ReadInto(&r)
		if err == nil {
			run.recs = append(run.recs, r.Clone())
			continue
		}
		if rd.Err() == nil {
			run.lineErrs = append(run.lineErrs, err)
			continue
		}
		run.err = err
		break
	}
	for range 2 {
		if err := rd.ReadInto(&r); err != run.err || rd.Err() != run.err {
			t.Fatalf("error not sticky: %v, then %v (Err %v)", run.err, err, rd.Err())
		}
	}
	return run
}

// checkGzipError checks that err ends reading a broken gzip input: a
// *ParseError naming the input that says gzip and wraps one of want.
func checkGzipError(t *testing.T, err error, name string, want ...error) {
	t.Helper()
	if p := gzipErrorProblem(err, name, want...); p != "" {
		t.Fatal(p)
	}
}

func gzipErrorProblem(err error, name string, want ...error) string {
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Input != name || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "gzip") {
		return fmt.Sprintf("error %v does not name the input %q and gzip", err, name)
	}
	for _, w := range want {
		if errors.Is(err, w) {
			return ""
		}
	}
	return fmt.Sprintf("error %v is none of %v", err, want)
}

// TestReaderGzipBitFlips flips bits in the deflate data of a gzip object,
// one at a time, as the audit of issue 8 did: a Reader must never return a
// record the object did not hold, nor report a bad line that is not in it.
// gzip checks a member only at its end, so every flip that changes the
// data must end reading with a corrupt-data or truncation error, and no
// record of the member before it.
//
// The object decompresses to more than gzip's 32 KiB window, so that its
// data comes out of gzip in more than one read before the check: a smaller
// one comes out in the same read as the check's result. The flips are a
// dense sample (every 29th bit; every 113th with Concurrent, which costs a
// goroutine and its buffers per read), to keep the test fast.
func TestReaderGzipBitFlips(t *testing.T) {
	text, data, want := gzipObject(t, 8, 450)
	const name = "flipped.log.gz"
	body := data[10 : len(data)-8] // between the gzip header and trailer
	if len(text) < 40<<10 {
		t.Fatalf("an object of %d bytes is too small to test", len(text))
	}
	for _, concurrent := range []bool{false, true} {
		t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) {
			step := 29
			if concurrent {
				step = 113
			}
			var flips, corrupt, truncated, harmless, invented, unchecked, badLines int
			var wrongErr int
			var firstInvented, firstUnchecked, firstWrongErr string
			for bit := 0; bit < 8*len(body); bit += step {
				flips++
				bad := bytes.Clone(data)
				bad[10+bit/8] ^= 1 << (bit % 8)
				run := readGzip(t, name, bytes.NewReader(bad), func(rd *Reader) { rd.Concurrent = concurrent })
				for i, r := range run.recs {
					if i >= len(want) || r != want[i] {
						if invented++; invented == 1 {
							firstInvented = fmt.Sprintf("bit %d: record %d is not the object's (then %v):\n got %+v", bit, i, run.err, r)
						}
						break
					}
				}
				if len(run.lineErrs) > 0 {
					badLines++
				}
				if run.err == io.EOF { // the flip left the data as it was
					if len(run.recs) != len(want) {
						t.Fatalf("bit %d: %d records, then io.EOF; want %d", bit, len(run.recs), len(want))
					}
					harmless++
					continue
				}
				if len(run.recs) > 0 {
					if unchecked++; unchecked == 1 {
						firstUnchecked = fmt.Sprintf("bit %d: %d records of a member that failed its check (then %v)", bit, len(run.recs), run.err)
					}
				}
				if p := gzipErrorProblem(run.err, name, ErrCorrupt, ErrTruncated); p != "" {
					if wrongErr++; wrongErr == 1 {
						firstWrongErr = fmt.Sprintf("bit %d: %s", bit, p)
					}
				} else if errors.Is(run.err, ErrCorrupt) {
					corrupt++
				} else {
					truncated++
				}
			}
			t.Logf("%d flips: %d corrupt, %d truncated, %d harmless", flips, corrupt, truncated, harmless)
			if invented > 0 {
				t.Errorf("%d of %d flips gave records the object does not hold; first %s", invented, flips, firstInvented)
			}
			if badLines > 0 {
				t.Errorf("%d of %d flips reported bad lines the object does not have", badLines, flips)
			}
			if unchecked > 0 {
				t.Errorf("%d of %d flips gave records of a member that failed its check; first %s", unchecked, flips, firstUnchecked)
			}
			if wrongErr > 0 {
				t.Errorf("%d of %d flips ended without a gzip error; first %s", wrongErr, flips, firstWrongErr)
			}
			if corrupt == 0 || harmless > corrupt {
				t.Errorf("%d corrupt, %d harmless: the flips did not test the check", corrupt, harmless)
			}
		})
	}
}

// TestReaderGzipMembers: concatenated members (objects) are each checked
// before their records come back; a bad member ends reading after the
// records of the members before it, whole, and none of its own.
func TestReaderGzipMembers(t *testing.T) {
	_, a, recsA := gzipObject(t, 1, 300)
	_, b, recsB := gzipObject(t, 2, 5)
	_, c, recsC := gzipObject(t, 3, 40)
	empty := gz(t, "")
	badB := bytes.Clone(b)
	badB[len(badB)-6] ^= 1 // its CRC-32
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	cases := []struct {
		name string
		data []byte
		want []Record
		err  error // nil: io.EOF
	}{
		{"three members", cat(a, b, c), cat2(recsA, recsB, recsC), nil},
		{"an empty member between", cat(a, empty, c), cat2(recsA, recsC), nil},
		{"second member corrupt", cat(a, badB, c), recsA, ErrCorrupt},
		{"third member cut", cat(a, b, c[:len(c)/2]), cat2(recsA, recsB), ErrTruncated},
		{"third member's trailer cut", cat(a, b, c[:len(c)-1]), cat2(recsA, recsB), ErrTruncated},
	}
	for _, tc := range cases {
		for _, concurrent := range []bool{false, true} {
			for kind, open := range map[string]func([]byte) io.Reader{"bytes": bytesReader, "stream": hideReader} {
				t.Run(fmt.Sprintf("%s/%s/concurrent=%v", tc.name, kind, concurrent), func(t *testing.T) {
					run := readGzip(t, "members.gz", open(tc.data), func(rd *Reader) { rd.Concurrent = concurrent })
					checkRecords(t, run, tc.want)
					if tc.err == nil {
						if run.err != io.EOF {
							t.Fatalf("ended with %v", run.err)
						}
					} else {
						checkGzipError(t, run.err, "members.gz", tc.err)
					}
				})
			}
		}
	}
}

func cat2(parts ...[]Record) []Record {
	var all []Record
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// hideReader hides the in-memory reader: a stream that cannot be read twice.
func hideReader(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) }

func checkRecords(t *testing.T, run gzipRun, want []Record) {
	t.Helper()
	if len(run.lineErrs) > 0 {
		t.Fatalf("line errors: %v", run.lineErrs)
	}
	if len(run.recs) != len(want) {
		t.Fatalf("%d records, want %d (ended with %v)", len(run.recs), len(want), run.err)
	}
	for i := range want {
		if run.recs[i] != want[i] {
			t.Fatalf("record %d:\n got %+v\nwant %+v", i, run.recs[i], want[i])
		}
	}
}

// TestReaderMaxUnverified: a member larger than MaxUnverified is read
// twice (checked, then parsed) when the input can be read again, and is
// ErrMemberTooLarge on a stream, with none of its records.
func TestReaderMaxUnverified(t *testing.T) {
	_, small, recsSmall := gzipObject(t, 4, 3) // under the bound
	text, big, recsBig := gzipObject(t, 5, 60)
	const limit = 1000
	if len(text) < 3*limit {
		t.Fatalf("object of %d bytes", len(text))
	}
	badBig := bytes.Clone(big)
	badBig[len(badBig)/2] ^= 0x10
	two := append(bytes.Clone(small), big...)
	dir := t.TempDir()
	file := func(data []byte) *os.File {
		p := filepath.Join(dir, fmt.Sprintf("%d.log.gz", len(data)))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		return f
	}
	type setup struct {
		in  io.Reader
		at  io.ReaderAt
		max int
	}
	cases := []struct {
		name string
		open func() setup
		want []Record
		err  error // nil: io.EOF
	}{
		{"stream", func() setup { return setup{in: hideReader(big), max: limit} }, nil, ErrMemberTooLarge},
		{"stream, second member too large", func() setup { return setup{in: hideReader(two), max: limit} }, recsSmall, ErrMemberTooLarge},
		{"stream, bound raised", func() setup { return setup{in: hideReader(big), max: len(text)} }, recsBig, nil},
		{"stream, member of exactly the bound", func() setup { return setup{in: hideReader(big), max: len(text)} }, recsBig, nil},
		{"stream, member one byte over the bound", func() setup { return setup{in: hideReader(big), max: len(text) - 1} }, recsBig, nil},
		{"stream, member two bytes over the bound", func() setup { return setup{in: hideReader(big), max: len(text) - 2} }, nil, ErrMemberTooLarge},
		{"bytes.Reader", func() setup { return setup{in: bytes.NewReader(big), max: limit} }, recsBig, nil},
		{"bytes.Reader, two members", func() setup { return setup{in: bytes.NewReader(append(two, two...)), max: limit} },
			cat2(recsSmall, recsBig, recsSmall, recsBig), nil},
		{"bytes.Reader, corrupt", func() setup { return setup{in: bytes.NewReader(badBig), max: limit} }, nil, ErrCorrupt},
		{"file", func() setup { return setup{in: file(two), max: limit} }, cat2(recsSmall, recsBig), nil},
		{"file, corrupt", func() setup { return setup{in: file(badBig), max: limit} }, nil, ErrCorrupt},
		{"file under a bufio.Reader, InputAt", func() setup {
			f := file(two)
			return setup{in: bufio.NewReader(f), at: f, max: limit}
		}, cat2(recsSmall, recsBig), nil},
		{"file at an offset", func() setup {
			f := file(append([]byte("skipped"), two...))
			if _, err := f.Seek(7, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			return setup{in: f, max: limit}
		}, cat2(recsSmall, recsBig), nil},
	}
	for _, tc := range cases {
		for _, concurrent := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/concurrent=%v", tc.name, concurrent), func(t *testing.T) {
				s := tc.open()
				run := readGzip(t, "big.log.gz", s.in, func(rd *Reader) {
					rd.Concurrent, rd.MaxUnverified, rd.InputAt = concurrent, s.max, s.at
				})
				checkRecords(t, run, tc.want)
				if tc.err == nil {
					if run.err != io.EOF {
						t.Fatalf("ended with %v", run.err)
					}
					return
				}
				checkGzipError(t, run.err, "big.log.gz", tc.err)
				if tc.err == ErrMemberTooLarge && !strings.Contains(run.err.Error(), fmt.Sprintf("MaxUnverified (%d bytes)", s.max)) {
					t.Errorf("%v does not name the bound", run.err)
				}
			})
		}
	}
}

// TestReaderInputChanged: when a member too large to hold is read the
// second time, its data is not what the first reading checked; the error
// says so.
func TestReaderInputChanged(t *testing.T) {
	_, big, _ := gzipObject(t, 6, 60)
	changed := bytes.Clone(big)
	changed[len(changed)-7] ^= 1 // the CRC of the second reading
	rd := NewReader(hideReader(big))
	rd.Name = "changing.gz"
	rd.MaxUnverified = 1000
	rd.InputAt = bytes.NewReader(changed)
	var err error
	for err == nil {
		_, err = rd.Read()
	}
	checkGzipError(t, err, "changing.gz", ErrCorrupt)
	if !strings.Contains(err.Error(), "input changed") {
		t.Errorf("%v does not say that the input changed", err)
	}
}

// TestReaderGzipNoAllocs: holding gzip members back costs no allocation per
// record, across member ends too.
func TestReaderGzipNoAllocs(t *testing.T) {
	var data []byte
	for i := range 8 {
		_, member, _ := gzipObject(t, uint64(i), 300)
		data = append(data, member...)
	}
	for _, concurrent := range []bool{false, true} {
		rd := NewReader(bytes.NewReader(data))
		rd.ReuseRecord = true
		rd.Concurrent = concurrent
		var r Record
		_ = rd.ReadInto(&r) // buffers
		n := testing.AllocsPerRun(2000, func() {
			if err := rd.ReadInto(&r); err != nil {
				t.Fatal(err)
			}
		})
		rd.Close()
		if n != 0 {
			t.Errorf("concurrent=%v: %v allocs per record, want 0", concurrent, n)
		}
	}
}
