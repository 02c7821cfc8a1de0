package report

import (
	_ "embed"
	"html/template"
	"io"
	"time"
)

//go:embed page.html.tmpl
var pageTemplate string

//go:embed style.css
var pageCSS string

// tmpl is the page's skeleton: the header, what it covers, the cards and
// each section's heading. The charts and their tables, nearly all of the
// page's elements, are drawn in Go (drawFigure, drawTable) and handed to
// it as markup.
var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"human":   human,
	"grouped": grouped,
	"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"stamp":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate))

// sectionView is a Section with its chart and table drawn.
type sectionView struct {
	Section
	Wide    bool // chart above table, not beside it
	Figure  template.HTML
	Numbers template.HTML
}

type pageView struct {
	Page
	CSS      template.CSS
	Sections []sectionView
}

// Write renders p as one self-contained HTML document: the stylesheet is
// inline, there is no script, and nothing is fetched.
func Write(w io.Writer, p Page) error {
	v := pageView{Page: p, CSS: template.CSS(pageCSS), Sections: make([]sectionView, len(p.Sections))}
	// Every section's markup goes into one buffer, made one string once;
	// the views take slices of it.
	type span struct{ fig, figEnd, tab, tabEnd int }
	spans := make([]span, len(p.Sections))
	// Sized to hold them, so that it is not copied as it grows: a mark
	// takes ~170 bytes, a table cell ~50 and its text.
	size := 0
	for _, s := range p.Sections {
		size += 1<<10 + 192*s.Chart.Marks()
		for _, row := range s.Table.Rows {
			for _, c := range row {
				size += 64 + len(c.Text)
			}
		}
	}
	h := htmlBuf{b: make([]byte, 0, size)}
	for i, s := range p.Sections {
		if s.Empty != "" {
			continue
		}
		sp := &spans[i]
		sp.fig = len(h.b)
		drawFigure(&h, s)
		sp.figEnd, sp.tab = len(h.b), len(h.b)
		drawTable(&h, s)
		sp.tabEnd = len(h.b)
	}
	drawn := string(h.b)
	for i, s := range p.Sections {
		sp := spans[i]
		// Markup, not text: htmlBuf escaped every text in it.
		v.Sections[i] = sectionView{Section: s, Wide: s.Chart.Kind == TimeChart || len(s.Table.Columns) > 4,
			Figure: template.HTML(drawn[sp.fig:sp.figEnd]), Numbers: template.HTML(drawn[sp.tab:sp.tabEnd])}
	}
	return tmpl.Execute(w, v)
}

// drawTable appends the numbers of s as a table in its scrolling box.
func drawTable(h *htmlBuf, s Section) {
	h.raw(`<div class="table-wrap" tabindex="0" role="region" aria-label="`)
	h.text(s.Title)
	h.raw(": numbers\">\n        <table data-table=\"")
	h.text(s.ID)
	h.raw("\">\n          <caption class=\"visually-hidden\">")
	h.text(s.Title)
	h.raw("</caption>\n          <thead><tr>")
	for _, c := range s.Table.Columns {
		h.raw(`<th scope="col" data-col="`)
		h.text(c.Name)
		h.raw(`"`)
		if c.Numeric {
			h.raw(` class="num"`)
		}
		h.raw(`>`)
		h.text(c.Title)
		h.raw(`</th>`)
	}
	h.raw("</tr></thead>\n          <tbody>")
	for _, row := range s.Table.Rows {
		h.raw("\n            <tr>")
		for _, c := range row {
			if c.Raw != "" {
				h.raw(`<td class="num" data-value="`)
				h.text(c.Raw)
				h.raw(`">`)
			} else {
				h.raw(`<td>`)
			}
			h.text(c.Text)
			h.raw(`</td>`)
		}
		h.raw(`</tr>`)
	}
	h.raw("\n          </tbody>\n        </table>\n      </div>")
}
