package flowlog

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// checkIPv4 compares scanIPv4, at offset 2 of a line as the parser calls
// it, with netip.ParseAddr on the first token of s.
func checkIPv4(t *testing.T, s string) {
	t.Helper()
	padded := "  " + s + strings.Repeat("x", 16)
	a, n, ok := scanIPv4(padded, 2)
	n -= 2
	tok, _, _ := strings.Cut(s, " ")
	want, err := netip.ParseAddr(tok)
	wantOK := err == nil && want.Is4() && strings.Contains(s, " ")
	if ok != wantOK || ok && (a != want || n != len(tok)) {
		t.Fatalf("scanIPv4(%q) = %v, %d, %v; want %v, %d, %v (%v)", s, a, n, ok, want, len(tok), wantOK, err)
	}
}

func TestScanIPv4(t *testing.T) {
	for _, s := range []string{
		"0.0.0.0 ", "1.2.3.4 ", "10.0.1.23 x", "255.255.255.255 ", "256.1.1.1 ", "1.256.1.1 ",
		"1.1.256.1 ", "1.1.1.256 ", "01.1.1.1 ", "1.01.1.1 ", "1.1.01.1 ", "1.1.1.01 ", "1.1.1.0 ",
		"1.1.1 ", "1.1.1.1.1 ", "1..1.1 ", ".1.1.1 ", "1.1.1. ", "1.1.1.1", "1.1.1.1x ", "1234.1.1.1 ",
		"1.1234.1.1 ", "1.1.1234.1 ", "1.1.1.1234 ", "::1 ", "1:2::3 ", "1.1.1.1\t", "999.999.999.999 ",
		"- ", "100.200.100.200 ", "9.99.199.249 ", "1 .1.1.1", "1.1 .1.1 ", "/.1.1.1 ", "1./.1.1 ",
	} {
		checkIPv4(t, s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "0123456789.. :/x"
	for range 300000 {
		var b strings.Builder
		switch rng.IntN(2) {
		case 0: // near-valid: four octets of 0..3 random digits
			for k := range 4 {
				if k > 0 {
					b.WriteByte('.')
				}
				for range rng.IntN(4) {
					b.WriteByte(byte('0' + rng.IntN(10)))
				}
			}
			b.WriteByte(" .x"[rng.IntN(3)])
		default:
			for range rng.IntN(17) {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
		}
		checkIPv4(t, b.String())
	}
}
