package report

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEscapeLikeTemplate: htmlBuf.text escapes exactly as html/template
// does in HTML text, in a quoted attribute value and in an SVG <title>
// (RCDATA to the template), so the charts and tables drawn in Go are the
// bytes the template drew, and as safe.
func TestEscapeLikeTemplate(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(
		`<p>{{.}}</p>` + "\x01" + `<p title="{{.}}"></p>` + "\x01" + `<svg><rect><title>{{.}}</title></rect></svg>`))
	corpus := []string{"", "plain", `<script>alert(1)</script>`, `" onmouseover="x`, `' x='1`, "a&b&amp;",
		"]]>", "<!--", "1+1", "\x00nul", "é ✓ 🙂", "\uFDD0\uFFFE\uFFFF", "\xff\xfe bad utf-8 \xe2\x80<", "eni-0a1b\u202e"}
	for c := range 256 {
		corpus = append(corpus, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "<", ">", "&", "'", `"`, "+", "\x00", "é", "\xc3", "\u2028", "]", " "}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		corpus = append(corpus, b.String())
	}
	for _, s := range corpus {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var h htmlBuf
		h.raw(`<p>`)
		h.text(s)
		h.raw("</p>\x01<p title=\"")
		h.text(s)
		h.raw("\"></p>\x01<svg><rect><title>")
		h.text(s)
		h.raw(`</title></rect></svg>`)
		if got := string(h.b); got != want.String() {
			t.Errorf("text(%q):\n got %q\nwant %q", s, got, want.String())
		}
	}
}

// TestAppendFormats: the append forms of the number formats write what
// the template wrote through the string forms, escaped.
func TestAppendFormats(t *testing.T) {
	var h htmlBuf
	h.percent(1, 1_000_000)
	h.raw(" ")
	h.percent(1, 8)
	h.raw(" ")
	h.percent(0, 8)
	h.raw(" ")
	h.percent(1, 0)
	h.raw("|")
	for _, f := range []float64{0, -0.0001, 100, 12.5, 33.3333333, 0.0004, 99.9996} {
		h.num(f)
		h.raw(" ")
	}
	want := "&lt;0.1% 12.5% 0.0% |0 -0 100 12.5 33.333 0 100 "
	if got := string(h.b); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Appended after other text: the formats touch only their own bytes.
	for _, tt := range []struct{ got, want string }{
		{string(appendGrouped([]byte("1.5"), 1234567)), "1.51,234,567"},
		{string(appendGrouped([]byte("x"), 1<<64-1)), "x18,446,744,073,709,551,615"},
		{string(appendHuman([]byte("2.0"), 2_500_000, Bytes)), "2.02.50 MB"},
		{string(axisLabel([]byte("1.0"), 2_500_000, Count)), "1.02.5M"},
		{string(axisLabel([]byte("1.0"), 4_000_000, Bytes)), "1.04 MB"},
		{string(appendNum([]byte("10"), 20)), "1020"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
