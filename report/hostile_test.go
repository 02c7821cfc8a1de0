package report

import (
	"bytes"
	"html"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// hostile is text that opens an element, closes a quoted attribute value
// and starts another attribute, ends a CDATA section, opens a comment,
// and has an entity, a '+' and non-ASCII; name tells the fields apart. It
// has no space, as record values have none.
func hostile(name string) string {
	return `<x-inj-` + name + `>"x-inj-` + name + `='1'&x-amp;]]><!--é✓+`
}

// benign is hostile's counterpart with nothing to escape.
func benign(name string) string { return "x-safe-" + name }

// hostilePage builds and writes the page of generated v5 records and of
// the report's metadata with text(name) in every field of the input that
// reaches the page: the title, the input names (also in the notes on
// inputs whose format lacks fields), the filters, the skipped inputs, and
// the records' free-text values that charts and tables show (interface
// IDs, AWS service names).
func hostilePage(t *testing.T, text func(string) string) string {
	t.Helper()
	v5, _ := fl.Preset("v5")
	recs := generated(v5, 3000)
	for i := range recs {
		r := &recs[i]
		set := func(f fl.Field, name string) {
			if err := r.SetText(f, text(name)); err != nil {
				t.Fatal(err)
			}
		}
		if i%2 == 0 {
			set(fl.InterfaceID, "eni")
		}
		if i%3 == 0 {
			set(fl.PktDstAWSService, "to-service")
			set(fl.PktSrcAWSService, "from-service")
		}
	}
	plan := NewPlan(investigations.Cond{}, 5)
	a := plan.Collector()
	if err := a.BeginInput(text("input-v5"), v5); err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		a.Add(&recs[i])
	}
	b := plan.Collector() // an input whose format lacks the v5 fields: a note names it
	if err := b.BeginInput(text("input-v2"), fl.DefaultFormat()); err != nil {
		t.Fatal(err)
	}
	for _, r := range generated(fl.DefaultFormat(), 10) {
		b.Add(&r)
	}
	a.Merge(b)
	p := Build(a, Meta{Title: text("title"), Inputs: []string{text("input-v5"), text("input-v2")},
		Filters: []string{"--interface", text("filter")}, SkippedInputs: []string{text("skipped")}, BadLines: 1,
		Generated: time.Unix(0, 0)})
	var out bytes.Buffer
	if err := Write(&out, p); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestWriteHostileText: input text reaches the page as text, wherever it
// lands: the page has exactly the elements and attributes of the same
// page with harmless text, no raw '>' outside markup, and each hostile
// value, unescaped, among its texts.
func TestWriteHostileText(t *testing.T) {
	page := hostilePage(t, hostile)
	want := hostilePage(t, benign)
	got, texts := pageShape(t, page)
	wantShape, _ := pageShape(t, want)
	if g, w := strings.Join(got, "\n"), strings.Join(wantShape, "\n"); g != w {
		i := 0
		for i < len(got) && i < len(wantShape) && got[i] == wantShape[i] {
			i++
		}
		t.Fatalf("hostile text changed the page's markup at element %d: %q, want %q", i, at(got, i), at(wantShape, i))
	}
	all := strings.Join(texts, "\x00")
	for _, name := range []string{"title", "input-v5", "input-v2", "filter", "skipped", "eni", "to-service", "from-service"} {
		if !strings.Contains(all, hostile(name)) {
			t.Errorf("%s: not shown whole as text", name)
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(end)"
}

// pageShape reads the page as a browser's tokenizer would, for markup
// written with double-quoted attribute values: it returns each tag with
// its attribute names (the page's structure) and the texts between tags
// and in attribute values, unescaped. Text holding '>' fails the test:
// every writer of the page escapes it.
func pageShape(t *testing.T, page string) (shape, texts []string) {
	t.Helper()
	s := page
	addText := func(x string) {
		if strings.Contains(x, ">") {
			t.Errorf("raw '>' in text %q", x)
		}
		texts = append(texts, html.UnescapeString(x))
	}
	for s != "" {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			addText(s)
			break
		}
		addText(s[:lt])
		s = s[lt+1:]
		n := 0
		for n < len(s) && (s[n] == '/' || s[n] == '!' || s[n] == '-' || 'a' <= s[n]|0x20 && s[n]|0x20 <= 'z' || '0' <= s[n] && s[n] <= '9') {
			n++
		}
		tag := strings.ToLower(s[:n])
		s = s[n:]
		for {
			s = strings.TrimLeft(s, " \t\n")
			if s == "" {
				t.Fatalf("tag %s not closed", tag)
			}
			if s[0] == '>' {
				s = s[1:]
				break
			}
			n := strings.IndexAny(s, "= \t\n>")
			if n <= 0 {
				t.Fatalf("tag %s: bad attribute at %.40q", tag, s)
			}
			tag += " " + strings.ToLower(s[:n])
			s = s[n:]
			if s[0] == '=' {
				if len(s) < 2 || s[1] != '"' {
					t.Fatalf("tag %s: unquoted attribute value at %.40q", tag, s)
				}
				end := strings.IndexByte(s[2:], '"')
				if end < 0 {
					t.Fatalf("tag %s: attribute value not closed", tag)
				}
				addText(s[2 : 2+end])
				s = s[2+end+1:]
			}
		}
		shape = append(shape, tag)
		if tag == "style" { // raw text: the package's own stylesheet
			end := strings.Index(s, "</style>")
			if end < 0 {
				t.Fatal("style not closed")
			}
			s = s[end:]
		}
	}
	return shape, texts
}

// TestWriteHostilePage: the same for every text a Page can hold, since
// callers of Write may fill any of them from input: each non-empty string
// of a page with both kinds of chart, a table, an empty section, facts,
// cards and notes is replaced by text named by its path.
func TestWriteHostilePage(t *testing.T) {
	model := func(text func(string) string) string {
		tc := Chart{Kind: TimeChart, Unit: Bytes, Series: []Series{accS, rejS},
			Labels: []string{"a", "b", "c"}, Ticks: []string{"a", "b", "c"}, Values: [][]uint64{{1, 2}, {3, 4}, {5, 0}}}
		bars := barChart(3, accS, rejS)
		bars.Labels = append(bars.Labels, "other")
		bars.Values = append(bars.Values, []uint64{1 << 40, 0}) // clipped
		bars.OtherLast = true
		table := Table{Columns: []Column{{Name: "srcaddr", Title: "Source"}, {Name: "bytes", Title: "Bytes", Numeric: true}},
			Rows: [][]Cell{{TextCell("10.0.0.1"), NumCell(1)}, {TextCell("other"), NumCell(2)}}}
		p := Page{Title: "t", Generated: time0,
			Facts: []Fact{{Label: "Inputs", List: []string{"a", "b"}, Code: true}, {Label: "Filters", Value: "f", Code: true},
				{Label: "Span", Value: "s", Wide: true}},
			Cards: []Card{{Key: "records", Label: "Records", Value: 1, Note: "n", Tone: "accept"}},
			Sections: []Section{{ID: "time", Title: "T", Question: "Q", Chart: tc, Table: table},
				{ID: "time-no-ticks", Title: "T2", Chart: Chart{Kind: TimeChart, Series: []Series{accS}, Labels: []string{"x"}, Values: [][]uint64{{1}}}},
				{ID: "bars", Title: "B", Question: "Q", Chart: bars, Table: table},
				{ID: "empty", Title: "E", Empty: "nothing"}},
			Notes:      []string{"note"},
			Incomplete: []string{"skipped"},
		}
		replaceStrings(reflect.ValueOf(&p).Elem(), "page", text)
		var out bytes.Buffer
		if err := Write(&out, p); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	var names []string
	page := model(func(path string) string { names = append(names, path); return hostile(path) })
	got, texts := pageShape(t, page)
	want, _ := pageShape(t, model(benign))
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("hostile text changed the page's markup at element %d: %q, want %q", i, at(got, i), at(want, i))
	}
	all := strings.Join(texts, "\x00")
	for _, name := range names {
		if !strings.Contains(all, hostile(name)) {
			t.Errorf("%s: not shown whole as text", name)
		}
	}
	if len(names) < 40 {
		t.Errorf("only %d texts replaced", len(names))
	}
}

var time0 = time.Unix(0, 0)

// replaceStrings sets every non-empty string in v to text(its path).
func replaceStrings(v reflect.Value, path string, text func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.String() != "" {
			v.SetString(text(path))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				replaceStrings(v.Field(i), path+"."+v.Type().Field(i).Name, text)
			}
		}
	case reflect.Slice:
		if v.Len() > 0 { // its own copy: the charts share series and tables
			c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(c, v)
			v.Set(c)
		}
		for i := range v.Len() {
			replaceStrings(v.Index(i), path+"."+strconv.Itoa(i), text)
		}
	}
}
