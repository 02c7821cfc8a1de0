package flowlog

import (
	"net/netip"
	"strings"
	"testing"
)

var ipv6Seeds = []string{"::", "::1", "1::", "1::2", "2001:db8::a29:4b94:9165:d597", "1:2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:::2", "1::2::3",
	":1", "1:", ":::", "12345::1", "ABCD:ef01::FFFF", "g::1", "::ffff:1.2.3.4", "fe80::1%eth0",
	"0000:0000::0", "1:2:3:4:5:6:7:8::", "::1:", "1.2.3.4", "1234", "-", ""}

func TestScanIPv6(t *testing.T) {
	for _, s := range ipv6Seeds {
		checkScanIPv6(t, s)
	}
}

func TestScanIPv6Accepts(t *testing.T) {
	for _, s := range []string{"::", "::1", "1::", "1::2", "2001:db8::a29:4b94:9165:d597", "1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "ABCD:ef01::FFFF", "0000:0000::0"} {
		if _, _, ok := scanIPv6(s+" 1", 0); !ok {
			t.Errorf("scanIPv6(%q) leaves a common form to netip", s)
		}
	}
}

func FuzzScanIPv6(f *testing.F) {
	for _, s := range ipv6Seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanIPv6(t, s) })
}

// checkScanIPv6 checks that scanIPv6 accepts only what netip accepts, with
// the same value, alone and followed by another field.
func checkScanIPv6(t *testing.T, s string) {
	t.Helper()
	tok := s
	if k := strings.IndexByte(s, ' '); k >= 0 {
		tok = s[:k]
	}
	for _, line := range []string{s, s + " 1234 5678"} {
		a, j, ok := scanIPv6(line, 0)
		if !ok {
			continue
		}
		want, err := netip.ParseAddr(tok)
		if err != nil || a != want || j != len(tok) {
			t.Fatalf("scanIPv6(%q) = %v, %d; netip.ParseAddr(%q) = %v, %v", line, a, j, tok, want, err)
		}
	}
}

func FuzzScanAddr(f *testing.F) {
	for _, s := range append(ipv6Seeds, "1.2.3.4 5", "10.1.145.27 1234 5678 9", "255.255.255.255 123",
		"1.2.3.04 1234567890", "256.1.1.1 1234567890", "1.22.133.4 12345678", "9.9.9.999 1234567890") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		tok := line
		if k := strings.IndexByte(line, ' '); k >= 0 {
			tok = line[:k]
		}
		if tok == "" {
			return
		}
		a, j, code := scanAddr(line, 0)
		want, err := netip.ParseAddr(tok)
		if err == nil && want.Zone() != "" {
			err = ErrSyntax // zones are not accepted
		}
		if (code == codeOK) != (err == nil) || (err == nil && (a != want || j != len(tok))) {
			t.Fatalf("scanAddr(%q) = %v, %d, %v; netip.ParseAddr(%q) = %v, %v", line, a, j, code, tok, want, err)
		}
		// Past the start of a line, scanAddr takes the 16-byte IPv4 path.
		a, j, code = scanAddr("2 "+line, 2)
		if (code == codeOK) != (err == nil) || (err == nil && (a != want || j-2 != len(tok))) {
			t.Fatalf("scanAddr(%q, 2) = %v, %d, %v; netip.ParseAddr(%q) = %v, %v", "2 "+line, a, j, code, tok, want, err)
		}
	})
}
