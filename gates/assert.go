package gates

import (
	"errors"
	"testing"
)

// AssertPass runs every gate over the templates from a test: it fails the test
// (never skips) when a checker cannot run, reports each blocking finding with
// tb.Errorf, logs the allow-listed ones with their reasons, and returns all
// findings. Typical use after synthesizing into dir:
//
//	paths, _ := gates.TemplatesIn(dir)
//	gates.AssertPass(t, paths...)
func AssertPass(tb testing.TB, templatePaths ...string) []Finding {
	tb.Helper()
	if len(templatePaths) == 0 {
		tb.Fatal("gates.AssertPass: no templates given")
	}
	findings, err := RunAll(templatePaths)
	if err != nil {
		if errors.Is(err, ErrToolsMissing) {
			tb.Fatalf("%v (the gates use node_modules from `npm ci`)", err)
		}
		tb.Fatal(err)
	}
	for _, f := range findings {
		switch {
		case f.Blocks():
			tb.Errorf("template gate: %s", f)
		case f.Allowed:
			tb.Logf("template gate (allowed): %s", f)
		}
	}
	return findings
}
