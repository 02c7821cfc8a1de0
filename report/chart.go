package report

import (
	"strconv"
	"strings"
)

// The view types below are what the template draws: geometry already
// computed, so the template only places elements. Horizontal geometry is
// in percent of the chart's width and vertical geometry in CSS pixels (bar
// charts) or in a fixed 100-unit box stretched to the chart's height (time
// charts), so that text never scales with the drawing.

type legendItem struct{ Name, Class string }

type barSeg struct {
	X, W  string // percent of the width, e.g. "12.5%"
	Class string
	Title string
}

type barRow struct {
	Label, Value string
	TextY, BarY  int
	Segs         []barSeg
	Other        bool
	Clipped      bool // the bar is longer than the scale (only "other" can be)
}

type barView struct {
	Height int
	Rows   []barRow
	Legend []legendItem
	Marks  int
}

const (
	barRowHeight = 36
	barThickness = 12
)

// bars lays out a BarChart. The scale is the largest top-N row: "other"
// may be larger than any single row (thousands of small talkers), and
// scaling to it would flatten the rows people came to see; it is then
// drawn full width, marked as clipped, and its exact value is in the label.
func bars(c Chart) barView {
	v := barView{Height: len(c.Labels) * barRowHeight, Marks: c.Marks()}
	if len(c.Series) > 1 {
		for _, s := range c.Series {
			v.Legend = append(v.Legend, legendItem(s))
		}
	}
	totals := make([]uint64, len(c.Labels))
	var scale, grand uint64
	for i := range c.Labels {
		for _, x := range c.Values[i] {
			totals[i] += x
		}
		grand += totals[i]
		if !c.OtherLast || i != len(c.Labels)-1 {
			scale = max(scale, totals[i])
		}
	}
	if scale == 0 {
		for _, t := range totals {
			scale = max(scale, t)
		}
	}
	for i, label := range c.Labels {
		other := c.OtherLast && i == len(c.Labels)-1
		row := barRow{
			Label: shorten(label, maxLabel),
			Value: human(totals[i], c.Unit),
			TextY: i*barRowHeight + 14,
			BarY:  i*barRowHeight + 20,
			Other: other,
		}
		if p := percent(totals[i], grand); p != "" {
			row.Value += " · " + p
		}
		x := 0.0
		for j, s := range c.Series {
			w := 0.0
			if scale > 0 {
				w = 100 * float64(c.Values[i][j]) / float64(scale)
			}
			if x+w > 100 {
				w = max(0, 100-x)
				row.Clipped = true
			}
			cls := s.Class
			if other {
				cls = "other"
			}
			row.Segs = append(row.Segs, barSeg{
				X: pct(x), W: pct(w), Class: cls,
				Title: label + " — " + s.Name + ": " + human(c.Values[i][j], c.Unit) + " (" + grouped(c.Values[i][j]) + ")",
			})
			x += w
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

type timeSeg struct {
	X, Y, W, H string // in the 100-unit-high view box
	Class      string
	Title      string
}

type tick struct {
	Pos   string // percent: from the bottom (y) or from the left (x)
	Y     string // y ticks: the gridline's y in the view box
	Label string
}

type timeView struct {
	ViewW  int
	Segs   []timeSeg
	YTicks []tick
	XTicks []tick
	Legend []legendItem
	Marks  int
}

// columnWidth is one bucket's width in view-box units; the box is
// stretched to the chart's width, so only the ratio to the gap matters.
const columnWidth = 10

// minSlots is the fewest columns a time chart is divided into: a chart
// of one or a few buckets draws them at a column's width, centred, not
// stretched across the chart.
const minSlots = 24

// columns lays out a TimeChart: stacked columns, a round y-axis maximum
// with at most four gridlines above zero, and at most about seven x labels.
func columns(c Chart) timeView {
	n := len(c.Labels)
	slots := max(n, minSlots)
	offset := (slots - n) / 2
	v := timeView{ViewW: slots * columnWidth, Marks: c.Marks()}
	for _, s := range c.Series {
		v.Legend = append(v.Legend, legendItem(s))
	}
	var top uint64
	for i := range c.Labels {
		var t uint64
		for _, x := range c.Values[i] {
			t += x
		}
		top = max(top, t)
	}
	step := niceStep(top, 4)
	ticks := max(1, (top+step-1)/step)
	axis := step * ticks
	for k := uint64(0); k <= ticks; k++ {
		y := 100 * float64(k) / float64(ticks)
		v.YTicks = append(v.YTicks, tick{Pos: pct(y), Y: num(100 - y), Label: axisLabel(step*k, c.Unit)})
	}
	gap := 1.5
	if n > 60 {
		gap = 0.5 // many thin columns: a hairline between them
	}
	for i, label := range c.Labels {
		y := 100.0
		x := float64((offset+i)*columnWidth) + gap/2
		for j, s := range c.Series {
			h := 100 * float64(c.Values[i][j]) / float64(axis)
			y -= h
			v.Segs = append(v.Segs, timeSeg{
				X: num(x), W: num(columnWidth - gap),
				Y: num(y), H: num(h), Class: s.Class,
				Title: label + " — " + s.Name + ": " + human(c.Values[i][j], c.Unit) + " (" + grouped(c.Values[i][j]) + ")",
			})
		}
	}
	every := max(1, (n+6)/7)
	for i := 0; i < n; i += every {
		label := c.Labels[i]
		if len(c.Ticks) == n {
			label = c.Ticks[i]
		}
		v.XTicks = append(v.XTicks, tick{Pos: pct(100 * (float64(offset+i) + 0.5) / float64(slots)), Label: label})
	}
	return v
}

func pct(f float64) string { return num(f) + "%" }

// num formats a coordinate with at most three decimals and no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// axisLabel is human without trailing zeros ("4k", "2.5 GB"): axis values
// are round.
func axisLabel(n uint64, u Unit) string {
	s := human(n, u)
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return s
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	frac := strings.TrimRight(s[i+1:j], "0")
	if frac == "" {
		return s[:i] + s[j:]
	}
	return s[:i+1] + frac + s[j:]
}

// maxLabel is the longest bar label drawn, in characters: with its value
// beside it, it fits a phone's width. Longer labels (IPv6 pairs) lose
// their middle; the tooltip and the table have them whole.
const maxLabel = 38

// shorten cuts s to at most n characters by replacing its middle with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}
