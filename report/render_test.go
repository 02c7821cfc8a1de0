package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

func barChart(n int, series ...Series) Chart {
	c := Chart{Kind: BarChart, Unit: Bytes, Series: series}
	for i := range n {
		c.Labels = append(c.Labels, fmt.Sprintf("10.0.0.%d", i))
		row := make([]uint64, len(series))
		for j := range row {
			row[j] = uint64((n - i) * 1000 * (j + 1))
		}
		c.Values = append(c.Values, row)
	}
	return c
}

var (
	accS = Series{"accepted", "accept"}
	rejS = Series{"rejected", "reject"}
)

// TestWriteMarks: every chart draws exactly Marks() marks, and says so in
// data-marks, whatever the size of its data.
func TestWriteMarks(t *testing.T) {
	tc := Chart{Kind: TimeChart, Unit: Count, Series: []Series{accS, rejS}}
	for i := range 30 {
		tc.Labels = append(tc.Labels, fmt.Sprint(i))
		tc.Values = append(tc.Values, []uint64{uint64(i), 1})
	}
	charts := map[string]Chart{
		"one":      barChart(1, accS),
		"stacked":  barChart(11, accS, rejS),
		"time":     tc,
		"time-one": {Kind: TimeChart, Labels: []string{"x"}, Series: []Series{accS}, Values: [][]uint64{{1}}},
		"zeros":    {Kind: BarChart, Labels: []string{"a", "b"}, Series: []Series{accS}, Values: [][]uint64{{0}, {0}}},
	}
	var p Page
	for id, c := range charts {
		p.Sections = append(p.Sections, Section{ID: id, Title: id, Chart: c})
	}
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, s := range p.Sections {
		i := strings.Index(html, `data-chart="`+s.ID+`"`)
		j := strings.Index(html[i:], "</figure>")
		fig := html[i : i+j]
		if got := strings.Count(fig, `<rect class="mark `); got != s.Chart.Marks() {
			t.Errorf("%s: %d marks, want %d", s.ID, got, s.Chart.Marks())
		}
		if !strings.Contains(fig, fmt.Sprintf(`data-marks="%d"`, s.Chart.Marks())) {
			t.Errorf("%s: data-marks wrong", s.ID)
		}
		if strings.Contains(fig, "NaN") || strings.Contains(fig, "Inf") {
			t.Errorf("%s: bad geometry:\n%s", s.ID, fig)
		}
	}
}

// TestWriteSelfContained: no script, no external reference, and input
// text is escaped wherever it lands.
func TestWriteSelfContained(t *testing.T) {
	evil := `<script>alert(1)</script>"'&`
	p := Page{
		Title: evil, Generated: time.Unix(0, 0),
		Facts: []Fact{{Label: "Inputs", List: []string{evil}}, {Label: "Filters", Value: evil}},
		Cards: []Card{{Key: "records", Label: "Records", Value: 1}},
		Sections: []Section{{ID: "s", Title: evil, Question: evil,
			Chart: Chart{Kind: BarChart, Labels: []string{evil}, Series: []Series{accS}, Values: [][]uint64{{1}}},
			Table: Table{Columns: []Column{{Name: "srcaddr", Title: evil}}, Rows: [][]Cell{{TextCell(evil)}, {NumCell(5)}}}},
			{ID: "e", Title: "Empty", Empty: "No records."}},
		Notes: []string{evil},
	}
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Error("page has a script element or unescaped input")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`).FindString(html); m != "" {
		t.Errorf("external reference %q", m)
	}
	if !strings.Contains(html, `data-value="5"`) || !strings.Contains(html, "No records.") {
		t.Error("table value or empty message missing")
	}
}
