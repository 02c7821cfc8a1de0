package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
const good = "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
const nodata = "2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n"

// The JSON of good and nodata, written out by hand.
const goodJSON = `{"version":2,"account-id":"123456789010","interface-id":"eni-1","srcaddr":"172.31.16.139","dstaddr":"172.31.16.21","srcport":20641,"dstport":22,"protocol":6,"packets":20,"bytes":4249,"start":1418530010,"end":1418530070,"action":"ACCEPT","log-status":"OK"}` + "\n"
const nodataJSON = `{"version":2,"account-id":"123456789010","interface-id":"eni-1","start":1431280876,"end":1431280934,"log-status":"NODATA"}` + "\n"

// runCmd runs the command in-process; it fails the test if the command
// does not end within 20 seconds.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runTo(t, stdin, &out, &errb, args...)
	return out.String(), errb.String(), code
}

func runTo(t *testing.T, stdin string, stdout, stderr io.Writer, args ...string) int {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- run(args, strings.NewReader(stdin), stdout, stderr) }()
	select {
	case code := <-done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("flowlog %q does not end", args)
		return 0
	}
}

// gzipped returns s as one gzip member.
func gzipped[T string | []byte](t testing.TB, s T) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func parquetOf(t testing.TB, lines ...string) []byte {
	var b bytes.Buffer
	pw := flowlog.NewParquetWriter(&b, flowlog.DefaultFormat())
	for _, l := range lines {
		r, err := flowlog.ParseRecord(l, flowlog.DefaultFormat())
		if err != nil {
			t.Fatal(err)
		}
		if err := pw.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func subscriptionJSON(messages ...string) string {
	var ev []string
	for i, m := range messages {
		ev = append(ev, fmt.Sprintf(`{"id":"%d","timestamp":1418530010000,"message":%q}`, i, strings.TrimSuffix(m, "\n")))
	}
	return `{"messageType":"DATA_MESSAGE","owner":"123456789010","logGroup":"flowlogs","logStream":"eni-1",` +
		`"subscriptionFilters":["f"],"logEvents":[` + strings.Join(ev, ",") + `]}`
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFields(t *testing.T) {
	out, _, code := runCmd(t, "", "fields")
	if code != 0 || strings.Count(out, "\n") != flowlog.NumFields+1 || !strings.Contains(out, "next-hop-interface-type") {
		t.Errorf("fields: code %d\n%s", code, out)
	}
	out, _, code = runCmd(t, "", "fields", "-presets")
	if code != 0 || !strings.Contains(out, "security") {
		t.Errorf("presets: %d %s", code, out)
	}
}

// TestParseOutputs: every kind of input, whole outputs compared.
func TestParseOutputs(t *testing.T) {
	dir := t.TempDir()
	sub := subscriptionJSON(good, nodata)
	b64 := base64.StdEncoding.EncodeToString(gzipped(t, sub))
	files := map[string][]byte{
		"a.log":         []byte(header + good + nodata),
		"b.log.gz":      gzipped(t, header+good+nodata),
		"c.parquet":     parquetOf(t, good, nodata),
		"d.parquet.gz":  gzipped(t, string(parquetOf(t, good, nodata))),
		"e.sub.gz":      gzipped(t, sub),
		"f.sub.b64":     []byte(b64 + "\n" + b64 + "\n"),
		"g.sub.json":    []byte(sub),
		"h.lambda.json": []byte(`{"awslogs":{"data":"` + b64 + `"}}`),
		"i.sub.gz":      append(gzipped(t, sub), gzipped(t, subscriptionJSON(good))...),
		"j.control.gz":  gzipped(t, `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}`),
		"k.crlf.log":    []byte(strings.ReplaceAll(header+good+nodata, "\n", "\r\n")),
	}
	for name, data := range files {
		writeFile(t, dir, name, data)
	}
	// Parquet columns are in the format's order, so their JSON is the
	// text's, key for key.
	text, pq := goodJSON+nodataJSON, goodJSON+nodataJSON
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"a.log"}, text},
		{[]string{"b.log.gz"}, text},
		{[]string{"c.parquet"}, pq},
		{[]string{"d.parquet.gz"}, pq},
		{[]string{"--format", "default", "e.sub.gz"}, text},
		{[]string{"--format", "default", "f.sub.b64"}, text + text},
		{[]string{"--format", "default", "g.sub.json"}, text},
		{[]string{"--format", "default", "h.lambda.json"}, text},
		{[]string{"--format", "default", "i.sub.gz"}, text + goodJSON},
		{[]string{"--format", "default", "j.control.gz"}, ""},
		{[]string{"k.crlf.log"}, text},
		{[]string{"a.log", "b.log.gz", "c.parquet", "d.parquet.gz"}, text + text + pq + pq},
	} {
		var args []string
		for _, a := range tt.args {
			if _, ok := files[a]; ok {
				a = filepath.Join(dir, a)
			}
			args = append(args, a)
		}
		out, errs, code := runCmd(t, "", append([]string{"parse"}, args...)...)
		if code != 0 || errs != "" || out != tt.want {
			t.Errorf("parse %v: status %d, stderr %q\n got %q\nwant %q", tt.args, code, errs, out, tt.want)
		}
	}
	// Standard input, of every kind.
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{good, []string{"--format", "default"}, goodJSON},
		{"1.2.3.4 80\n", []string{"--format", "${srcaddr} ${srcport}"}, `{"srcaddr":"1.2.3.4","srcport":80}` + "\n"},
		{"1.2.3.4 80\n", []string{"--format", "srcaddr srcport"}, `{"srcaddr":"1.2.3.4","srcport":80}` + "\n"},
		{string(files["b.log.gz"]), nil, text},
		{string(files["c.parquet"]), nil, pq},
		{string(files["d.parquet.gz"]), nil, pq},
		{string(files["e.sub.gz"]), []string{"--format", "default"}, text},
	} {
		out, errs, code := runCmd(t, tt.stdin, append(append([]string{"parse"}, tt.args...), "-")...)
		if code != 0 || errs != "" || out != tt.want {
			t.Errorf("parse %v - (stdin %.20q): status %d, stderr %q\n got %q\nwant %q", tt.args, tt.stdin, code, errs, out, tt.want)
		}
	}
}

// TestParseNoRecords: an input without records (empty, a header line
// alone, empty standard input) is an error naming it, as it is for
// summarize: exit 1, or 3 with --lenient, which goes on to the next.
func TestParseNoRecords(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.log", nil)
	headerOnly := writeFile(t, dir, "header.log", []byte(header))
	for _, tt := range []struct {
		stdin string
		args  []string
		msg   string
	}{
		{"", []string{empty}, empty + ": empty input"},
		{"", []string{headerOnly}, headerOnly + ": header but no records"},
		{"", []string{"--format", "default", "-"}, "-: empty input"},
		{header, []string{"-"}, "-: header but no records"},
	} {
		for _, lenient := range []bool{false, true} {
			args := append([]string{"parse"}, tt.args...)
			status := exitFailed
			if lenient {
				args, status = append(args, "--lenient"), exitSkipped
			}
			out, errs, code := runCmd(t, tt.stdin, args...)
			if code != status || out != "" || !strings.HasPrefix(errs, tt.msg) {
				t.Errorf("%v: status %d (want %d), stdout %q, stderr %q (want it to start with %q)", args, code, status, out, errs, tt.msg)
			}
		}
	}
}

// TestParseSetupErrors checks every error that stops the command before
// or while opening an input: its status and its whole message.
func TestParseSetupErrors(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.log.gz", nil)
	sub := writeFile(t, dir, "s.gz", gzipped(t, subscriptionJSON(good)))
	notDir := writeFile(t, dir, "file", []byte(good))
	customSub := writeFile(t, dir, "custom.gz", gzipped(t, subscriptionJSON("1.2.3.4 80")))
	noLogs := filepath.Join(dir, "nologs")
	if err := os.Mkdir(noLogs, 0o755); err != nil {
		t.Fatal(err)
	}
	usageText := strings.SplitN(usage, "\n", 2)[0]
	for _, tt := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string // the whole of it, or its first line when it ends with "..."
		stdout string // the start of it
	}{
		{"no arguments", "", nil, 2, usageText + "...", ""},
		{"unknown command", "", []string{"pars"}, 2, `flowlog: unknown command "pars"` + "...", ""},
		{"help", "", []string{"help"}, 0, "", usageText},
		{"parse --help", "", []string{"parse", "--help"}, 0, "", "usage: flowlog parse"},
		{"parse -h", "", []string{"parse", "-h"}, 0, "", "usage: flowlog parse"},
		{"unknown flag", "", []string{"parse", "--strict", "x"}, 2, "flowlog parse: flag provided but not defined: -strict...", ""},
		{"flag without value", "", []string{"parse", "--format"}, 2, "flowlog parse: flag needs an argument: -format...", ""},
		{"no files", "", []string{"parse"}, 2, "flowlog parse: no files (use - for standard input)\n", ""},
		{"negative --workers", "", []string{"summarize", "--workers", "-3", "-"}, 2,
			"flowlog summarize: --workers -3: want a number of inputs read in parallel, at least 1 (0: the default)\n", ""},
		{"zero --max-buffer", "", []string{"parse", "--max-buffer", "0", "-"}, 2, "flowlog parse: --max-buffer 0: want a number of bytes, at least 1\n", ""},
		{"bad --format", "", []string{"parse", "--format", "${srcadr}", "-"}, 2,
			`flowlog parse: --format: flowlog: format: unknown field "${srcadr}" at offset 0 (did you mean "${srcaddr}"?)` + "\n", ""},
		{"bad --format names", "", []string{"parse", "--format", "srcaddr srcaddr", "-"}, 2,
			`flowlog parse: --format: flowlog: format: duplicate field "srcaddr" at offset 8` + "\n", ""},
		{"missing file", "", []string{"parse", filepath.Join(dir, "missing")}, 1,
			filepath.Join(dir, "missing") + ": stat " + filepath.Join(dir, "missing") + ": no such file or directory\n", ""},
		{"path through a file", "", []string{"parse", notDir + "/x"}, 1,
			notDir + "/x: stat " + notDir + "/x: not a directory\n", ""},
		{"directory without flow logs", "", []string{"parse", noLogs}, 1,
			noLogs + ": no flow-log files in the directory (looked for .log, .log.gz and .log.parquet)\n", ""},
		// Root can read any file whatever its mode, but not /proc/self/mem
		// at offset 0: it opens, and every read fails with EIO.
		{"unreadable file", "", []string{"parse", "/proc/self/mem"}, 1, "/proc/self/mem: read /proc/self/mem: input/output error\n", ""},
		{"zero-byte .gz", "", []string{"parse", empty}, 1,
			empty + ": flowlog: truncated: empty file, but its name says gzip or Parquet, which are never empty\n", ""},
		// Headerless input in the default format is read as it, said once.
		{"subscription without --format", "", []string{"parse", sub}, 0,
			sub + ": no header line; reading headerless input in the default format (give --format for another)\n", goodJSON},
		{"no header, no --format", good + good, []string{"parse", "-"}, 0,
			"-: no header line; reading headerless input in the default format (give --format for another)\n", goodJSON + goodJSON},
		// Any other headerless input needs --format.
		{"custom subscription without --format", "", []string{"parse", customSub}, 1,
			customSub + `:1:1: no header line and not the default format (give --format): flowlog: field 1 (version): invalid syntax "1.2.3.4"` + "\n", ""},
		{"custom, no header, no --format", "1.2.3.4 80\n", []string{"parse", "-"}, 1,
			`-:1:1: no header line and not the default format (give --format): flowlog: field 1 (version): invalid syntax "1.2.3.4"` + "\n", ""},
	} {
		out, errs, code := runCmd(t, tt.stdin, tt.args...)
		wantErr := errs == tt.stderr
		if strings.HasSuffix(tt.stderr, "...") {
			wantErr = strings.HasPrefix(errs, strings.TrimSuffix(tt.stderr, "...")+"\n")
		}
		if code != tt.code || !wantErr || !strings.HasPrefix(out, tt.stdout) || (tt.stdout == "" && out != "") {
			t.Errorf("%s: status %d (want %d)\nstderr %q\n  want %q\nstdout %.80q", tt.name, code, tt.code, errs, tt.stderr, out)
		}
	}
}

// TestParseStrictAndLenient: strict stops at the first bad line with
// status 1; lenient reports each, goes on, counts them and exits 3.
func TestParseStrictAndLenient(t *testing.T) {
	bad := header + good + "2 x\n" + good + "2 123456789010 eni-1 1.2.3.4 1.2.3.5 1 2 6 1 1 1 2 MAYBE OK\n"
	out, errs, code := runCmd(t, bad, "parse", "-")
	if code != 1 || out != goodJSON || errs != "-:3:3: flowlog: field 3 (interface-id): wrong number of fields: got 2 fields, want 14\n" {
		t.Errorf("strict: %d %q %q", code, out, errs)
	}
	out, errs, code = runCmd(t, bad, "parse", "--lenient", "-")
	wantErrs := "-:3:3: flowlog: field 3 (interface-id): wrong number of fields: got 2 fields, want 14\n" +
		"-:5:13: flowlog: field 13 (action): invalid syntax \"MAYBE\"\n" +
		"flowlog parse: skipped 2 bad lines\n"
	if code != 3 || out != goodJSON+goodJSON || errs != wantErrs {
		t.Errorf("lenient: %d %q\n%s", code, out, errs)
	}
	// A bad log event in a subscription payload is numbered in the input.
	dir := t.TempDir()
	sub := writeFile(t, dir, "s.gz", append(gzipped(t, subscriptionJSON(good)), gzipped(t, subscriptionJSON(good, "2 bad"))...))
	out, errs, code = runCmd(t, "", "parse", "--lenient", "--format", "default", sub)
	if code != 3 || out != goodJSON+goodJSON || errs != sub+":3:3: flowlog: field 3 (interface-id): wrong number of fields: got 2 fields, want 14\nflowlog parse: skipped 1 bad line\n" {
		t.Errorf("subscription, lenient: %d %q\n%s", code, out, errs)
	}
}

// TestParseWriteErrors: output that cannot be written is an error, flush
// included, with or without --lenient.
func TestParseWriteErrors(t *testing.T) {
	dir := t.TempDir()
	small := writeFile(t, dir, "a.log", []byte(header+good))
	var big strings.Builder
	big.WriteString(header)
	for range 5000 { // more than the output buffer
		big.WriteString(good)
	}
	large := writeFile(t, dir, "b.log", []byte(big.String()))
	for _, args := range [][]string{{"parse", small}, {"parse", "--lenient", small}, {"parse", large}, {"parse", "--lenient", large, small}, {"fields"}} {
		full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		var errb bytes.Buffer
		code := runTo(t, "", full, &errb, args...)
		_ = full.Close()
		if code != 1 || errb.String() != "flowlog "+args[0]+": writing output: write /dev/full: no space left on device\n" {
			t.Errorf("%v > /dev/full: status %d, stderr %q", args, code, errb.String())
		}
	}
}
