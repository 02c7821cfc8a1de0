package flowlog

import (
	"math"
	"net/netip"
	"strconv"
	"testing"
)

func TestScanUint(t *testing.T) {
	for _, s := range []string{"0", "7", "12", "123", "1234567", "12345678", "123456789", "1418530010",
		"1234567890123456", "12345678901234567", "18446744073709551615", "00000000000000000000001"} {
		for _, suffix := range []string{"", " x", "        ", " 1234567890"} {
			v, j, code := scanUint(s+suffix, 0, math.MaxUint64)
			want, werr := strconv.ParseUint(s, 10, 64)
			if code != codeOK || werr != nil || v != want || j != len(s) {
				t.Errorf("scanUint(%q) = %d, %d, %v; want %d", s+suffix, v, j, code, want)
			}
		}
	}
	for _, s := range []string{"", "x", "12x4", "1234567x9", "123456789012x", "-1", "+1", "1\t"} {
		if _, _, code := scanUint(s, 0, math.MaxUint64); code != codeSyntax {
			t.Errorf("scanUint(%q) code = %v, want codeSyntax", s, code)
		}
	}
	for _, s := range []string{"18446744073709551616", "99999999999999999999999"} {
		if _, _, code := scanUint(s, 0, math.MaxUint64); code != codeRange {
			t.Errorf("scanUint(%q) code = %v, want codeRange", s, code)
		}
	}
}

func TestScanAddrFast(t *testing.T) {
	for _, s := range []string{"1.2.3.4", "10.0.0.62", "255.255.255.255", "0.0.0.0", "172.31.16.139", "100.20.3.4",
		"1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04", "01.2.3.4", "1..3.4", "1.2.3.4x", "::1", "1.2.3.1000", "a.b.c.d", "1.2.3.-"} {
		line := s + " 1234567890123456"
		a, j, code := scanAddr(line, 0)
		err := code != codeOK
		want, werr := netip.ParseAddr(s)
		if (!err) != (werr == nil) || (!err && (a != want || j != len(s))) {
			t.Errorf("scanAddr(%q) = %v, %d, %v; netip: %v, %v", line, a, j, err, want, werr)
		}
	}
}

// slowParse is ParseLine without the fast path.
func slowParse(line string, f Format, r *Record) bool {
	*r = Record{}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	has, _, _, code := r.parseFields(line, f.fields[:f.n])
	if code != codeOK {
		*r = Record{}
		return false
	}
	r.has = has
	return true
}
