package report

import (
	"sort"
	"time"
)

// hourly is one hour's counts (hour as Unix seconds at the start of the
// hour, UTC), per series: Values[series][measure].
type hourly struct {
	Hour   int64
	Values [][3]uint64
}

// maxBuckets bounds the columns of a time chart: beyond it, hours are
// summed into wider buckets, so a year of logs draws as legibly as a day.
const maxBuckets = 100

// bucketHours are the bucket widths a time chart may use, in hours.
var bucketHours = []int64{1, 2, 3, 6, 12, 24, 48, 168, 336, 672, 1344, 2688, 8760, 2 * 8760, 5 * 8760, 10 * 8760, 20 * 8760, 50 * 8760, 100 * 8760}

// bucket sums hourly counts into at most maxBuckets consecutive buckets of
// equal width, aligned to multiples of the width since the Unix epoch, with
// every bucket between the first and the last present (empty ones zero),
// so that the time axis is linear. It returns the buckets and their width.
func bucket(hours []hourly, series int) ([]hourly, time.Duration) {
	if len(hours) == 0 {
		return nil, time.Hour
	}
	sort.Slice(hours, func(i, j int) bool { return hours[i].Hour < hours[j].Hour })
	first, last := hours[0].Hour, hours[len(hours)-1].Hour
	width := bucketHours[len(bucketHours)-1] * 3600
	for _, h := range bucketHours {
		w := h * 3600
		if floorDiv(last, w)-floorDiv(first, w)+1 <= maxBuckets {
			width = w
			break
		}
	}
	start := floorDiv(first, width)
	n := floorDiv(last, width) - start + 1
	out := make([]hourly, n)
	for i := range out {
		out[i] = hourly{Hour: (start + int64(i)) * width, Values: make([][3]uint64, series)}
	}
	for _, h := range hours {
		b := &out[floorDiv(h.Hour, width)-start]
		for s, v := range h.Values {
			for m := range v {
				b.Values[s][m] += v[m]
			}
		}
	}
	return out, time.Duration(width) * time.Second
}

// floorDiv divides rounding towards minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// bucketLabels returns each bucket's full label (for tables and tooltips)
// and a short one for the axis.
func bucketLabels(bs []hourly, width time.Duration) (full, short []string) {
	multiDay := len(bs) > 0 && bs[len(bs)-1].Hour-bs[0].Hour >= 24*3600
	for _, b := range bs {
		t := time.Unix(b.Hour, 0).UTC()
		switch {
		case width < 24*time.Hour:
			full = append(full, t.Format("2006-01-02 15:04"))
			if multiDay {
				short = append(short, t.Format("Jan 2 15:04"))
			} else {
				short = append(short, t.Format("15:04"))
			}
		case width < 8760*time.Hour:
			full = append(full, t.Format("2006-01-02"))
			short = append(short, t.Format("Jan 2"))
		default:
			full = append(full, t.Format("2006-01-02"))
			short = append(short, t.Format("2006"))
		}
	}
	return full, short
}

// widthName says a bucket width in words, e.g. "1 hour", "6 hours", "1 day".
func widthName(d time.Duration) string {
	h := int64(d / time.Hour)
	switch {
	case h%8760 == 0:
		return plural(h/8760, "year")
	case h%168 == 0:
		return plural(h/168, "week")
	case h%24 == 0:
		return plural(h/24, "day")
	}
	return plural(h, "hour")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return grouped(uint64(n)) + " " + unit + "s"
}
