package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
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
// bufio.Writer, which keeps the first error; its Flush returns it.
func writeSummary(w io.Writer, s summary.Summary, mode string, showTotals bool) error {
	bw := bufio.NewWriter(w)
	var err error
	switch mode {
	case "json":
		err = writeJSON(bw, s)
	case "csv":
		err = writeCSV(bw, s, showTotals)
	default:
		err = writeTables(bw, s, showTotals)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// writeJSON writes one object: {"totals": {...}, "tables": [{"name",
// "title", "filter", "columns", "rows": [{column: value}]}]}, keys in
// column order.
func writeJSON(w *bufio.Writer, s summary.Summary) error {
	_, _ = w.WriteString(`{"totals":`)
	writeObject(w, totalsColumns, totalsValues(s.Totals))
	_, _ = w.WriteString(`,"tables":[`)
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
		_, _ = w.WriteString("]}")
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

// writeTables writes aligned tables for people.
func writeTables(w *bufio.Writer, s summary.Summary, showTotals bool) error {
	if showTotals {
		t := s.Totals
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		_, _ = fmt.Fprintln(tw, "records\tpackets\tbytes\taccepted\trejected\tnodata\tskipdata\t")
		_, _ = fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", t.Records, t.Packets, t.Bytes, t.Accepted, t.Rejected, t.NoData, t.SkipData)
		_ = tw.Flush()
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
		if len(t.Result.Rows) == 0 {
			_, _ = w.WriteString("  (no records)\n")
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		_, _ = fmt.Fprintln(tw, strings.Join(t.Result.Columns, "\t"))
		for _, row := range t.Result.Rows {
			cells := make([]string, len(row))
			for j, v := range row {
				cells[j] = text(v)
				if v == nil {
					cells[j] = "-"
				}
			}
			_, _ = fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		_ = tw.Flush()
	}
	return nil
}
