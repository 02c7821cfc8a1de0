package flowlog

import (
	"math"
	"strings"
	"sync"
	"testing"
)

// defaultShapes are default-format lines of the shapes parseDefault takes
// and of those it must hand to the general loop.
var defaultShapes = []string{
	"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
	"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
	"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - SKIPDATA",
	"2 123456789010 eni-1235b8ca123456789 2001:db8::1 2001:db8::2 443 49152 6 20 4249 1418530010 1418530070 REJECT OK",
	"- - - - - - - - - - - - - -",
	"255 a b 1.2.3.4 5.6.7.8 65535 0 255 18446744073709551615 0 9223372036854775807 0 ACCEPT OK",
	"256 a b 1.2.3.4 5.6.7.8 65535 0 255 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 65536 0 255 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 256 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 18446744073709551616 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 9223372036854775808 0 ACCEPT OK",
	"2  a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	" 2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK ",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK x",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT ",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPTX OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 accept OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT ok",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OKK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT -x",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 -x OK",
	"2 -a -b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a\tb c 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b\x00 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b -1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 -5 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.04 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 fe80::1%eth0 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 -1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 -0 ACCEPT OK",
	"-1 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"x a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2x a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK",
	"2 a b",
	"2 a b ",
	"2 a",
	"2 ",
	"2",
	"-",
	"",
	"2 a b 1.2.3.4 5.6.7.8 1 0 1 1 0 1 0 ACCEPT OK\r\n",
}

// TestParseDefaultAgrees checks that ParseLine with the default-format fast
// path gives the same record and error as the general loop, into a fresh
// record and into one holding another format's record.
func TestParseDefaultAgrees(t *testing.T) {
	lines := append([]string(nil), defaultShapes...)
	lines = append(lines, benchLinesOf(nil, "default")[:300]...)
	for _, line := range lines {
		checkDefaultAgrees(t, line)
		forEachFieldChange(line, func(m string) { checkDefaultAgrees(t, m) })
	}
}

// forEachFieldChange calls f with line changed in one field at a time:
// the field made absent, empty, doubled, cut, prefixed, or replaced with
// values at the edges of the ranges the fast paths take.
func forEachFieldChange(line string, f func(string)) {
	toks := strings.Split(line, " ")
	for k, tok := range toks {
		for _, rep := range []string{"-", "", "x", tok + " ", "\t", "-" + tok, "0" + tok, tok + "0",
			"1" + tok, tok[min(1, len(tok)):], "256.1.1.1", "1.1.1.255", "99999999", "9999999"} {
			m := append([]string(nil), toks...)
			m[k] = rep
			f(strings.Join(m, " "))
		}
	}
}

func FuzzParseDefault(f *testing.F) {
	for _, s := range defaultShapes {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) { checkDefaultAgrees(t, line) })
}

func checkDefaultAgrees(t *testing.T, line string) {
	t.Helper()
	f := DefaultFormat()
	var want Record
	wantOK := slowParse(line, f, &want)
	for _, prev := range []bool{false, true} {
		var got Record
		if prev {
			// Fields outside the default format must be cleared.
			got = allFieldsRecord()
		}
		err := ParseLine(line, f, &got)
		if (err == nil) != wantOK || got != want {
			t.Fatalf("ParseLine(%q) = %+v, %v; general loop: %+v, ok %v", line, got, err, want, wantOK)
		}
		if err != nil {
			// The error is the general loop's: compare with a second parse.
			var r Record
			has, k, i, code := r.parseFields(strings.TrimRight(line, "\r\n"), f.fields[:f.n])
			_ = has
			if e2 := parseError(strings.TrimRight(line, "\r\n"), f, k, i, code); e2.Error() != err.Error() {
				t.Fatalf("ParseLine(%q) error %v, general loop %v", line, err, e2)
			}
		}
	}
}

// allFieldsRecord is a record with every field present.
var allFieldsRecord = sync.OnceValue(func() Record {
	var r Record
	NewGenerator(1, AllFields()).Next(&r)
	return r
})

func TestAllFieldsRecordIsFull(t *testing.T) {
	r := allFieldsRecord()
	if r.Present() < NumFields/2 {
		t.Fatalf("generator record has only %d fields", r.Present())
	}
}

// scanShort, scanLong and long put short, which the default-format
// parser uses on its fields, to the test on whole numbers.

// scanShort parses the 1 to 7 decimal digits at line[i:i+8] that a space
// follows, the usual shape of ports, protocols and counters. It reports
// false for anything else (including numbers it leaves to scanUint).
func scanShort(line string, i int) (uint64, int, bool) {
	if i < 0 || i+8 > len(line) {
		return 0, i, false
	}
	v, s, ok := short(ld64(line, i))
	return v, i + int(s>>3), ok
}

// scanLong parses the 9 to 15 decimal digits at line[i:i+16] that a space
// follows, the usual shape of Unix times. It reports false for anything
// else (including numbers it leaves to scanUint). 15 digits fit an int64.
func scanLong(line string, i int) (uint64, int, bool) {
	if i < 0 || i+16 > len(line) {
		return 0, i, false
	}
	v, s, ok := long(ld64(line, i), ld64(line, i+8))
	return v, i + 8 + int(s>>3), ok
}

// long parses 8 digits in y1 followed by 1 to 7 digits and a space in y2,
// as short does, returning 8 × the number of digits in y2.
func long(y1, y2 uint64) (v uint64, s uint, ok bool) {
	y1 ^= 0x3030303030303030
	m1 := ((y1 + 0x7676767676767676) | y1) & 0x8080808080808080
	v, s, ok = short(y2)
	return swar8(y1)*pow10[s>>3&7] + v, s, ok && m1 == 0
}

func TestScanShortLong(t *testing.T) {
	for _, s := range []string{"0", "7", "12", "123", "1234567", "12345678", "123456789", "1418530010",
		"1234567890123456", "123456789012345", "999999999999999", "0000000000000001", "00000000", "x", "", "-", "12x4",
		"1234567x9", "123456789012x", "1\t", "65536", "256"} {
		for _, suffix := range []string{"", " x", "        ", " 1234567890123456", "\t1234567890123456", "x1234567890123456"} {
			line := s + suffix
			want, wj, wcode := scanUint(line, 0, math.MaxUint64)
			if v, j, ok := scanShort(line, 0); ok && (wcode != codeOK || v != want || j != wj) {
				t.Errorf("scanShort(%q) = %d, %d; scanUint: %d, %d, %v", line, v, j, want, wj, wcode)
			}
			if v, j, ok := scanLong(line, 0); ok && (wcode != codeOK || v != want || j != wj) {
				t.Errorf("scanLong(%q) = %d, %d; scanUint: %d, %d, %v", line, v, j, want, wj, wcode)
			}
		}
	}
	for _, s := range []string{"1 ", "1234567 ", "6 17 443 1"} {
		if _, _, ok := scanShort(s+"        ", 0); !ok {
			t.Errorf("scanShort(%q) not taken", s)
		}
	}
	for _, s := range []string{"123456789 ", "1700000000 ", "123456789012345 "} {
		if _, _, ok := scanLong(s+"                ", 0); !ok {
			t.Errorf("scanLong(%q) not taken", s)
		}
	}
}
