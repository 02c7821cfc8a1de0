package report

import "time"

// Page is everything a report shows, as data. [Write] renders it; tests
// and other views can read it directly.
type Page struct {
	Title     string
	Generated time.Time
	Facts     []Fact    // what the page covers: inputs, filters, format, time span
	Cards     []Card    // headline totals
	Sections  []Section // charts with their tables, in page order
	Notes     []string  // said once at the end, e.g. sections skipped for lack of fields
	// Incomplete says, at the top of the page, what was read only in
	// part (skipped inputs, bad lines): the numbers leave it out.
	Incomplete []string
}

// Fact is one labelled line of what the page covers.
type Fact struct {
	Label string
	Value string
	List  []string // shown as a list instead of Value when set (e.g. many inputs)
	Code  bool     // Value and List are machine text (paths, field names), shown in monospace
	Wide  bool     // takes a whole line
}

// Card is one headline number.
type Card struct {
	Key   string // stable id, e.g. "records"; the summarize --json totals key it shows
	Label string
	Value uint64
	Unit  Unit
	Note  string // e.g. "12.5% of records"
	Tone  string // "", "accept", "reject", "muted": the colour of the card's accent
}

// Unit says how a number is shown in charts and cards.
type Unit uint8

const (
	Count Unit = iota // a count of records or packets: 1.2M
	Bytes             // a size: 1.2 GB (decimal, as AWS bills)
)

// Section is one chart and its table.
type Section struct {
	ID       string // HTML id, stable: the investigation or summary table name
	Title    string
	Question string // the question it answers, one sentence
	Chart    Chart
	Table    Table
	Empty    string // shown instead of the chart when there is nothing to draw
}

// ChartKind is the shape of a chart.
type ChartKind uint8

const (
	// BarChart: one horizontal bar per label, segments per series stacked.
	BarChart ChartKind = iota
	// TimeChart: one column per time bucket, segments per series stacked.
	TimeChart
)

// Chart is a chart's data: Values[i][j] is label i's value of series j.
// Every (label, series) pair is drawn as one mark, so a chart of n labels
// and m series has n*m marks (zero values are drawn with zero size).
type Chart struct {
	Kind   ChartKind
	Unit   Unit
	Labels []string
	Series []Series
	Values [][]uint64
	// OtherLast marks the last label as the rest of the data beyond the top-N.
	OtherLast bool
	// Ticks, if set, are short labels for the time axis (same length as Labels).
	Ticks []string
}

// Series is one kind of segment of a chart.
type Series struct {
	Name  string // shown in the legend and tooltips
	Class string // CSS class for its colour: "accept", "reject", "other", "nodata", "skipdata", "total"
}

// Marks returns the number of marks the chart draws.
func (c Chart) Marks() int { return len(c.Labels) * len(c.Series) }

// Table is the numbers of a chart, for reading, screen readers and copy and paste.
type Table struct {
	Columns []Column
	Rows    [][]Cell
}

// Column is a table column. Name is the stable column name of
// `summarize --json` (the registry's underscore names, "records", "bytes" ...).
type Column struct {
	Name    string
	Title   string
	Numeric bool
}

// Cell is one table cell: Text is shown; Raw (numbers only) is the exact
// value, kept in a data attribute for machines and tests.
type Cell struct {
	Text string
	Raw  string
}
