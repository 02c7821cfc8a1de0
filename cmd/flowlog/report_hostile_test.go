package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/headless"
)

// hostileText opens an element, breaks out of a quoted attribute into
// another, opens a comment, ends a CDATA section, has an entity, '+' and
// non-ASCII, and no space (record values have none); name tells the
// places apart.
func hostileText(name string) string {
	return `<x-inj-` + name + `>"x-inj-` + name + `='1'&x-amp;]]><!--é✓+`
}

// TestReportHostileInBrowser: text from the inputs reaches the page only
// as text. The report of two inputs named with markup (one of the
// default format, so a note names it as lacking fields), a --title of
// markup, and records whose interface IDs and AWS service names are
// markup, opened in Chromium, has no element, attribute or comment the
// markup would make, and shows every such value whole.
func TestReportHostileInBrowser(t *testing.T) {
	path, err := headless.Find()
	if errors.Is(err, headless.ErrNoBrowser) {
		t.Skip("skipped: no Chromium to open the report in; install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM; CI installs it")
	}
	dir := t.TempDir()
	v5, _ := flowlog.Preset("v5")
	write := func(name string, f flowlog.Format, n int, edit func(i int, r *flowlog.Record)) string {
		p := filepath.Join(dir, name+".log")
		out, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		w := flowlog.NewWriter(out, f)
		w.Header = true
		g := flowlog.NewGenerator(7, f)
		var r flowlog.Record
		for i := range n {
			g.Next(&r)
			edit(i, &r)
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	set := func(r *flowlog.Record, f flowlog.Field, s string) {
		if err := r.SetText(f, s); err != nil {
			t.Fatal(err)
		}
	}
	a := write(hostileText("file-v5"), v5, 3000, func(i int, r *flowlog.Record) {
		if i%2 == 0 {
			set(r, flowlog.InterfaceID, hostileText("eni"))
		}
		if i%3 == 0 {
			set(r, flowlog.PktDstAWSService, hostileText("to-service"))
			set(r, flowlog.PktSrcAWSService, hostileText("from-service"))
		}
	})
	b := write(hostileText("file-v2"), flowlog.DefaultFormat(), 10, func(int, *flowlog.Record) {})
	page := filepath.Join(dir, "report.html")
	title := "Incident " + hostileText("title") + " & co"
	// Status 3: charts computed without the v2 input, as the note says.
	if _, stderr, code := runCmd(t, "", "report", "--title", title, a, b, "-o", page); code != 3 {
		t.Fatalf("report: exit %d, want 3\n%s", code, stderr)
	}

	browser, err := headless.Start(path, filepath.Join(t.TempDir(), "profile"))
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	v, err := browser.Open(context.Background(), "file://"+page, headless.Options{Script: `(() => {
	  const all = [...document.querySelectorAll('*')];
	  const attrs = all.flatMap(e => [...e.attributes]);
	  const walker = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
	  return {
	    elements: all.map(e => e.localName).filter(n => n.includes('inj')),
	    attributes: attrs.map(a => a.name).filter(n => n.includes('inj')),
	    comment: walker.nextNode() !== null,
	    scripts: document.scripts.length,
	    text: document.documentElement.textContent + '\n' + attrs.map(a => a.value).join('\n'),
	  };
	})()`})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Problems {
		t.Error(p)
	}
	var got struct {
		Elements   []string `json:"elements"`
		Attributes []string `json:"attributes"`
		Comment    bool     `json:"comment"`
		Scripts    int      `json:"scripts"`
		Text       string   `json:"text"`
	}
	if err := json.Unmarshal(v.Result, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Elements) > 0 || len(got.Attributes) > 0 || got.Comment || got.Scripts > 0 {
		t.Errorf("input made markup: elements %q, attributes %q, comment %v, %d scripts", got.Elements, got.Attributes, got.Comment, got.Scripts)
	}
	for _, want := range []string{title, a, b, hostileText("eni"), hostileText("to-service"), hostileText("from-service")} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("the page does not show %q whole", want)
		}
	}
}
