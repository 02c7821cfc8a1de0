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

var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"human":   human,
	"grouped": grouped,
	"odd":     func(i int) bool { return i%2 == 1 },
	"iso":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"stamp":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate))

// sectionView is a Section with its chart laid out.
type sectionView struct {
	Section
	Marks  int
	Wide   bool // chart above table, not beside it
	Legend []legendItem
	Bars   *barView
	Time   *timeView
}

type pageView struct {
	Page
	CSS      template.CSS
	Sections []sectionView
}

// Write renders p as one self-contained HTML document: the stylesheet is
// inline, there is no script, and nothing is fetched.
func Write(w io.Writer, p Page) error {
	v := pageView{Page: p, CSS: template.CSS(pageCSS)}
	for _, s := range p.Sections {
		sv := sectionView{Section: s, Wide: s.Chart.Kind == TimeChart || len(s.Table.Columns) > 4}
		if s.Empty == "" {
			switch s.Chart.Kind {
			case TimeChart:
				t := columns(s.Chart)
				sv.Time, sv.Marks, sv.Legend = &t, t.Marks, t.Legend
			default:
				b := bars(s.Chart)
				sv.Bars, sv.Marks, sv.Legend = &b, b.Marks, b.Legend
			}
		}
		v.Sections = append(v.Sections, sv)
	}
	return tmpl.Execute(w, v)
}
