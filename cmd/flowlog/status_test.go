package main

import (
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// brokenWriter is output that cannot be written, like a full disk.
type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// documentedStatuses returns the statuses listed in the "Exit status" section of a help text.
func documentedStatuses(t *testing.T, help string) []int {
	t.Helper()
	_, section, ok := strings.Cut(help, "Exit status")
	if !ok {
		t.Fatalf("no exit statuses in\n%s", help)
	}
	section, _, _ = strings.Cut(section, "\n\n")
	var out []int
	for _, m := range regexp.MustCompile(`(?m)^  (\d)  `).FindAllStringSubmatch(section, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// Every command's --help documents exactly the exit statuses it returns:
// each documented status is produced by a run here, and each run's status
// is documented. The usage text's summary names the same statuses.
func TestExitStatusesAreDocumented(t *testing.T) {
	dir := t.TempDir()
	goodLog := writeFile(t, dir, "good.log", []byte(header+good))
	badLog := writeFile(t, dir, "bad.log", []byte(header+good+"2 123456789010 eni-1 not-an-address\n"))
	goodTpl := filepath.Join("..", "..", "review", "testdata", "good.yaml")
	weakTpl := filepath.Join("..", "..", "review", "testdata", "weakened.yaml")
	out := func(name string) string { return filepath.Join(dir, name) }
	type run struct {
		args   []string
		broken bool // standard output cannot be written
		want   int
	}
	for _, c := range []struct {
		cmd  string
		runs []run
	}{
		{"fields", []run{{args: nil, want: 0}, {args: nil, broken: true, want: 1}, {args: []string{"--bogus"}, want: 2}}},
		{"generate", []run{{args: []string{"--records", "3"}, want: 0}, {args: []string{"--records", "3"}, broken: true, want: 1}, {args: []string{"extra"}, want: 2}}},
		{"parse", []run{{args: []string{goodLog}, want: 0}, {args: []string{badLog}, want: 1}, {args: []string{goodLog}, broken: true, want: 1},
			{args: []string{"--bogus", goodLog}, want: 2}, {args: []string{"--lenient", badLog}, want: 3}}},
		{"summarize", []run{{args: []string{goodLog}, want: 0}, {args: []string{badLog}, want: 1}, {args: []string{"--bogus", goodLog}, want: 2},
			{args: []string{"--keep-going", badLog}, want: 3}}},
		{"investigate", []run{{args: []string{"rejected-traffic", goodLog}, want: 0}, {args: []string{"rejected-traffic", badLog}, want: 1},
			{args: []string{"no-such-investigation", goodLog}, want: 2}, {args: []string{"--keep-going", "rejected-traffic", badLog}, want: 3}}},
		{"convert", []run{{args: []string{"--to", "jsonl", "-o", out("a.jsonl"), goodLog}, want: 0}, {args: []string{"--to", "jsonl", "-o", out("b.jsonl"), badLog}, want: 1},
			{args: []string{"--to", "xml", goodLog}, want: 2}, {args: []string{"--keep-going", "--to", "jsonl", "-o", out("c.jsonl"), badLog}, want: 3}}},
		{"report", []run{{args: []string{goodLog, "-o", out("a.html")}, want: 0}, {args: []string{badLog, "-o", out("b.html")}, want: 1},
			{args: []string{goodLog}, want: 2}, {args: []string{"--keep-going", badLog, "-o", out("c.html")}, want: 3}}},
		{"review", []run{{args: []string{goodTpl}, want: 0}, {args: []string{"--strict=high", weakTpl}, want: 1},
			{args: []string{"--strict", "--base", goodTpl, weakTpl}, want: 1}, {args: []string{out("missing.yaml")}, want: 2},
			{args: []string{"--base", goodTpl, weakTpl, goodTpl}, want: 2}, {args: []string{goodTpl}, broken: true, want: 2}}},
	} {
		help, _, code := runCmd(t, "", c.cmd, "--help")
		if code != 0 {
			t.Errorf("%s --help: status %d", c.cmd, code)
		}
		documented := documentedStatuses(t, help)
		var seen []int
		for _, r := range c.runs {
			args := append([]string{c.cmd}, r.args...)
			var stdout, stderr strings.Builder
			var code int
			if r.broken {
				code = runTo(t, "", brokenWriter{}, &stderr, args...)
			} else {
				code = runTo(t, "", &stdout, &stderr, args...)
			}
			if code != r.want {
				t.Errorf("flowlog %s (broken output %v): status %d, want %d; stderr:\n%s", strings.Join(args, " "), r.broken, code, r.want, stderr.String())
			}
			if !slices.Contains(documented, code) {
				t.Errorf("flowlog %s: status %d is not in its --help (%v)", strings.Join(args, " "), code, documented)
			}
			if code != 0 && stderr.Len() == 0 {
				t.Errorf("flowlog %s: status %d without a word on stderr", strings.Join(args, " "), code)
			}
			seen = append(seen, code)
		}
		for _, d := range documented {
			if !slices.Contains(seen, d) {
				t.Errorf("%s --help documents status %d, which no run here produces", c.cmd, d)
			}
		}
	}
	usage, _, _ := runCmd(t, "", "help")
	if got := documentedStatuses(t, usage); !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Errorf("usage documents statuses %v", got)
	}
	for _, flag := range []string{"parse --lenient", "--keep-going", "review"} {
		if !strings.Contains(strings.Join(strings.Fields(usage), " "), flag) {
			t.Errorf("usage's exit statuses do not mention %q", flag)
		}
	}
	// The skip flag each reading command's --help names in its statuses is one it has.
	for cmd, flag := range map[string]string{"parse": "--lenient", "summarize": "--keep-going", "investigate": "--keep-going", "convert": "--keep-going", "report": "--keep-going"} {
		help, _, _ := runCmd(t, "", cmd, "--help")
		_, statuses, _ := strings.Cut(help, "Exit status")
		if !strings.Contains(statuses, "3  "+flag+" went on") {
			t.Errorf("%s --help: status 3 does not name %s", cmd, flag)
		}
		if _, _, code := runCmd(t, "", cmd, flag, "--help"); code != 0 {
			t.Errorf("%s has no %s flag", cmd, flag)
		}
	}
}
