package report

import "unicode/utf8"

// The charts are drawn here, straight into the page's markup (htmlBuf):
// geometry in percent of the chart's width and in CSS pixels (bar
// charts) or in a fixed 100-unit box stretched to the chart's height (time
// charts), so that text never scales with the drawing. Each number is
// formatted once, in place; a mark costs no allocation.

const barRowHeight = 36

// drawFigure appends the chart of s (not empty) as its figure element.
func drawFigure(h *htmlBuf, s Section) {
	c := s.Chart
	h.raw(`<figure class="chart" data-chart="`)
	h.text(s.ID)
	h.raw(`" data-marks="`)
	h.int(c.Marks())
	h.raw(`">`)
	if len(c.Series) > 1 || c.Kind == TimeChart && len(c.Series) == 1 {
		h.raw("\n        <ul class=\"legend\" aria-hidden=\"true\">")
		for _, se := range c.Series {
			h.raw(`<li><span class="swatch `)
			h.text(se.Class)
			h.raw(`"></span>`)
			h.text(se.Name)
			h.raw(`</li>`)
		}
		h.raw(`</ul>`)
	}
	if c.Kind == TimeChart {
		drawColumns(h, c, s.Title)
	} else {
		drawBars(h, c, s.Title)
	}
	h.raw("\n      </figure>")
}

// markTitle appends a mark's tooltip: its label, series and value.
func markTitle(h *htmlBuf, label string, s Series, v uint64, u Unit) {
	h.raw(`<title>`)
	h.text(label)
	h.raw(` — `)
	h.text(s.Name)
	h.raw(`: `)
	h.human(v, u)
	h.raw(` (`)
	h.grouped(v)
	h.raw(`)</title>`)
}

// drawBars draws a BarChart. The scale is the largest top-N row: "other"
// may be larger than any single row (thousands of small talkers), and
// scaling to it would flatten the rows people came to see; it is then
// drawn full width, marked as clipped, and its exact value is in the label.
func drawBars(h *htmlBuf, c Chart, title string) {
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
	h.raw("\n        <svg class=\"bars\" width=\"100%\" height=\"")
	h.int(len(c.Labels) * barRowHeight)
	h.raw(`" role="img" aria-label="`)
	h.text(title)
	h.raw(`: `)
	h.int(len(c.Labels))
	h.raw(` bars; the table lists the numbers">`)
	for i, label := range c.Labels {
		other := c.OtherLast && i == len(c.Labels)-1
		textY, barY := i*barRowHeight+14, i*barRowHeight+20
		h.raw("\n          <text class=\"bar-label")
		if other {
			h.raw(` is-other`)
		}
		h.raw(`" x="0" y="`)
		h.int(textY)
		h.raw(`">`)
		h.text(shorten(label, maxLabel))
		h.raw("</text>\n          <text class=\"bar-value\" x=\"100%\" y=\"")
		h.int(textY)
		h.raw(`" text-anchor="end">`)
		h.human(totals[i], c.Unit)
		if grand != 0 {
			h.raw(` · `)
			h.percent(totals[i], grand)
		}
		h.raw("</text>\n          <rect class=\"track\" x=\"0\" y=\"")
		h.int(barY)
		h.raw(`" width="100%" height="12" rx="2"></rect>`)
		x, clipped := 0.0, false
		for j, s := range c.Series {
			w := 0.0
			if scale > 0 {
				w = 100 * float64(c.Values[i][j]) / float64(scale)
			}
			if x+w > 100 {
				w = max(0, 100-x)
				clipped = true
			}
			h.raw("\n          <rect class=\"mark ")
			if other {
				h.raw(`other`)
			} else {
				h.text(s.Class)
			}
			h.raw(`" x="`)
			h.pct(x)
			h.raw(`" y="`)
			h.int(barY)
			h.raw(`" width="`)
			h.pct(w)
			h.raw(`" height="12">`)
			markTitle(h, label, s, c.Values[i][j], c.Unit)
			h.raw(`</rect>`)
			x += w
		}
		if clipped {
			h.raw("\n          <text class=\"clip\" x=\"100%\" y=\"")
			h.int(barY)
			h.raw(`" dy="10" dx="-4" text-anchor="end">⁄⁄</text>`)
		}
	}
	h.raw("\n        </svg>")
}

// columnWidth is one bucket's width in view-box units; the box is
// stretched to the chart's width, so only the ratio to the gap matters.
const columnWidth = 10

// minSlots is the fewest columns a time chart is divided into: a chart
// of one or a few buckets draws them at a column's width, centred, not
// stretched across the chart.
const minSlots = 24

// drawColumns draws a TimeChart: stacked columns, a round y-axis maximum
// with at most four gridlines above zero, and at most about seven x labels.
func drawColumns(h *htmlBuf, c Chart, title string) {
	n := len(c.Labels)
	slots := max(n, minSlots)
	offset := (slots - n) / 2
	viewW := slots * columnWidth
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
	tickY := func(k uint64) float64 { return 100 * float64(k) / float64(ticks) }

	h.raw("\n        <div class=\"timechart\">\n          <div class=\"plot\">\n            <div class=\"yaxis\" aria-hidden=\"true\">")
	for k := uint64(0); k <= ticks; k++ {
		h.raw(`<span style="bottom: `)
		h.pct(tickY(k))
		h.raw(`">`)
		h.b = axisLabel(h.b, step*k, c.Unit)
		h.raw(`</span>`)
	}
	h.raw("</div>\n            <svg class=\"cols\" viewBox=\"0 0 ")
	h.int(viewW)
	h.raw(` 100" preserveAspectRatio="none" width="100%" height="220" role="img" aria-label="`)
	h.text(title)
	h.raw(`: `)
	h.int(c.Marks())
	h.raw(` column segments; the table lists the numbers">`)
	for k := uint64(0); k <= ticks; k++ {
		h.raw("\n              <line class=\"grid\" x1=\"0\" x2=\"")
		h.int(viewW)
		h.raw(`" y1="`)
		h.num(100 - tickY(k))
		h.raw(`" y2="`)
		h.num(100 - tickY(k))
		h.raw(`" vector-effect="non-scaling-stroke"></line>`)
	}
	gap := 1.5
	if n > 60 {
		gap = 0.5 // many thin columns: a hairline between them
	}
	for i, label := range c.Labels {
		y := 100.0
		x := float64((offset+i)*columnWidth) + gap/2
		for j, s := range c.Series {
			v := c.Values[i][j]
			ht := 100 * float64(v) / float64(axis)
			y -= ht
			h.raw("\n              <rect class=\"mark ")
			h.text(s.Class)
			h.raw(`" x="`)
			h.num(x)
			h.raw(`" y="`)
			h.num(y)
			h.raw(`" width="`)
			h.num(columnWidth - gap)
			h.raw(`" height="`)
			h.num(ht)
			h.raw(`">`)
			markTitle(h, label, s, v, c.Unit)
			h.raw(`</rect>`)
		}
	}
	h.raw("\n            </svg>\n          </div>\n          <div class=\"xaxis\" aria-hidden=\"true\">")
	every := max(1, (n+6)/7)
	for i, t := 0, 0; i < n; i, t = i+every, t+1 {
		h.raw(`<span class="`)
		if t%2 == 1 {
			h.raw(`odd`)
		}
		h.raw(`" style="left: `)
		h.pct(100 * (float64(offset+i) + 0.5) / float64(slots))
		h.raw(`">`)
		if len(c.Ticks) == n {
			h.text(c.Ticks[i])
		} else {
			h.text(c.Labels[i])
		}
		h.raw(`</span>`)
	}
	h.raw("</div>\n        </div>")
}

// appendNum appends a coordinate with at most three decimals and no
// trailing zeros.
func appendNum(dst []byte, f float64) []byte {
	dst = appendFixed(dst, f, 3) // always has a '.'
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// axisLabel appends human's form without trailing zeros ("4k", "2.5 GB"):
// axis values are round.
func axisLabel(dst []byte, n uint64, u Unit) []byte {
	s := appendHuman(dst, n, u)
	i := len(dst)
	for i < len(s) && s[i] != '.' {
		i++
	}
	if i == len(s) {
		return s
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	k := j
	for k > i+1 && s[k-1] == '0' {
		k--
	}
	if k == i+1 {
		k = i // no fraction left: no point either
	}
	return append(s[:k], s[j:]...)
}

// maxLabel is the longest bar label drawn, in characters: with its value
// beside it, it fits a phone's width. Longer labels (IPv6 pairs) lose
// their middle; the tooltip and the table have them whole.
const maxLabel = 38

// shorten cuts s to at most n characters by replacing its middle with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}
