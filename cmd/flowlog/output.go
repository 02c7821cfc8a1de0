package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// totalsColumns are the names of the totals in every output, as
// `flowlog summarize --json` promises them.
var totalsColumns = []string{"records", "packets", "bytes", "accepted", "rejected", "nodata", "skipdata", "first", "last"}

func totalsValues(t summary.Totals) []any {
	return []any{t.Records, t.Packets, t.Bytes, t.Accepted, t.Rejected, t.NoData, t.SkipData, timeOrNil(t.First), timeOrNil(t.Last)}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// writeSummary writes s as JSON, CSV or an aligned table. Writes go to a
// bufio.Writer, which keeps the first error; its Flush returns it. It
// also says, per table, the inputs it left out for lack of fields
// (lacking, by table name): in JSON as the table's
// "inputs_lacking_fields", in the table view under the table's title.
// (CSV stays data only; the command says it on standard error.)
func writeSummary(w io.Writer, s summary.Summary, mode string, showTotals bool, lacking map[string]lack) error {
	bw := bufio.NewWriter(w)
	var err error
	switch mode {
	case "json":
		err = writeJSON(bw, s, lacking)
	case "csv":
		err = writeCSV(bw, s, showTotals)
	default:
		err = writeTables(bw, s, showTotals, lacking)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSON writes one object: {"totals": {...}, "formats": [LogFormat
// strings of the inputs], "tables": [{"name", "title", "filter",
// "columns", "rows": [{column: value}]}]}, keys in column order.
func writeJSON(w *bufio.Writer, s summary.Summary, lacking map[string]lack) error {
	_, _ = w.WriteString(`{"totals":`)
	writeObject(w, totalsColumns, totalsValues(s.Totals))
	_, _ = w.WriteString(`,"formats":[`)
	for i, f := range s.Formats {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		_, _ = w.WriteString(jsonString(f.String()))
	}
	_, _ = w.WriteString(`],"tables":[`)
	for i, t := range s.Tables {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		inv := t.Investigation
		_, _ = fmt.Fprintf(w, `{"name":%s,"title":%s,"filter":%s,"columns":%s,"rows":[`, jsonString(inv.Name), jsonString(inv.Title), jsonString(inv.Where.String()), jsonValue(t.Result.Columns))
		for j, row := range t.Result.Rows {
			if j > 0 {
				_ = w.WriteByte(',')
			}
			writeObject(w, t.Result.Columns, row)
		}
		_ = w.WriteByte(']')
		if l, ok := lacking[inv.Name]; ok {
			_, _ = fmt.Fprintf(w, `,"inputs_lacking_fields":%s,"missing_fields":%s`, jsonValue(l.inputs), jsonValue(l.missing))
		}
		_ = w.WriteByte('}')
	}
	_, err := w.WriteString("]}\n")
	return err
}

func writeObject(w *bufio.Writer, cols []string, vals []any) {
	_ = w.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		_, _ = w.WriteString(jsonString(c))
		_ = w.WriteByte(':')
		_, _ = w.WriteString(jsonValue(vals[i]))
	}
	_ = w.WriteByte('}')
}

func jsonString(s string) string { return jsonValue(s) }

func jsonValue(v any) string {
	if t, ok := v.(time.Time); ok {
		v = t.UTC().Format(time.RFC3339)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// text renders a value for tables and CSV: "" for nil, RFC 3339 for times.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case int64:
		return strconv.FormatInt(x, 10)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// writeCSV writes sections separated by an empty line, each a header row
// of column names and its rows: "totals" first (unless left out), then
// each table. The first column of every row is the section's name.
func writeCSV(w *bufio.Writer, s summary.Summary, showTotals bool) error {
	cw := csv.NewWriter(w)
	first := true
	section := func(name string, cols []string, rows [][]any) {
		if !first {
			cw.Flush()
			_, _ = w.WriteString("\n")
		}
		first = false
		_ = cw.Write(append([]string{"table"}, cols...))
		for _, row := range rows {
			rec := []string{name}
			for _, v := range row {
				rec = append(rec, text(v))
			}
			_ = cw.Write(rec)
		}
	}
	if showTotals {
		section("totals", totalsColumns, [][]any{totalsValues(s.Totals)})
	}
	for _, t := range s.Tables {
		section(t.Investigation.Name, t.Result.Columns, t.Result.Rows)
	}
	cw.Flush()
	return cw.Error()
}

// writeTables writes aligned tables for people: numbers right-aligned,
// text left-aligned, "-" for an absent value.
func writeTables(w *bufio.Writer, s summary.Summary, showTotals bool, lacking map[string]lack) error {
	if showTotals {
		t := s.Totals
		writeAligned(w, totalsColumns[:7], [][]any{totalsValues(t)[:7]})
		if !t.First.IsZero() {
			_, _ = fmt.Fprintf(w, "time span: %s to %s (%s)\n", text(t.First), text(t.Last), t.Last.Sub(t.First))
		}
	}
	for i, t := range s.Tables {
		if showTotals || i > 0 {
			_, _ = w.WriteString("\n")
		}
		title := t.Investigation.Title
		if len(t.Args) > 0 {
			title += " (" + strings.Join(t.Args, ", ") + ")"
		}
		_, _ = fmt.Fprintf(w, "%s [%s]\n", title, t.Investigation.Name)
		if l, ok := lacking[t.Investigation.Name]; ok {
			_, _ = fmt.Fprintf(w, "  (%s)\n", lackNote(l))
		}
		if len(t.Result.Rows) == 0 {
			_, _ = w.WriteString("  (no records)\n")
			continue
		}
		writeAligned(w, t.Result.Columns, t.Result.Rows)
	}
	return nil
}

// writeAligned writes a header and rows in columns two spaces apart.
func writeAligned(w *bufio.Writer, cols []string, rows [][]any) {
	cells := make([][]string, len(rows))
	width := make([]int, len(cols))
	right := make([]bool, len(cols))
	for j, c := range cols {
		width[j] = len(c)
	}
	for i, row := range rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			c := text(v)
			if v == nil {
				c = "-"
			}
			if _, ok := v.(int64); ok {
				right[j] = true
			}
			cells[i][j] = c
			width[j] = max(width[j], len(c))
		}
	}
	line := func(vals []string) {
		for j, v := range vals {
			pad := strings.Repeat(" ", width[j]-len(v))
			switch {
			case right[j]:
				_, _ = w.WriteString(pad + v)
			case j < len(vals)-1:
				_, _ = w.WriteString(v + pad)
			default:
				_, _ = w.WriteString(v)
			}
			if j < len(vals)-1 {
				_, _ = w.WriteString("  ")
			}
		}
		_ = w.WriteByte('\n')
	}
	line(cols)
	for _, row := range cells {
		line(row)
	}
}
