package flowlog

import "testing"

// checkAsmAgrees checks that whenever the assembly parser takes a line, the
// Go parser takes it too and gives the same record.
func checkAsmAgrees(t *testing.T, line string) bool {
	t.Helper()
	var got, want Record
	acctEnd, ifaceEnd, srcEnd, dstEnd, src, dst, absent, ok := parseDefaultAMD64(line, &got)
	if !ok || !got.setDefault(line, acctEnd, ifaceEnd, srcEnd, dstEnd, src, dst, absent) {
		return false
	}
	if !want.parseDefaultGo(line) || got != want {
		t.Fatalf("%q: parseDefaultAMD64 %+v, parseDefaultGo %+v", line, got, want)
	}
	return true
}

// TestParseDefaultAsm checks the assembly parser against the Go one on the
// shapes, on generated lines (of which it must take every line with all
// fields present, IPv4 or IPv6) and on every single-field change of them.
func TestParseDefaultAsm(t *testing.T) {
	if !haveAsm {
		t.Skip("no assembly parser on this platform")
	}
	for _, line := range defaultShapes {
		checkAsmAgrees(t, line)
	}
	taken, want := 0, 0
	for _, line := range benchLinesOf(nil, "default") {
		if checkAsmAgrees(t, line) {
			taken++
		}
		want++
	}
	if taken != want {
		t.Errorf("parseDefaultAMD64 took %d of %d generated lines", taken, want)
	}
	for _, line := range benchLinesOf(nil, "default")[:300] {
		forEachFieldChange(line, func(m string) { checkAsmAgrees(t, m) })
	}
}

// FuzzParseDefaultAsm checks the assembly parser against the Go one.
func FuzzParseDefaultAsm(f *testing.F) {
	for _, s := range defaultShapes {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) { checkAsmAgrees(t, line) })
}
