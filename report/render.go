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

// tmpl is the page's skeleton: the header, what it covers, the cards,
// the contents and the notes. The sections, their charts and tables,
// nearly all of the page's elements, are drawn in Go (drawSection) and
// handed to it as markup.
var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"human":   human,
	"grouped": grouped,
	"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"stamp":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate))

type pageView struct {
	Page
	CSS    template.CSS
	Panels template.HTML // the sections, drawn
}

// Write renders p as one self-contained HTML document: the stylesheet is
// inline, there is no script, and nothing is fetched.
func Write(w io.Writer, p Page) error {
	// Sized to hold the sections, so that it is not copied as it grows:
	// a mark takes ~170 bytes, a table cell ~50 and its text.
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
	for _, s := range p.Sections {
		drawSection(&h, s)
	}
	// Markup, not text: htmlBuf escaped every text in it.
	return tmpl.Execute(w, pageView{Page: p, CSS: template.CSS(pageCSS), Panels: template.HTML(h.b)})
}

// drawSection appends s as a panel: its heading and question, then its
// chart and table, or what it says when there is nothing to draw.
func drawSection(h *htmlBuf, s Section) {
	h.raw("\n  <section class=\"panel")
	if s.Chart.Kind == TimeChart || len(s.Table.Columns) > 4 {
		h.raw(` wide`) // chart above table, not beside it
	}
	h.raw(`" id="`)
	h.text(s.ID)
	h.raw(`" aria-labelledby="`)
	h.text(s.ID)
	h.raw("-h\">\n    <div class=\"panel-head\">\n      <h2 id=\"")
	h.text(s.ID)
	h.raw(`-h">`)
	h.text(s.Title)
	h.raw(`</h2>`)
	if s.Question != "" {
		h.raw(`<p class="question">`)
		h.text(s.Question)
		h.raw(`</p>`)
	}
	h.raw("\n    </div>")
	if s.Empty != "" {
		h.raw("\n    <p class=\"empty\">")
		h.text(s.Empty)
		h.raw("</p>\n  </section>")
		return
	}
	h.raw("\n    <div class=\"panel-body\">\n      ")
	drawFigure(h, s)
	h.raw("\n      ")
	drawTable(h, s)
	h.raw("\n    </div>\n  </section>")
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
