package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's flowlog review examples with the real output")

// The README's "Reviewing a change" section shows real output of
// `flowlog review`; this test runs each command shown there and compares
// (go test ./cmd/flowlog -run Readme -update-readme rewrites them).
func TestReadmeReviewExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Reviewing a change\n")
	if !ok {
		t.Fatal(`README has no "## Reviewing a change" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```console\n\\$ go run ./cmd/flowlog ([^\n]*)\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) < 2 {
		t.Fatalf("%d console examples in the section, want at least 2", len(blocks))
	}
	t.Chdir("../..")
	updated := string(readme)
	for _, b := range blocks {
		out, errOut, code := runCmd(t, "", strings.Fields(b[1])...)
		if code != 0 {
			t.Errorf("flowlog %s: exit %d: %s", b[1], code, errOut)
		}
		if out == b[2] {
			continue
		}
		if *updateReadme {
			updated = strings.Replace(updated, b[0], strings.Replace(b[0], b[2], out, 1), 1)
			continue
		}
		t.Errorf("README output of `flowlog %s` is stale (-update-readme rewrites it); it prints:\n%s", b[1], out)
	}
	if *updateReadme && updated != string(readme) {
		if err := os.WriteFile("README.md", []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
