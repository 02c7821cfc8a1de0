package report

import "strconv"

// htmlBuf is page markup drawn in Go rather than by html/template: the
// charts and tables, hundreds of marks and cells per page, for which the
// template's reflect call per action was nearly all of Write's time
// (BenchmarkWrite). Markup goes in with raw, which takes constant
// strings only; every other string goes in with text, which escapes it
// exactly as html/template escapes text, quoted attribute values and
// RCDATA (TestEscapeLikeTemplate), so that nothing from the input can
// open an element or an attribute (TestWriteHostileText).
type htmlBuf struct{ b []byte }

// raw appends trusted markup: a string constant of this package.
func (h *htmlBuf) raw(s string) { h.b = append(h.b, s...) }

// text appends s escaped for HTML text or a quoted attribute value: the
// replacements of html/template's htmlEscaper (NUL, quotes, '&', '+',
// '<', '>'). They are all ASCII, so a byte loop finds exactly what its
// rune loop finds, and other bytes, valid UTF-8 or not, pass as they do there.
func (h *htmlBuf) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		h.b = append(h.b, s[last:i]...)
		h.b = append(h.b, rep...)
		last = i + 1
	}
	h.b = append(h.b, s[last:]...)
}

// The number formats below write only digits, '.', ',', '%', '<', spaces
// and SI suffixes: nothing that needs escaping except '<' ("<0.1%"),
// which percent escapes itself.

func (h *htmlBuf) int(n int)              { h.b = strconv.AppendInt(h.b, int64(n), 10) }
func (h *htmlBuf) num(f float64)          { h.b = appendNum(h.b, f) }
func (h *htmlBuf) pct(f float64)          { h.b = append(appendNum(h.b, f), '%') }
func (h *htmlBuf) human(n uint64, u Unit) { h.b = appendHuman(h.b, n, u) }
func (h *htmlBuf) grouped(n uint64)       { h.b = appendGrouped(h.b, n) }

// percent appends part/whole as percent does, its "<0.1%" escaped.
func (h *htmlBuf) percent(part, whole uint64) {
	start := len(h.b)
	h.b = appendPercent(h.b, part, whole)
	if len(h.b) > start && h.b[start] == '<' {
		h.b = append(h.b[:start], "&lt;"...)
		h.b = append(h.b, "0.1%"...)
	}
}
