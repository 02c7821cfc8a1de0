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
	v, err := Open(context.Background(), browser, filepath.Join(dir, "profile"), "file://"+page,
		Options{Script: `document.getElementById("x").dataset.n`, Screenshot: true})
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
