package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// This file turns aggregation results (columns and rows, as the
// investigations' evaluator returns them) into sections. It only reshapes
// numbers: cutting to the top N and adding the rest as "other", pivoting
// a split column into series, and bucketing hours.

// Totals are the records, packets and bytes of a set of records.
type Totals struct{ Records, Packets, Bytes uint64 }

func (t Totals) get(measure string) uint64 {
	switch measure {
	case "packets":
		return t.Packets
	case "bytes":
		return t.Bytes
	}
	return t.Records
}

func (t *Totals) add(o Totals) {
	t.Records += o.Records
	t.Packets += o.Packets
	t.Bytes += o.Bytes
}

func (t Totals) minus(o Totals) Totals {
	sub := func(a, b uint64) uint64 {
		if b > a {
			return 0
		}
		return a - b
	}
	return Totals{sub(t.Records, o.Records), sub(t.Packets, o.Packets), sub(t.Bytes, o.Bytes)}
}

// grid is an aggregation result: named columns, rows of values (string,
// int64, time.Time or nil for absent), the measures "records", "packets",
// "bytes" among the columns.
type grid struct {
	cols     []string
	rows     [][]any
	measures [3]int // the columns of records, packets and bytes; -1: none
}

func newGrid(cols []string, rows [][]any) grid {
	g := grid{cols: cols, rows: rows}
	for k, m := range [3]string{"records", "packets", "bytes"} {
		g.measures[k] = g.col(m)
	}
	return g
}

func (g grid) col(name string) int {
	for i, c := range g.cols {
		if c == name {
			return i
		}
	}
	return -1
}

// totals returns the measures of row i.
func (g grid) totals(i int) Totals {
	var t [3]uint64
	for k, c := range g.measures {
		if c >= 0 {
			t[k] = asUint(g.rows[i][c])
		}
	}
	return Totals{t[0], t[1], t[2]}
}

func asUint(v any) uint64 {
	switch x := v.(type) {
	case int64:
		if x > 0 {
			return uint64(x)
		}
	case uint64:
		return x
	case int:
		if x > 0 {
			return uint64(x)
		}
	}
	return 0
}

// show formats a result value of column col for people.
func show(col string, v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return x
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04")
	case int64:
		switch col {
		case "protocol":
			return protocolName(x)
		case "traffic_path":
			if x >= 0 && x < 256 {
				return flowlog.Path(x).String()
			}
		}
		return strconv.FormatInt(x, 10)
	}
	return "?"
}

// protocolName names an IANA protocol number from the registry's
// documented values of the protocol field ("6: TCP" ...), e.g. "TCP";
// other numbers stay numbers.
func protocolName(n int64) string {
	prefix := strconv.FormatInt(n, 10) + ": "
	for _, s := range flowlog.Protocol.SpecialValues() {
		if name, ok := strings.CutPrefix(s, prefix); ok {
			return name
		}
	}
	return "protocol " + strconv.FormatInt(n, 10)
}

// columnTitles are the table headings of result columns; other columns
// use their field's name.
var columnTitles = map[string]string{
	"records": "Records", "packets": "Packets", "bytes": "Bytes", "hour": "Hour (UTC)",
	"srcaddr": "Source", "dstaddr": "Destination", "dstport": "Dst port", "srcport": "Src port",
	"protocol": "Protocol", "action": "Action", "log_status": "Log status", "interface_id": "Interface",
	"flow_direction": "Direction", "traffic_path": "Traffic path", "vpc_id": "VPC",
	"pkt_srcaddr": "Packet source", "pkt_dstaddr": "Packet destination",
	"pkt_src_aws_service": "Source AWS service", "pkt_dst_aws_service": "Destination AWS service",
}

func columnTitle(col string) string {
	if t, ok := columnTitles[col]; ok {
		return t
	}
	if f, ok := flowlog.FieldByColumn(col); ok {
		return f.Name()
	}
	return col
}

// barSpec says how to draw a result as a bar chart of its top rows.
type barSpec struct {
	ID, Title, Question string                  // Question: default the investigation's
	Keys                []string                // the columns that label a bar, in the result
	Label               func(vals []any) string // optional: the bar's label from the key values
	Measure             string                  // "records", "packets" or "bytes": the bar's length
	Split               string                  // a column whose values become stacked series (e.g. "action"); "" for one series
	Class               string                  // the colour of a single series: "total" (default), "reject" ...
	Top                 int                     // bars before "other"; 0: all rows
	All                 Totals                  // the totals of every group, for the "other" row; zero: no "other" row
	Noun                string                  // what a group is, plural: the "other" row is "other " + Noun
	Empty               string                  // said when there are no rows
}

// splitSeries are the series of known split values, in drawing order.
var splitSeries = map[string][]Series{
	"action":     {{"accepted", "accept"}, {"rejected", "reject"}},
	"log_status": {{"NODATA", "nodata"}, {"SKIPDATA", "skipdata"}},
}

var splitValues = map[string][]string{
	"action":     {"ACCEPT", "REJECT"},
	"log_status": {"NODATA", "SKIPDATA"},
}

// barSection draws g's rows (already ordered by the measure, descending)
// as bars: the first Top labels, then "other" for the rest of All.
func barSection(g grid, s barSpec) Section {
	sec := Section{ID: s.ID, Title: s.Title, Question: s.Question}
	unit := Count
	if s.Measure == "bytes" {
		unit = Bytes
	}
	keyIdx := make([]int, len(s.Keys))
	for i, k := range s.Keys {
		keyIdx[i] = g.col(k)
	}
	splitIdx := -1
	class := s.Class
	if class == "" {
		class = "total"
	}
	series := []Series{{Name: s.Measure, Class: class}}
	if s.Split != "" {
		splitIdx = g.col(s.Split)
		series = splitSeries[s.Split]
	}
	label := func(row []any) string {
		vals := make([]any, len(keyIdx))
		for i, c := range keyIdx {
			vals[i] = row[c]
		}
		if s.Label != nil {
			return s.Label(vals)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = show(s.Keys[i], v)
		}
		return strings.Join(parts, " ")
	}

	// One bar per label (rows with the same label, e.g. one traffic
	// path in several VPCs, add up), the largest first, ties in the
	// order of the rows; then the first Top.
	chart := Chart{Kind: BarChart, Unit: unit, Series: series}
	index := map[string]int{}
	rowBar := make([]int, len(g.rows))
	var sums []uint64
	for i, row := range g.rows {
		rowBar[i] = -1
		j := 0
		if splitIdx >= 0 {
			if j = slices.Index(splitValues[s.Split], fmt.Sprint(row[splitIdx])); j < 0 {
				continue // e.g. no action (NODATA): not a series of this chart
			}
		}
		l := label(row)
		b, ok := index[l]
		if !ok {
			b = len(chart.Labels)
			index[l] = b
			chart.Labels = append(chart.Labels, l)
			chart.Values = append(chart.Values, make([]uint64, len(series)))
			sums = append(sums, 0)
		}
		rowBar[i] = b
		v := g.totals(i).get(s.Measure)
		chart.Values[b][j] += v
		sums[b] += v
	}
	order := make([]int, len(chart.Labels))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sums[b], sums[a]) })
	if s.Top > 0 && len(order) > s.Top {
		order = order[:s.Top]
	}
	rank := make([]int, len(chart.Labels))
	for i := range rank {
		rank[i] = -1
	}
	labels, values := chart.Labels, chart.Values
	chart.Labels, chart.Values = nil, nil
	for r, b := range order {
		rank[b] = r
		chart.Labels = append(chart.Labels, labels[b])
		chart.Values = append(chart.Values, values[b])
	}
	// The table lists the rows of the bars shown, in the bars' order.
	var shown Totals
	for r := range order {
		for i := range g.rows {
			if rowBar[i] >= 0 && rank[rowBar[i]] == r {
				shown.add(g.totals(i))
				sec.Table.Rows = append(sec.Table.Rows, tableRow(g, i))
			}
		}
	}
	for _, c := range g.cols {
		sec.Table.Columns = append(sec.Table.Columns, Column{Name: c, Title: columnTitle(c), Numeric: isMeasure(c)})
	}
	if other := s.All.minus(shown); s.All != (Totals{}) && other != (Totals{}) {
		name := strings.TrimSpace("other " + s.Noun)
		chart.Labels = append(chart.Labels, name)
		v := make([]uint64, len(series))
		v[0] = other.get(s.Measure)
		chart.Values = append(chart.Values, v)
		chart.OtherLast = true
		row := make([]Cell, len(g.cols))
		for i, c := range g.cols {
			switch {
			case isMeasure(c):
				row[i] = NumCell(other.get(c))
			case i == 0:
				row[i] = TextCell(name)
			default:
				row[i] = TextCell("")
			}
		}
		sec.Table.Rows = append(sec.Table.Rows, row)
	}
	if len(chart.Labels) == 0 {
		sec.Empty = s.Empty
		if sec.Empty == "" {
			sec.Empty = "No records."
		}
	}
	sec.Chart = chart
	return sec
}

func isMeasure(col string) bool { return col == "records" || col == "packets" || col == "bytes" }

// tableRow returns row i of g as table cells: measures as exact numbers,
// the rest as shown.
func tableRow(g grid, i int) []Cell {
	row := make([]Cell, len(g.cols))
	for j, c := range g.cols {
		if isMeasure(c) {
			row[j] = NumCell(asUint(g.rows[i][j]))
		} else {
			row[j] = TextCell(show(c, g.rows[i][j]))
		}
	}
	return row
}

// timeSections draws an hourly result (columns hour, action and the
// measures) as two time charts, bytes and records, accepted vs rejected.
func timeSections(g grid) (bytesSec, recordsSec Section) {
	hc, ac := g.col("hour"), g.col("action")
	byHour := make(map[int64]int, len(g.rows)/2) // about two rows an hour: accepted, rejected
	var hours []hourly
	for i, row := range g.rows {
		t, ok := row[hc].(time.Time)
		if !ok {
			continue
		}
		j := -1
		for k, v := range splitValues["action"] {
			if row[ac] == v {
				j = k
			}
		}
		if j < 0 {
			continue
		}
		h := t.Unix()
		k, ok := byHour[h]
		if !ok {
			k = len(hours)
			byHour[h] = k
			hours = append(hours, hourly{Hour: h, Values: make([][3]uint64, 2)})
		}
		t3 := g.totals(i)
		v := &hours[k].Values[j]
		v[0] += t3.Records
		v[1] += t3.Packets
		v[2] += t3.Bytes
	}
	buckets, width := bucket(hours, 2)
	full, short := bucketLabels(buckets, width)
	per := "per " + strings.TrimPrefix(widthName(width), "1 ")
	mk := func(id, title, question string, m int, unit Unit, noun string) Section {
		sec := Section{ID: id, Title: title, Question: question + " (" + per + ", by the start of each flow, UTC)"}
		c := Chart{Kind: TimeChart, Unit: unit, Series: splitSeries["action"], Labels: full, Ticks: short}
		startTitle := "Hour (UTC)"
		if width != time.Hour {
			startTitle = "From (UTC), " + per
		}
		sec.Table.Columns = []Column{{Name: "hour", Title: startTitle}, {Name: "accepted_" + noun, Title: "Accepted", Numeric: true}, {Name: "rejected_" + noun, Title: "Rejected", Numeric: true}}
		for i, b := range buckets {
			a, r := b.Values[0][m], b.Values[1][m]
			c.Values = append(c.Values, []uint64{a, r})
			sec.Table.Rows = append(sec.Table.Rows, []Cell{TextCell(full[i]), NumCell(a), NumCell(r)})
		}
		if len(buckets) == 0 {
			sec.Empty = "No accepted or rejected records."
		}
		sec.Chart = c
		return sec
	}
	return mk("bytes-over-time", "Bytes over time", "How many bytes were accepted and rejected", 2, Bytes, "bytes"),
		mk("records-over-time", "Flows over time", "How many flow records were accepted and rejected", 0, Count, "records")
}
