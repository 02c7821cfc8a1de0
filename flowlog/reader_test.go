package flowlog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

func gz(t testing.TB, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func readAll(t testing.TB, rd *Reader) ([]Record, []error) {
	var recs []Record
	var errs []error
	for {
		r, err := rd.Read()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			errs = append(errs, err)
			if !rd.Lenient {
				return recs, errs
			}
			continue
		}
		recs = append(recs, r)
	}
}

const s3Object = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
	"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n" +
	"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA\n"

func TestReaderS3Header(t *testing.T) {
	for _, name := range []string{"plain", "gzip", "crlf"} {
		var in []byte
		switch name {
		case "plain":
			in = []byte(s3Object)
		case "gzip":
			in = gz(t, s3Object)
		case "crlf":
			in = []byte(strings.ReplaceAll(s3Object, "\n", "\r\n"))
		}
		rd := NewReader(bytes.NewReader(in))
		recs, errs := readAll(t, rd)
		if len(errs) != 0 || len(recs) != 2 || !rd.HasHeader() || rd.Format != DefaultFormat() {
			t.Errorf("%s: %d records, errors %v, header %v", name, len(recs), errs, rd.HasHeader())
			continue
		}
		if recs[0].SrcPort() != 20641 || recs[1].LogStatus() != StatusNoData || rd.Line() != 3 {
			t.Errorf("%s: records %+v", name, recs)
		}
	}
}

func TestReaderConcatenatedObjects(t *testing.T) {
	in := append(gz(t, s3Object), gz(t, s3Object)...)
	rd := NewReader(bytes.NewReader(in))
	recs, errs := readAll(t, rd)
	if len(recs) != 4 || errs != nil {
		t.Errorf("%d records, %v", len(recs), errs)
	}
}

func TestReaderNoHeader(t *testing.T) {
	body := strings.SplitN(s3Object, "\n", 2)[1]
	rd := NewReader(strings.NewReader(body))
	if _, err := rd.Read(); !errors.Is(err, ErrNoFormat) {
		t.Errorf("no format: %v", err)
	}
	rd = NewReader(strings.NewReader("\n  \n" + body))
	rd.Format = DefaultFormat()
	recs, errs := readAll(t, rd)
	if len(recs) != 2 || errs != nil || rd.HasHeader() {
		t.Errorf("CloudWatch-style: %d records %v", len(recs), errs)
	}
	// A header that disagrees with the given format.
	rd = NewReader(strings.NewReader(s3Object))
	rd.Format = MustFormat(Version)
	if _, err := rd.Read(); !errors.Is(err, ErrHeader) {
		t.Errorf("mismatched header: %v", err)
	}
	// An invalid header.
	rd = NewReader(strings.NewReader("version acount-id\n2 1\n"))
	_, err := rd.Read()
	if !errors.Is(err, ErrHeader) || !errors.Is(err, ErrUnknownField) || !strings.Contains(err.Error(), "did you mean") {
		t.Errorf("bad header: %v", err)
	}
}

func TestReaderStrictAndLenient(t *testing.T) {
	in := s3Object + "2 123 eni-1 1.2.3.4\n" + "2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1 2 MAYBE OK\n" + s3Object[strings.IndexByte(s3Object, '\n')+1:]
	rd := NewReader(strings.NewReader(in))
	recs, errs := readAll(t, rd)
	if len(recs) != 2 || len(errs) != 1 {
		t.Fatalf("strict: %d records, %v", len(recs), errs)
	}
	var pe *ParseError
	if !errors.As(errs[0], &pe) || pe.Line != 4 || !errors.Is(pe, ErrFieldCount) {
		t.Errorf("strict error: %#v", errs[0])
	}
	if _, err := rd.Read(); err != errs[0] {
		t.Errorf("strict: error is not sticky: %v", err)
	}

	rd = NewReader(strings.NewReader(in))
	rd.Lenient = true
	recs, errs = readAll(t, rd)
	if len(recs) != 4 || len(errs) != 2 {
		t.Fatalf("lenient: %d records, %v", len(recs), errs)
	}
	if !errors.As(errs[1], &pe) || pe.Line != 5 || pe.Field != 13 || pe.Name != "action" || pe.Text != "MAYBE" || !errors.Is(pe, ErrSyntax) {
		t.Errorf("lenient error: %#v", errs[1])
	}
	if want := `flowlog: line 5: field 13 (action): invalid syntax "MAYBE"`; errs[1].Error() != want {
		t.Errorf("message %q, want %q", errs[1].Error(), want)
	}
}

func TestReaderLongLineAndAliasing(t *testing.T) {
	long := strings.Repeat("x", 200000)
	in := "2 " + long + "\n3 b\n"
	rd := NewReader(strings.NewReader(in))
	rd.Format = MustFormat(Version, AccountID)
	r1, err := rd.Read()
	if err != nil || r1.AccountID() != long {
		t.Fatalf("long line: %v", err)
	}
	r2, _ := rd.Read()
	if r1.AccountID() != long || r2.AccountID() != "b" {
		t.Error("records alias each other without ReuseRecord")
	}
	// With ReuseRecord, Clone keeps a record valid.
	rd = NewReader(strings.NewReader("2 aaaa\n3 bbbb\n"))
	rd.Format = MustFormat(Version, AccountID)
	rd.ReuseRecord = true
	var r Record
	_ = rd.ReadInto(&r)
	c := r.Clone()
	_ = rd.ReadInto(&r)
	if c.AccountID() != "aaaa" || r.AccountID() != "bbbb" {
		t.Errorf("clone %q, record %q", c.AccountID(), r.AccountID())
	}
}

func TestReaderNoAllocs(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, DefaultFormat())
	g := NewGenerator(7, DefaultFormat())
	for range 2000 {
		r := g.Record()
		w.Write(&r)
	}
	w.Flush()
	rd := NewReader(bytes.NewReader(buf.Bytes()))
	rd.Format = DefaultFormat()
	rd.ReuseRecord = true
	var r Record
	_ = rd.ReadInto(&r) // buffers
	n := testing.AllocsPerRun(1000, func() {
		if err := rd.ReadInto(&r); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("Reader.ReadInto: %v allocs per record, want 0", n)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	for _, name := range PresetNames() {
		f, _ := Preset(name)
		g := NewGenerator(42, f)
		var want []Record
		var buf bytes.Buffer
		w := NewWriter(&buf, f)
		w.Header = true
		for range 500 {
			r := g.Record()
			want = append(want, r)
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		rd := NewReader(bytes.NewReader(gz(t, buf.String())))
		got, errs := readAll(t, rd)
		if errs != nil || len(got) != len(want) || rd.Format != f {
			t.Fatalf("%s: %d records, %v", name, len(got), errs)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: record %d:\n got %+v\nwant %+v", name, i, got[i], want[i])
			}
		}
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	f := AllFields()
	a, b := NewGenerator(3, f), NewGenerator(3, f)
	nodata, v6 := 0, 0
	for range 2000 {
		ra, rb := a.Record(), b.Record()
		if ra.Text(f) != rb.Text(f) {
			t.Fatal("same seed, different records")
		}
		if ra.LogStatus() == StatusNoData {
			nodata++
		}
		if ra.SrcAddr().Is6() {
			v6++
		}
	}
	if nodata == 0 || v6 == 0 {
		t.Errorf("nodata %d, v6 %d", nodata, v6)
	}
}

func TestSubscription(t *testing.T) {
	js := `{"messageType":"DATA_MESSAGE","owner":"123456789010","logGroup":"flowlogs","logStream":"eni-1235b8ca123456789",` +
		`"subscriptionFilters":["f"],"logEvents":[` +
		`{"id":"1","timestamp":1418530010000,"message":"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"},` +
		`{"id":"2","timestamp":1418530010000,"message":"2 bad"},` +
		`{"id":"3","timestamp":1431280876000,"message":"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"}]}`
	b64 := base64.StdEncoding.EncodeToString(gz(t, js))
	for _, in := range []string{b64, `{"awslogs":{"data":"` + b64 + `"}}`, js, string(gz(t, js))} {
		s, err := DecodeSubscription([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		var ok, bad int
		for r, err := range s.Records(DefaultFormat()) {
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != 2 {
					t.Errorf("error %v", err)
				}
				bad++
				continue
			}
			if r.InterfaceID() != "eni-1235b8ca123456789" {
				t.Errorf("record %+v", r)
			}
			ok++
		}
		if ok != 2 || bad != 1 || s.LogStream != "eni-1235b8ca123456789" {
			t.Errorf("ok %d bad %d", ok, bad)
		}
	}
	ctl, err := DecodeSubscription([]byte(`{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}`))
	if err != nil || !ctl.IsControl() {
		t.Fatal(err)
	}
	for range ctl.Records(DefaultFormat()) {
		t.Error("control message yielded a record")
	}
	for _, bad := range []string{"", "!!!", `{"messageType":"X"}`, base64.StdEncoding.EncodeToString([]byte("hello"))} {
		if _, err := DecodeSubscription([]byte(bad)); err == nil {
			t.Errorf("DecodeSubscription(%q) succeeded", bad)
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	for _, name := range []string{"default", "all"} {
		f, _ := Preset(name)
		g := NewGenerator(9, f)
		var buf bytes.Buffer
		pw := NewParquetWriter(&buf, f)
		var want []Record
		for range 700 {
			r := g.Record()
			want = append(want, r)
			if err := pw.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		if err := pw.Close(); err != nil {
			t.Fatal(err)
		}
		pr, err := NewParquetReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if pr.Format().Len() != f.Len() {
			t.Fatalf("format %v", pr.Format())
		}
		for i := 0; ; i++ {
			r, err := pr.Read()
			if err == io.EOF {
				if i != len(want) {
					t.Fatalf("%s: %d rows", name, i)
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if r != want[i] {
				t.Fatalf("%s: row %d:\n got %+v\nwant %+v", name, i, r, want[i])
			}
		}
		pr.Close()
	}
	if _, err := NewParquetReader(strings.NewReader("not parquet"), 11); !errors.Is(err, ErrHeader) {
		t.Errorf("bad parquet: %v", err)
	}
	// Cut short: it starts as Parquet does, but lacks the footer.
	if _, err := NewParquetReader(strings.NewReader("PAR1 and then the data stops"), 28); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "not a complete Parquet file") {
		t.Errorf("cut parquet: %v", err)
	}
}

func TestReaderConcurrent(t *testing.T) {
	f := DefaultFormat()
	g := NewGenerator(11, f)
	var buf bytes.Buffer
	w := NewWriter(&buf, f)
	w.Header = true
	var want []Record
	for range 20000 { // several pipe buffers
		r := g.Record()
		want = append(want, r)
		w.Write(&r)
	}
	w.Flush()
	data := gz(t, buf.String())
	rd := NewReader(bytes.NewReader(data))
	rd.Concurrent = true
	got, errs := readAll(t, rd)
	if errs != nil || len(got) != len(want) {
		t.Fatalf("%d records, %v", len(got), errs)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("record %d differs", i)
		}
	}
	// Stopping early: Close ends the goroutine.
	before := runtime.NumGoroutine()
	rd = NewReader(bytes.NewReader(data))
	rd.Concurrent = true
	if _, err := rd.Read(); err != nil {
		t.Fatal(err)
	}
	rd.Close()
	if _, err := rd.Read(); err == nil || err == io.EOF {
		t.Errorf("Read after Close: %v", err)
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("goroutines: %d before, %d after Close", before, runtime.NumGoroutine())
}
