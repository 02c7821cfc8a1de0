package flowlog

import (
	"strconv"
	"testing"
)

func TestScanUint(t *testing.T) {
	for _, s := range []string{"0", "7", "12", "123", "1234567", "12345678", "123456789", "1418530010",
		"1234567890123456", "12345678901234567", "18446744073709551615", "00000000000000000000001"} {
		for _, suffix := range []string{"", " x", "        ", " 1234567890"} {
			v, j, err := scanUint(s+suffix, 0)
			want, werr := strconv.ParseUint(s, 10, 64)
			if err != nil || werr != nil || v != want || j != len(s) {
				t.Errorf("scanUint(%q) = %d, %d, %v; want %d", s+suffix, v, j, err, want)
			}
		}
	}
	for _, s := range []string{"", "x", "12x4", "1234567x9", "123456789012x", "-1", "+1", "1\t"} {
		if _, _, err := scanUint(s, 0); err != ErrSyntax {
			t.Errorf("scanUint(%q) err = %v, want ErrSyntax", s, err)
		}
	}
	for _, s := range []string{"18446744073709551616", "99999999999999999999999"} {
		if _, _, err := scanUint(s, 0); err != ErrRange {
			t.Errorf("scanUint(%q) err = %v, want ErrRange", s, err)
		}
	}
}
