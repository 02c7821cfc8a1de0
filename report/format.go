package report

import (
	"math"
	"strconv"
)

// The formats below append to a buffer, so that the page's drawing
// (htmlBuf) formats each number once, in place, with no allocation; the
// string forms are for the page's data (cards, cells).

var (
	countSuffixes = [...]string{"", "k", "M", "G", "T", "P", "E"}
	byteSuffixes  = [...]string{" B", " kB", " MB", " GB", " TB", " PB", " EB"}
)

// human formats n in u for charts and cards: three significant digits and
// a decimal SI suffix (counts: k, M, G ...; bytes: kB, MB, GB ..., decimal as
// AWS bills data transfer).
func human(n uint64, u Unit) string { return string(appendHuman(make([]byte, 0, 16), n, u)) }

func appendHuman(dst []byte, n uint64, u Unit) []byte {
	suffixes := &countSuffixes
	if u == Bytes {
		suffixes = &byteSuffixes
	}
	if n < 1000 {
		return append(strconv.AppendUint(dst, n, 10), suffixes[0]...)
	}
	f := float64(n)
	i := 0
	for f >= 999.5 && i < len(suffixes)-1 {
		f /= 1000
		i++
	}
	prec := 0
	switch {
	case f < 9.995:
		prec = 2
	case f < 99.95:
		prec = 1
	}
	return append(appendFixed(dst, f, prec), suffixes[i]...)
}

// grouped formats n with thousands separators, for exact numbers in tables.
func grouped(n uint64) string { return string(appendGrouped(make([]byte, 0, 26), n)) }

func appendGrouped(dst []byte, n uint64) []byte {
	var digits [20]byte
	s := strconv.AppendUint(digits[:0], n, 10)
	lead := len(s) % 3
	if lead == 0 {
		lead = 3
	}
	dst = append(dst, s[:lead]...)
	for i := lead; i < len(s); i += 3 {
		dst = append(dst, ',')
		dst = append(dst, s[i:i+3]...)
	}
	return dst
}

// NumCell returns a table cell for an exact count.
func NumCell(n uint64) Cell {
	var b [48]byte
	raw := strconv.AppendUint(b[:0], n, 10)
	both := string(appendGrouped(raw, n)) // one allocation for the two
	return Cell{Text: both[len(raw):], Raw: both[:len(raw)]}
}

// TextCell returns a table cell for text.
func TextCell(s string) Cell { return Cell{Text: s} }

// percent formats part/whole as a percentage with one decimal, "" if whole is 0.
func percent(part, whole uint64) string { return string(appendPercent(nil, part, whole)) }

func appendPercent(dst []byte, part, whole uint64) []byte {
	if whole == 0 {
		return dst
	}
	p := 100 * float64(part) / float64(whole)
	if part > 0 && p < 0.05 {
		return append(dst, "<0.1%"...) // not 0.0%: it is not nothing
	}
	return append(appendFixed(dst, p, 1), '%')
}

// niceStep returns the smallest 1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten s with
// parts*s >= n (and s >= 1), so that an axis of parts gridlines ends on a
// round number just above the data.
func niceStep(n uint64, parts uint64) uint64 {
	p := uint64(1)
	for {
		for _, m := range []float64{1, 2, 2.5, 3, 4, 5, 6, 8} {
			s := uint64(m * float64(p))
			if float64(s) == m*float64(p) && parts*s >= n {
				return s
			}
		}
		if p > (1<<64-1)/100 {
			return n/parts + 1
		}
		p *= 10
	}
}

// appendFixed appends f with prec (0 to 3) decimals, byte for byte as
// strconv.AppendFloat(dst, f, 'f', prec, 64), but faster: strconv
// formats a fixed number of decimals with multiprecision arithmetic
// (~0.3 µs a number; a page formats thousands). The numbers here are
// small and non-negative, so f scaled to an integer count of its last
// decimal is exact to within 1e-9, and rounds as f does unless it is
// within 1e-6 of halfway, where strconv's exact rounding decides.
func appendFixed(dst []byte, f float64, prec int) []byte {
	scale := fixedScale[prec]
	x := f * float64(scale)
	if !(x >= 0 && x < 1e7) || math.Signbit(f) {
		return strconv.AppendFloat(dst, f, 'f', prec, 64)
	}
	n := math.Floor(x)
	switch frac := x - n; {
	case math.Abs(frac-0.5) < 1e-6:
		return strconv.AppendFloat(dst, f, 'f', prec, 64)
	case frac > 0.5:
		n++
	}
	u := uint64(n)
	dst = strconv.AppendUint(dst, u/scale, 10)
	if prec > 0 {
		dst = append(dst, '.')
		for d := scale / 10; d > 0; d /= 10 {
			dst = append(dst, byte('0'+u/d%10))
		}
	}
	return dst
}

var fixedScale = [...]uint64{1, 10, 100, 1000}
