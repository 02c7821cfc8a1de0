package report

import (
	"strconv"
)

// human formats n in u for charts and cards: three significant digits and
// a decimal SI suffix (counts: k, M, G ...; bytes: kB, MB, GB ..., decimal as
// AWS bills data transfer).
func human(n uint64, u Unit) string {
	suffixes := []string{"", "k", "M", "G", "T", "P", "E"}
	if u == Bytes {
		suffixes = []string{" B", " kB", " MB", " GB", " TB", " PB", " EB"}
	}
	if n < 1000 {
		return strconv.FormatUint(n, 10) + suffixes[0]
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
	return strconv.FormatFloat(f, 'f', prec, 64) + suffixes[i]
}

// grouped formats n with thousands separators, for exact numbers in tables.
func grouped(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	lead := len(s) % 3
	if lead == 0 {
		lead = 3
	}
	b = append(b, s[:lead]...)
	for i := lead; i < len(s); i += 3 {
		b = append(b, ',')
		b = append(b, s[i:i+3]...)
	}
	return string(b)
}

// NumCell returns a table cell for an exact count.
func NumCell(n uint64) Cell {
	return Cell{Text: grouped(n), Raw: strconv.FormatUint(n, 10)}
}

// TextCell returns a table cell for text.
func TextCell(s string) Cell { return Cell{Text: s} }

// percent formats part/whole as a percentage with one decimal, "" if whole is 0.
func percent(part, whole uint64) string {
	if whole == 0 {
		return ""
	}
	p := 100 * float64(part) / float64(whole)
	if part > 0 && p < 0.05 {
		return "<0.1%" // not 0.0%: it is not nothing
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
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
