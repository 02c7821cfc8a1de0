package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/headless"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// writeGenerated writes n generated records in format f as S3 delivery
// would: gzip objects with a header line, spread over files objects.
func writeGenerated(t testing.TB, dir string, f flowlog.Format, n, files int) {
	t.Helper()
	g := flowlog.NewGenerator(7, f)
	var r flowlog.Record
	for i := range files {
		out, err := os.Create(filepath.Join(dir, fmt.Sprintf("obj%d.log.gz", i)))
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(out)
		w := flowlog.NewWriter(zw, f)
		w.Header = true
		for j := i; j < n; j += files {
			g.Next(&r)
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// summarizeJSON is `flowlog summarize --json` output.
type summarizeJSON struct {
	Totals map[string]any `json:"totals"`
	Tables []struct {
		Name    string           `json:"name"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
	} `json:"tables"`
}

// pageJSON is what the test's script reads from the live page.
type pageJSON struct {
	Charts []struct {
		ID       string `json:"id"`
		Marks    int    `json:"marks"`    // rect.mark elements in the chart's SVG
		Declared int    `json:"declared"` // its data-marks
		Visible  int    `json:"visible"`  // marks with a rendered size
		Width    int    `json:"width"`    // the SVG's rendered width
	} `json:"charts"`
	Empty    []string          `json:"empty"` // sections with a message instead of a chart
	Sections []string          `json:"sections"`
	Totals   map[string]string `json:"totals"`
	Tables   map[string]struct {
		Cols []string   `json:"cols"`
		Rows [][]string `json:"rows"`
	} `json:"tables"`
	Overflow int      `json:"overflow"` // how far the page is wider than the viewport
	Scripts  int      `json:"scripts"`
	External []string `json:"external"`
}

const readPage = `(() => {
  const charts = [...document.querySelectorAll('figure[data-chart]')].map(f => {
    const marks = [...f.querySelectorAll('svg rect.mark')];
    const svg = f.querySelector('svg');
    return {id: f.dataset.chart, marks: marks.length, declared: +f.dataset.marks,
      visible: marks.filter(m => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length,
      width: svg ? Math.round(svg.getBoundingClientRect().width) : 0};
  });
  const tables = {};
  for (const t of document.querySelectorAll('table[data-table]')) {
    tables[t.dataset.table] = {cols: [...t.querySelectorAll('thead th')].map(th => th.dataset.col),
      rows: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(td => td.dataset.value ?? td.textContent))};
  }
  return {charts, tables,
    empty: [...document.querySelectorAll('section.panel .empty')].map(p => p.closest('section').id),
    sections: [...document.querySelectorAll('section.panel')].map(s => s.id),
    totals: Object.fromEntries([...document.querySelectorAll('[data-total]')].map(c => [c.dataset.total, c.dataset.value])),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    scripts: document.scripts.length,
    external: [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href')).filter(u => !u.startsWith('#'))};
})()`

// artifactDir is where the browser test leaves its screenshots for CI to
// keep (ignored by git).
func artifactDir(t *testing.T) string {
	dir := filepath.Join("testdata", "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestReportInBrowser opens reports in headless Chromium, on a desktop and
// a phone viewport, and checks what a person would see: no console error
// or failed request, every chart drawn with the expected number of marks,
// no sideways scrolling on the phone, and the numbers of
// `flowlog summarize --json` on the same input.
func TestReportInBrowser(t *testing.T) {
	path, err := headless.Find()
	if errors.Is(err, headless.ErrNoBrowser) {
		t.Skip("skipped: no Chromium to open the report in; install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM; CI installs it")
	}
	browser, err := headless.Start(path, filepath.Join(t.TempDir(), "profile"))
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	v5, _ := flowlog.Preset("v5")
	for _, tc := range []struct {
		name           string
		format         flowlog.Format
		records, files int
		args           []string // filters
		phone          bool     // also open it on a phone's viewport
	}{
		{"generated-v5", v5, 40_000, 2, nil, true},
		{"one-record", flowlog.DefaultFormat(), 1, 1, nil, true},
		{"rejected-filter", flowlog.DefaultFormat(), 5_000, 2, []string{"--action", "REJECT", "--protocol", "tcp"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			logs := filepath.Join(dir, "logs")
			if err := os.Mkdir(logs, 0o755); err != nil {
				t.Fatal(err)
			}
			writeGenerated(t, logs, tc.format, tc.records, tc.files)
			page := filepath.Join(dir, "report.html")
			args := append([]string{"report", logs, "-o", page}, tc.args...)
			if _, stderr, code := runCmd(t, "", args...); code != 0 {
				t.Fatalf("report: exit %d\n%s", code, stderr)
			}
			out, stderr, code := runCmd(t, "", append([]string{"summarize", "--json", "--by", "src,dst,pair", "--top", "10", logs}, tc.args...)...)
			if code != 0 {
				t.Fatalf("summarize: exit %d\n%s", code, stderr)
			}
			var sum summarizeJSON
			dec := json.NewDecoder(strings.NewReader(out))
			dec.UseNumber() // exact integers, compared as text
			if err := dec.Decode(&sum); err != nil {
				t.Fatal(err)
			}
			want := expectedPage(t, logs, tc.args)

			for _, vp := range []struct {
				name   string
				w, h   int64
				mobile bool
			}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
				if vp.mobile && !tc.phone {
					continue
				}
				v, err := browser.Open(context.Background(), "file://"+page,
					headless.Options{Width: vp.w, Height: vp.h, Mobile: vp.mobile, Script: readPage, Screenshot: true})
				if err != nil {
					t.Fatal(err)
				}
				shot := filepath.Join(artifactDir(t), tc.name+"-"+vp.name+".png")
				if err := os.WriteFile(shot, v.Screenshot, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", shot)
				for _, p := range v.Problems {
					t.Errorf("%s: %s", vp.name, p)
				}
				var got pageJSON
				if err := json.Unmarshal(v.Result, &got); err != nil {
					t.Fatalf("%s: %v\n%s", vp.name, err, v.Result)
				}
				checkPage(t, vp.name, got, want, sum)
				if vp.mobile && got.Overflow > 0 {
					t.Errorf("phone: the page is %dpx wider than the screen", got.Overflow)
				}
			}
			if tc.phone {
				checkPrint(t, browser, page, tc.name)
			}
		})
	}
}

// checkPrint prints the page: with the print stylesheet, nothing is
// cut off in a scrolling box and the navigation is gone; the PDF is kept
// as an artifact.
func checkPrint(t *testing.T, browser *headless.Browser, page, name string) {
	t.Helper()
	v, err := browser.Open(context.Background(), "file://"+page, headless.Options{Print: true, Script: `(() => ({
	  toc: getComputedStyle(document.querySelector('.toc')).display,
	  clipped: [...document.querySelectorAll('.table-wrap, .facts ul')].filter(w => w.scrollHeight > w.clientHeight + 1).length,
	  marks: document.querySelectorAll('figure[data-chart] svg rect.mark').length}))()`})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Problems {
		t.Errorf("print: %s", p)
	}
	var got struct {
		TOC     string `json:"toc"`
		Clipped int    `json:"clipped"`
		Marks   int    `json:"marks"`
	}
	if err := json.Unmarshal(v.Result, &got); err != nil {
		t.Fatal(err)
	}
	if got.TOC != "none" || got.Clipped != 0 || got.Marks == 0 {
		t.Errorf("print: navigation %q, %d boxes cut off, %d marks", got.TOC, got.Clipped, got.Marks)
	}
	if !strings.HasPrefix(string(v.PDF), "%PDF") {
		t.Fatalf("print: not a PDF (%d bytes)", len(v.PDF))
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), name+".pdf"), v.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
}

// expectedPage builds the report's model from the same files through the
// library, for the marks each chart must draw.
func expectedPage(t *testing.T, logs string, filters []string) report.Page {
	t.Helper()
	fs := flag.NewFlagSet("filters", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	if err := fs.Parse(filters); err != nil {
		t.Fatal(err)
	}
	flt, err := in.filter(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	plan := report.NewPlan(flt.Cond(), report.DefaultTop)
	c := plan.Collector()
	ins, errs := source.List(context.Background(), []string{logs}, &source.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	err = source.Run(context.Background(), ins, &source.Options{}, 1, nil, func(int) source.Sink { return reportSink{c} }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return report.Build(c, report.Meta{})
}

// number returns a JSON number as a uint64.
func number(t *testing.T, v any) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(fmt.Sprint(v), 10, 64)
	if err != nil {
		t.Fatalf("not a count: %v", v)
	}
	return n
}

func checkPage(t *testing.T, vp string, got pageJSON, want report.Page, sum summarizeJSON) {
	t.Helper()
	if got.Scripts != 0 || len(got.External) != 0 {
		t.Errorf("%s: %d scripts, external references %q", vp, got.Scripts, got.External)
	}
	// Every section is there, and every chart drew exactly its marks.
	var wantIDs []string
	wantMarks := map[string]int{}
	for _, s := range want.Sections {
		wantIDs = append(wantIDs, s.ID)
		if s.Empty == "" {
			wantMarks[s.ID] = s.Chart.Marks()
		}
	}
	if strings.Join(got.Sections, " ") != strings.Join(wantIDs, " ") {
		t.Errorf("%s: sections %q, want %q", vp, got.Sections, wantIDs)
	}
	if len(got.Charts) != len(wantMarks) {
		t.Errorf("%s: %d charts, want %d (empty: %q)", vp, len(got.Charts), len(wantMarks), got.Empty)
	}
	for _, c := range got.Charts {
		if c.Marks != wantMarks[c.ID] || c.Declared != c.Marks {
			t.Errorf("%s: chart %s has %d marks (declares %d), want %d", vp, c.ID, c.Marks, c.Declared, wantMarks[c.ID])
		}
		if c.Visible == 0 || c.Width < 200 {
			t.Errorf("%s: chart %s: %d marks visible, %dpx wide", vp, c.ID, c.Visible, c.Width)
		}
	}
	// The totals are summarize's.
	for k, v := range sum.Totals {
		if k == "first" || k == "last" {
			continue
		}
		if got.Totals[k] != fmt.Sprint(v) {
			t.Errorf("%s: total %s = %q, summarize says %v", vp, k, got.Totals[k], v)
		}
	}
	// summarize's tables are on the page, row for row, then "other" holds
	// the rest of the totals.
	for _, tab := range sum.Tables {
		pt, ok := got.Tables[tab.Name]
		if !ok {
			t.Errorf("%s: no table %s on the page", vp, tab.Name)
			continue
		}
		if strings.Join(pt.Cols, ",") != strings.Join(tab.Columns, ",") {
			t.Errorf("%s: %s columns %q, summarize's %q", vp, tab.Name, pt.Cols, tab.Columns)
			continue
		}
		if len(pt.Rows) < len(tab.Rows) {
			t.Errorf("%s: %s has %d rows, summarize %d", vp, tab.Name, len(pt.Rows), len(tab.Rows))
			continue
		}
		var shown [3]uint64
		for i, row := range tab.Rows {
			for j, col := range tab.Columns {
				if pt.Rows[i][j] != fmt.Sprint(row[col]) {
					t.Errorf("%s: %s row %d %s = %q, summarize %v", vp, tab.Name, i, col, pt.Rows[i][j], row[col])
				}
			}
			for k, m := range []string{"records", "packets", "bytes"} {
				shown[k] += number(t, row[m])
			}
		}
		rest := pt.Rows[len(tab.Rows):]
		// These tables group by address: NODATA and SKIPDATA records
		// have none, so they are in no group, shown or "other"; they
		// have no packets or bytes either.
		var total [3]uint64
		for k, m := range []string{"records", "packets", "bytes"} {
			total[k] = number(t, sum.Totals[m])
		}
		total[0] -= number(t, sum.Totals["nodata"]) + number(t, sum.Totals["skipdata"])
		if total != shown {
			if len(rest) != 1 {
				t.Errorf("%s: %s: %d rows after summarize's, want one \"other\" row", vp, tab.Name, len(rest))
				continue
			}
			n := len(tab.Columns)
			for k := range 3 {
				if v, _ := strconv.ParseUint(rest[0][n-3+k], 10, 64); v != total[k]-shown[k] {
					t.Errorf("%s: %s: other %s = %d, want %d", vp, tab.Name, tab.Columns[n-3+k], v, total[k]-shown[k])
				}
			}
		}
	}
}

// TestReportUsage: bad usage is status 2 with a message; --help is 0.
func TestReportUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"report", "-o", "x.html"}, 2, "no inputs"},
		{[]string{"report", dir}, 2, "no output file"},
		{[]string{"report", dir, "-o", "x.html", "--top", "0"}, 2, "--top"},
		{[]string{"report", dir, "-o", "x.html", "--action", "DROP"}, 2, "action"},
		{[]string{"report", "--help"}, 0, "Examples:"},
	} {
		stdout, stderr, code := runCmd(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}

// TestReportFailures: an unreadable input fails the run and leaves no
// page; with --keep-going the page covers the rest and the status (3)
// says something was skipped.
func TestReportFailures(t *testing.T) {
	dir := t.TempDir()
	writeGenerated(t, dir, flowlog.DefaultFormat(), 100, 1)
	os.WriteFile(filepath.Join(dir, "bad.log"), []byte("not a flow log\n"), 0o644)
	page := filepath.Join(t.TempDir(), "r.html")
	if _, _, code := runCmd(t, "", "report", dir, "-o", page); code != 1 {
		t.Errorf("bad input: exit %d, want 1", code)
	}
	if _, err := os.Stat(page); err == nil {
		t.Error("a failed run wrote a page")
	}
	_, stderr, code := runCmd(t, "", "report", "--keep-going", dir, "-o", page)
	if code != exitSkipped || !strings.Contains(stderr, "bad.log") {
		t.Errorf("--keep-going: exit %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), `data-total="records" data-value="100"`) {
		t.Errorf("--keep-going page lacks the 100 good records (%v)", err)
	}
	if !strings.Contains(string(b), `role="alert"`) || !strings.Contains(string(b), "1 input skipped (not read, or not to the end): "+filepath.Join(dir, "bad.log")) {
		t.Error("--keep-going page does not say what it skipped")
	}
	lines, _ := genLog(t, 5, 30, flowlog.DefaultFormat(), true)
	badLines := filepath.Join(t.TempDir(), "lines.log")
	os.WriteFile(badLines, append(lines, "1 2 3\nnot a line either\n"...), 0o644)
	out, _, code := runCmd(t, "", "report", "--keep-going", badLines, "-o", "-")
	if code != exitSkipped || !strings.Contains(out, "2 bad lines skipped.") || strings.Contains(out, "input skipped") {
		t.Errorf("--keep-going past bad lines: exit %d, the page says %v", code, strings.Contains(out, "bad lines skipped"))
	}
	out, _, code = runCmd(t, "", "report", filepath.Join(dir, "obj0.log.gz"), "-o", "-", "--title", "Incident <42>")
	if code != 0 || !strings.HasPrefix(out, "<!doctype html>") || !strings.Contains(out, "<h1>Incident &lt;42&gt;</h1>") {
		t.Errorf("-o - --title: exit %d, %.40q", code, out)
	}
}

// TestReportNotesMissingFields: with the default format the v5 charts are
// left out and the page says why.
func TestReportNotesMissingFields(t *testing.T) {
	dir := t.TempDir()
	writeGenerated(t, dir, flowlog.DefaultFormat(), 50, 1)
	out, _, code := runCmd(t, "", "report", dir, "-o", "-")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, name := range []string{"traffic-by-direction", "egress-by-traffic-path"} {
		inv, _ := investigations.Lookup(name)
		if !strings.Contains(out, inv.Title+": not shown; the format lacks") {
			t.Errorf("no note on %s", name)
		}
		if strings.Contains(out, `id="`+name+`"`) {
			t.Errorf("%s drawn without its fields", name)
		}
	}
}

// TestReadmeReportScreenshot: the README shows a committed, small
// screenshot of a report and the commands that made it.
func TestReadmeReportScreenshot(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"](docs/report.png)",
		"go run ./cmd/flowlog generate --format v5 --records 200000 > sample.log\n",
		"go run ./cmd/flowlog report sample.log -o report.html\n",
		"--screenshot=docs/report.png report.html\n",
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
	png, err := os.ReadFile(filepath.Join("..", "..", "docs", "report.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" || len(png) >= 200_000 {
		t.Errorf("docs/report.png: %d bytes, want a PNG under 200 kB", len(png))
	}
}

// TestReportToAPipeKeepsThePipe: -o naming something that is not a regular
// file (a named pipe here, /dev/null in real use) is written in place. The
// temporary-file-and-rename path would replace it with a regular file, which
// for /dev/null breaks every other program on the machine.
func TestReportToAPipeKeepsThePipe(t *testing.T) {
	dir := t.TempDir()
	writeGenerated(t, dir, flowlog.DefaultFormat(), 20, 1)
	pipe := filepath.Join(t.TempDir(), "page.fifo")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	// O_RDWR opens a FIFO without waiting for a writer (Linux), so a
	// regression cannot hang the test: the read below has a deadline.
	r, err := os.OpenFile(pipe, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_ = r.SetReadDeadline(time.Now().Add(60 * time.Second))
	got := make(chan []byte, 1)
	go func() {
		var page []byte
		buf := make([]byte, 64<<10)
		for !strings.Contains(string(page), "</html>") {
			n, err := r.Read(buf)
			page = append(page, buf[:n]...)
			if err != nil {
				break
			}
		}
		got <- page
	}()
	if _, stderr, code := runCmd(t, "", "report", dir, "-o", pipe); code != 0 {
		t.Fatalf("report -o FIFO: exit %d, stderr %q", code, stderr)
	}
	fi, err := os.Lstat(pipe)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("after report -o, %s is %v (%v), want the named pipe still there", pipe, fi.Mode(), err)
	}
	if b := <-got; !strings.HasPrefix(string(b), "<!doctype html>") {
		t.Errorf("the pipe carried %.40q, want the page", b)
	}
}

// TestReportFirstInputChooses: over inputs of two formats the first in
// argument order chooses the charts, as for investigate --all, however
// long it takes to give its first record (here: behind 200,000 empty gzip
// members, while the second input begins at once); an input of the other
// format that lacks the charts' fields is named on every error line.
func TestReportFirstInputChooses(t *testing.T) {
	dir := t.TempDir()
	def, _ := genLog(t, 3, 50, flowlog.DefaultFormat(), true)
	empty := gzipped(t, "")
	slow := append(bytes.Repeat(empty, 200_000), gzipped(t, def)...)
	first := filepath.Join(dir, "first.log.gz")
	os.WriteFile(first, slow, 0o644)
	v5, _ := flowlog.Preset("v5")
	data, _ := genLog(t, 4, 2000, v5, true)
	second := filepath.Join(dir, "second.log")
	os.WriteFile(second, data, 0o644)
	out, errs, code := runCmd(t, "", "report", "--workers", "2", "-o", "-", first, second)
	if code != 0 || strings.Contains(out, `id="traffic-by-direction"`) {
		t.Errorf("default format first: exit %d, direction drawn %v\n%s", code, strings.Contains(out, `id="traffic-by-direction"`), errs)
	}
	// v5 first: its charts; the default-format input is in the totals
	// and the charts it has the fields of, and the page names it under
	// the charts it is not in; the exit status says something was left
	// out (3), as summarize's does for a partial table.
	out, errs, code = runCmd(t, "", "report", "--workers", "2", "-o", "-", second, first)
	if code != exitSkipped || !strings.Contains(errs, "flowlog report: 4 tables computed without some inputs (Traffic by flow direction, ") ||
		!strings.Contains(out, `id="traffic-by-direction"`) ||
		!strings.Contains(out, "Traffic by flow direction: computed without 1 input whose format lacks flow-direction ("+first+").") ||
		!strings.Contains(out, `data-total="records" data-value="2050"`) {
		t.Errorf("v5 first: exit %d\n%s", code, errs)
	}
}

// TestErrorLinesNameTheInput: every line of a multi-line input error
// names the input.
func TestErrorLinesNameTheInput(t *testing.T) {
	var b strings.Builder
	tl := &tally{cmd: "flowlog x", stderr: &b, lenient: true}
	tl.input("in.log", errors.Join(errors.New("one"), errors.New("two")))
	if b.String() != "in.log: one\nin.log: two\n" {
		t.Errorf("%q", b.String())
	}
}
