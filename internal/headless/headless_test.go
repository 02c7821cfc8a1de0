package headless

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenSeesProblems: the harness must see what it exists to catch, or
// a clean report page would prove nothing.
func TestOpenSeesProblems(t *testing.T) {
	browser, err := Find()
	if errors.Is(err, ErrNoBrowser) {
		t.Skip("skipped: ", err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	html := `<!doctype html><title>t</title><body><p id=x>hi</p>
<img src="missing.png" alt="">
<script>console.error("boom"); document.getElementById("x").dataset.n = 3; undefinedFunction();</script>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Start(browser, filepath.Join(dir, "profile"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	v, err := b.Open(context.Background(), "file://"+page, Options{Script: `document.getElementById("x").dataset.n`, Screenshot: true})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(v.Problems, "\n")
	for _, want := range []string{"boom", "undefinedFunction", "request failed"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if string(v.Result) != `"3"` {
		t.Errorf("result %s, want \"3\"", v.Result)
	}
	if len(v.Screenshot) < 100 || string(v.Screenshot[1:4]) != "PNG" {
		t.Errorf("screenshot is not a PNG (%d bytes)", len(v.Screenshot))
	}
}

// TestOpenClean: a page without problems reports none, in a second tab of
// the same browser, on a phone's viewport and printed.
func TestOpenClean(t *testing.T) {
	browser, err := Find()
	if errors.Is(err, ErrNoBrowser) {
		t.Skip("skipped: ", err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	if err := os.WriteFile(page, []byte(`<!doctype html><meta name="viewport" content="width=device-width"><title>t</title><p>fine</p>`), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Start(browser, filepath.Join(dir, "profile"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, o := range []Options{{}, {Width: 390, Height: 844, Mobile: true, Script: "window.innerWidth"}, {Print: true}} {
		v, err := b.Open(context.Background(), "file://"+page, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Problems) > 0 {
			t.Errorf("%+v: problems %q", o, v.Problems)
		}
		if o.Mobile && string(v.Result) != "390" {
			t.Errorf("phone viewport is %s px wide", v.Result)
		}
		if o.Print && !strings.HasPrefix(string(v.PDF), "%PDF") {
			t.Error("print gave no PDF")
		}
	}
}
