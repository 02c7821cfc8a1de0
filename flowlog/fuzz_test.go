package flowlog

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

// fuzzFormats are the formats FuzzParseLine picks from.
var fuzzFormats = sync.OnceValue(func() []Format {
	fs := []Format{DefaultFormat(), AllFields()}
	for _, ex := range awsExamples {
		if ex.format != "" {
			f, err := ParseHeader(ex.format)
			if err != nil {
				panic(err)
			}
			fs = append(fs, f)
		}
	}
	return fs
})

func FuzzParseLine(f *testing.F) {
	for _, ex := range awsExamples {
		for _, line := range ex.lines {
			f.Add(uint8(0), line)
		}
	}
	f.Add(uint8(1), strings.Repeat("- ", NumFields))
	f.Add(uint8(0), "2 1 eni-1 ::ffff:1.2.3.4 fe80::1%eth0 1 2 3 4 5 6 7 ACCEPT OK")
	f.Add(uint8(0), "2 1 eni-1 1.2.3.4 1.2.3.04 65536 2 256 18446744073709551616 5 6 7 REJECT SKIPDATA\r\n")
	f.Fuzz(func(t *testing.T, fi uint8, line string) {
		{
			fm := fuzzFormats()[int(fi)%len(fuzzFormats())]
			var r Record
			err := ParseLine(line, fm, &r)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T %v is not a *ParseError", err, err)
				}
				if !errors.Is(err, ErrFieldCount) && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) {
					t.Fatalf("error %v wraps no sentinel", err)
				}
				if r != (Record{}) {
					t.Fatal("record not reset after error")
				}
				return
			}
			// What was parsed writes back and parses to the same record.
			text := r.Text(fm)
			r2, err := ParseRecord(text, fm)
			if err != nil {
				t.Fatalf("ParseRecord(Text()) of %q: %q: %v", line, text, err)
			}
			if r2 != r {
				t.Fatalf("round trip of %q through %q changed the record", line, text)
			}
			if r2.Text(fm) != text {
				t.Fatalf("Text not stable: %q vs %q", r2.Text(fm), text)
			}
			// Generic access agrees with the text.
			// Split on ASCII spaces only: strings.Fields would also split on
			// Unicode spaces such as U+00A0, which are data here.
			toks := strings.Split(text, " ")
			for i, fld := range fm.Fields() {
				if got, want := r.Get(fld).String(), toks[i]; got != want {
					t.Fatalf("Get(%s) = %q, text has %q", fld, got, want)
				}
			}
			// JSON agrees with encoding/json over Get.
			if got, want := string(r.AppendJSON(nil, fm)), referenceJSON(&r, fm); got != want {
				t.Fatalf("AppendJSON of %q:\n got %s\nwant %s", line, got, want)
			}
		}
	})
}

func FuzzParseFormat(f *testing.F) {
	for _, name := range PresetNames() {
		p, _ := Preset(name)
		f.Add(p.String())
	}
	for _, s := range []string{"", " ", "${srcadr}", "${version}  ${end}", "${version} ", "version srcaddr",
		"${version}${end}", "${${version}}", "${version} ${version}", "$", "${", "}", "${}", "${version}\t${end}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormat(s)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError", err)
			}
			if !errors.Is(err, ErrEmptyFormat) && !errors.Is(err, ErrUnknownField) && !errors.Is(err, ErrDuplicateField) && !errors.Is(err, ErrFormatSyntax) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			if fe.Token != "" && !strings.Contains(s, fe.Token) {
				t.Fatalf("token %q not in input %q", fe.Token, s)
			}
			_ = err.Error()
			return
		}
		if fm.String() != s {
			t.Fatalf("String() = %q, input %q", fm.String(), s)
		}
		if h, err := ParseHeader(fm.Header()); err != nil || h != fm {
			t.Fatalf("ParseHeader(Header()) = %v, %v", h, err)
		}
		if c, err := ParseColumns(fm.Columns()); err != nil || c != fm {
			t.Fatalf("ParseColumns(Columns()) = %v, %v", c, err)
		}
		v := 0
		for _, fld := range fm.Fields() {
			v = max(v, fld.Version())
		}
		if fm.Version() != v {
			t.Fatalf("Version() = %d, want %d", fm.Version(), v)
		}
	})
}

// FuzzRoundTrip writes generated records in a fuzzed format with Writer
// (plain or gzip, with or without header) and reads them back with Reader.
func FuzzRoundTrip(f *testing.F) {
	f.Add(uint64(1), uint64(0x7ffe), uint8(0))
	f.Add(uint64(2), ^uint64(0), uint8(3))
	f.Add(uint64(3), uint64(1)<<SrcAddr|1<<LogStatus, uint8(1))
	f.Add(uint64(4), uint64(0xfffffffe), uint8(15))
	f.Add(uint64(5), ^uint64(0), uint8(4))
	f.Add(uint64(6), uint64(0x5555555555), uint8(7))
	f.Fuzz(func(t *testing.T, seed, mask uint64, mode uint8) {
		// Fields of one kind of flow log: VPC, or transit gateway with mode&4.
		candidates := vpcFields()
		if mode&4 != 0 {
			candidates = tgwDefaultFields[:]
		}
		var fields []Field
		for i, fld := range candidates {
			if i < 64 && mask&(1<<i) != 0 {
				fields = append(fields, fld)
			}
		}
		if len(fields) == 0 {
			return
		}
		// Permute by seed.
		for i := len(fields) - 1; i > 0; i-- {
			j := int((seed >> (i % 57)) % uint64(i+1))
			fields[i], fields[j] = fields[j], fields[i]
		}
		fm := MustFormat(fields...)
		g := NewGenerator(seed, fm)
		var buf bytes.Buffer
		w := NewWriter(&buf, fm)
		w.Header = mode&1 != 0
		want := make([]Record, 50)
		for i := range want {
			g.Next(&want[i])
			if err := w.Write(&want[i]); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		in := buf.Bytes()
		if mode&2 != 0 {
			in = gz(t, buf.String())
		}
		rd := NewReader(bytes.NewReader(in))
		if !w.Header {
			rd.Format = fm
		}
		rd.ReuseRecord = mode&4 != 0
		rd.Concurrent = mode&8 != 0
		defer rd.Close()
		for i := range want {
			r, err := rd.Read()
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if r != want[i] {
				t.Fatalf("record %d differs:\n got %q\nwant %q", i, r.Text(fm), want[i].Text(fm))
			}
		}
		if _, err := rd.Read(); err != io.EOF {
			t.Fatalf("after last record: %v", err)
		}
	})
}

// FuzzReader feeds arbitrary bytes (text or gzip) to a lenient Reader: it
// must not panic, must report each bad line once as a *ParseError and must
// end with io.EOF or a sticky error that Err reports.
func FuzzReader(f *testing.F) {
	f.Add([]byte(s3Object), false)
	f.Add([]byte(s3Object), true)
	f.Add([]byte("version srcaddr\n1.2.3.4\n\n-\nversion srcaddr\n"), false)
	f.Add([]byte("\x1f\x8b\x08\x00garbage"), false)
	f.Add([]byte("version\n2\n"+strings.Repeat("3", 300)+"\n4"), false)
	f.Fuzz(func(t *testing.T, data []byte, compress bool) {
		if compress {
			data = gz(t, string(data))
		}
		rd := NewReader(bytes.NewReader(data))
		rd.Lenient = true
		rd.MaxLineLength = 256
		for range 10000 {
			_, err := rd.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %T %v", err, err)
				}
				if rd.Err() == nil {
					// A bad line, skipped: only record errors are.
					if !errors.Is(err, ErrFieldCount) && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrRange) && !errors.Is(err, ErrLineTooLong) {
						t.Fatalf("non-line error %v skipped", err)
					}
					continue
				}
				if rd.Err() != err {
					t.Fatalf("Err() = %v, Read returned %v", rd.Err(), err)
				}
				if _, again := rd.Read(); again != err {
					t.Fatalf("error not sticky: %v then %v", err, again)
				}
				return
			}
		}
		t.Fatal("Reader does not end")
	})
}

// FuzzReaderCut cuts a gzip object at an arbitrary point and reads it in
// both modes: every record returned must equal the intact object's record
// at the same position, and reading must end with ErrTruncated unless the
// cut left the whole object.
func FuzzReaderCut(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint16(500), false)
	f.Add(uint64(2), uint16(3), uint16(20), true)
	f.Add(uint64(3), uint16(50), uint16(65535), true)
	f.Fuzz(func(t *testing.T, seed uint64, lines, cut uint16, stored bool) {
		format := AllFields()
		g := NewGenerator(seed, format)
		var text strings.Builder
		text.WriteString(format.Header() + "\n")
		want := make([]Record, lines%200)
		for i := range want {
			want[i] = g.Record()
			text.WriteString(want[i].Text(format) + "\n")
		}
		var data []byte
		if stored {
			data = storedGzip(t, text.String())
		} else {
			data = gz(t, text.String())
		}
		whole := int(cut) >= len(data)
		data = data[:min(int(cut), len(data))]
		for _, concurrent := range []bool{false, true} {
			rd := NewReader(bytes.NewReader(data))
			rd.Concurrent, rd.Lenient = concurrent, true
			n := 0
			for {
				r, err := rd.Read()
				if err != nil {
					if rd.Err() == nil {
						t.Fatalf("line error in intact lines: %v", err)
					}
					switch {
					case whole && err == io.EOF && n == len(want):
					case len(data) == 0 && err == io.EOF:
					case len(data) == 1 && errors.Is(err, ErrHeader): // "\x1f" is text
					case !whole && len(data) >= 2 && errors.Is(err, ErrTruncated):
					default:
						t.Fatalf("%d bytes (whole: %v): %d records, then %v", len(data), whole, n, err)
					}
					break
				}
				if n >= len(want) || r != want[n] {
					t.Fatalf("record %d is not the intact object's", n)
				}
				n++
			}
			rd.Close()
		}
	})
}
