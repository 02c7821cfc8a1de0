package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// jsonLines is what parse writes for recs in format f.
func jsonLines(recs []flowlog.Record, f flowlog.Format, keep func(*flowlog.Record) bool) string {
	var b []byte
	for i := range recs {
		if keep == nil || keep(&recs[i]) {
			b = append(recs[i].AppendJSON(b, f), '\n')
		}
	}
	return string(b)
}

// TestParseDirectory: a directory tree of .log, .log.gz and .log.parquet
// files of two formats is parsed as its files one by one, in name order;
// other files are left out.
func TestParseDirectory(t *testing.T) {
	dir := t.TempDir()
	v5, _ := flowlog.Preset("v5")
	plain, _ := genLog(t, 31, 40, flowlog.DefaultFormat(), true)
	custom, _ := genLog(t, 32, 30, v5, true)
	files := map[string][]byte{
		"a/2026/11/30/x.log":    plain,
		"a/2026/12/01/y.log.gz": gzipped(t, custom),
		"b/z.log.parquet":       parquetOf(t, strings.SplitAfter(strings.TrimSpace(string(plain[bytes.IndexByte(plain, '\n')+1:])), "\n")[:20]...),
		"b/notes.txt":           []byte("not a flow log\n"),
		".hidden/h.log":         []byte("junk\n"),
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Dir(p), filepath.Base(p), data)
	}
	var want strings.Builder
	for _, name := range []string{"a/2026/11/30/x.log", "a/2026/12/01/y.log.gz", "b/z.log.parquet"} {
		out, errs, code := runCmd(t, "", "parse", filepath.Join(dir, filepath.FromSlash(name)))
		if code != 0 || errs != "" || out == "" {
			t.Fatalf("%s: %d %s", name, code, errs)
		}
		want.WriteString(out)
	}
	out, errs, code := runCmd(t, "", "parse", dir)
	if code != 0 || errs != "" || out != want.String() {
		t.Errorf("parse DIR: status %d, stderr %q, %d lines, want %d", code, errs, strings.Count(out, "\n"), strings.Count(want.String(), "\n"))
	}
	if n := strings.Count(out, "\n"); n != 40+30+20 {
		t.Errorf("%d records, want 90", n)
	}
	// Filters apply to every file; flags may follow the inputs.
	out, _, code = runCmd(t, "", "parse", dir, "--action", "REJECT")
	if code != 0 || strings.Count(out, "\n") == 0 || strings.Count(out, "\n") >= 90 || strings.Contains(out, `"ACCEPT"`) {
		t.Errorf("--action REJECT: status %d, %d records", code, strings.Count(out, "\n"))
	}
}

// TestParseS3: parse reads s3://bucket/prefix as summarize does, the
// listing narrowed by --since, records filtered by it, in key order.
func TestParseS3(t *testing.T) {
	client := newFakeS3(t, "logs", nil)
	ctx := context.Background()
	data, recs := genLog(t, 33, 500, flowlog.DefaultFormat(), true)
	pq := parquetOf(t, strings.SplitAfter(strings.TrimSpace(string(data[bytes.IndexByte(data, '\n')+1:])), "\n")...)
	start := recs[0].Start()
	for _, o := range []struct {
		layout s3layout.Layout
		body   []byte
	}{
		{s3layout.Layout{Hive: true}, gzipped(t, data)},
		{s3layout.Layout{Parquet: true}, pq},
	} {
		key := o.layout.Key("111122223333", "eu-west-1", "fl-1", recs[0].End(), "abcd1234")
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String(key), Body: bytes.NewReader(o.body)}); err != nil {
			t.Fatal(err)
		}
	}
	// An object of a day long before: not even listed with --since.
	old := s3layout.Layout{Hive: true}.Key("111122223333", "eu-west-1", "fl-1", start.AddDate(0, -1, 0), "00000000")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String(old), Body: bytes.NewReader([]byte("junk\n"))}); err != nil {
		t.Fatal(err)
	}
	since := start.Add(2 * time.Minute)
	out, errs, code := runCmd(t, "", "parse", "s3://logs/AWSLogs/", "--since", since.Format(time.RFC3339))
	keep := func(r *flowlog.Record) bool { return !r.End().Before(since) }
	plainOut, _, _ := runCmd(t, "", "parse", "--since", since.Format(time.RFC3339), writeFile(t, t.TempDir(), "x.parquet", pq))
	// Keys sort the plain layout's "AWSLogs/111122223333/..." before the
	// Hive layout's "AWSLogs/aws-account-id=...".
	if want := plainOut + jsonLines(recs, flowlog.DefaultFormat(), keep); code != 0 || errs != "" || out != want {
		t.Errorf("status %d, stderr %q, %d lines, want %d", code, errs, strings.Count(out, "\n"), strings.Count(want, "\n"))
	}
	// Without --since the old junk object is read too: an error naming it.
	_, errs, code = runCmd(t, "", "parse", "--lenient", "s3://logs/")
	if code != exitSkipped || !strings.Contains(errs, "s3://logs/"+old+":1:1: no header line and not the default format") {
		t.Errorf("junk object: status %d, stderr %q", code, errs)
	}
}

// TestParseCloudWatchLogs: parse reads cwl://log-group, page by page;
// its headerless events are read in the default format, said once.
func TestParseCloudWatchLogs(t *testing.T) {
	data, recs := genLog(t, 34, 200, flowlog.DefaultFormat(), false)
	groups := newFakeLogs(t, strings.Split(strings.TrimSpace(string(data)), "\n"))
	out, errs, code := runCmd(t, "", "parse", "cwl:///vpc/flow-logs")
	if code != 0 || out != jsonLines(recs, flowlog.DefaultFormat(), nil) ||
		errs != "cwl:///vpc/flow-logs: no header line; reading headerless input in the default format (give --format for another)\n" {
		t.Errorf("status %d, stderr %q, %d lines", code, errs, strings.Count(out, "\n"))
	}
	// Two pages at least (the SDK may retry a request on a loaded
	// machine; the output above shows no event twice), all of the group.
	if g := groups(); len(g) < 2 || slices.IndexFunc(g, func(s string) bool { return s != "/vpc/flow-logs" }) >= 0 {
		t.Errorf("requests for %q", g)
	}
	// Events of a custom format need --format.
	v5, _ := flowlog.Preset("v5")
	data, recs = genLog(t, 35, 20, v5, false)
	newFakeLogs(t, strings.Split(strings.TrimSpace(string(data)), "\n"))
	if out, errs, code := runCmd(t, "", "parse", "--format", "v5", "cwl://flows"); code != 0 || errs != "" || out != jsonLines(recs, v5, nil) {
		t.Errorf("--format v5: status %d, stderr %q", code, errs)
	}
	if _, errs, code := runCmd(t, "", "parse", "cwl://flows"); code != exitFailed || !strings.HasPrefix(errs, "cwl://flows:1:") || !strings.Contains(errs, "give --format") {
		t.Errorf("v5 without --format: status %d, stderr %q", code, errs)
	}
}

// TestParseHeaderless: headerless input in the default format is read
// as it, said once however many inputs there are; any other needs
// --format, which then applies to every headerless input.
func TestParseHeaderless(t *testing.T) {
	dir := t.TempDir()
	data, recs := genLog(t, 36, 50, flowlog.DefaultFormat(), false)
	a := writeFile(t, dir, "a.log", data)
	b := writeFile(t, dir, "b.log.gz", gzipped(t, data))
	want := jsonLines(recs, flowlog.DefaultFormat(), nil)
	out, errs, code := runCmd(t, string(data), "parse", "-", a, b)
	if code != 0 || out != want+want+want ||
		errs != "-: no header line; reading headerless input in the default format (give --format for another)\n" {
		t.Errorf("default format: status %d, stderr %q, %d lines", code, errs, strings.Count(out, "\n"))
	}
	v5, _ := flowlog.Preset("v5")
	custom, crecs := genLog(t, 37, 30, v5, false)
	c := writeFile(t, dir, "c.log", custom)
	out, errs, code = runCmd(t, string(custom), "parse", "--format", "v5", "-", c)
	if cw := jsonLines(crecs, v5, nil); code != 0 || errs != "" || out != cw+cw {
		t.Errorf("--format v5: status %d, stderr %q", code, errs)
	}
	// A header still wins over --format: each S3 object says its format.
	withHeader, hrecs := genLog(t, 38, 10, flowlog.DefaultFormat(), true)
	out, errs, code = runCmd(t, string(withHeader), "parse", "--format", "v5", "-")
	if code != 0 || errs != "" || out != jsonLines(hrecs, flowlog.DefaultFormat(), nil) {
		t.Errorf("header and --format: status %d, stderr %q", code, errs)
	}
}

// TestParseSubscriptionsOnStdin: several subscription payloads in a row
// on standard input, in each form they are piped, and Lambda events.
func TestParseSubscriptionsOnStdin(t *testing.T) {
	a, b := subscriptionJSON(good, nodata), subscriptionJSON(good)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString(gzipped(t, s)) }
	lambda := func(s string) string { return `{"awslogs":{"data":"` + b64(s) + `"}}` }
	want := goodJSON + nodataJSON + goodJSON
	for name, stdin := range map[string]string{
		"JSON documents":      a + "\n" + b + "\n",
		"gzip members":        string(gzipped(t, a)) + string(gzipped(t, b)),
		"base64 lines":        b64(a) + "\n" + b64(b) + "\n",
		"Lambda events":       lambda(a) + "\n" + lambda(b),
		"Lambda events, gzip": string(gzipped(t, lambda(a)+lambda(b))),
	} {
		out, errs, code := runCmd(t, stdin, "parse", "--format", "default", "-")
		if code != 0 || errs != "" || out != want {
			t.Errorf("%s: status %d, stderr %q\n got %q\nwant %q", name, code, errs, out, want)
		}
		// Without --format: the default format, said once.
		out, errs, code = runCmd(t, stdin, "parse", "-")
		if code != 0 || out != want || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "default format") {
			t.Errorf("%s, no --format: status %d, stderr %q", name, code, errs)
		}
	}
}

// TestParseSlowStdin: standard input that sends one line and then waits
// (tail -f x.log | flowlog parse -) gets its record written at once, not
// when 64 KB have come or the input ends.
func TestParseSlowStdin(t *testing.T) {
	for _, tc := range []struct {
		name, first string
		args        []string
	}{
		{"headerless", good, nil},
		{"header", header + good, nil},
		{"filtered", header + nodata + good, []string{"--action", "ACCEPT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			out := newSignalWriter()
			done := make(chan int, 1)
			go func() {
				done <- run(append(append([]string{"parse"}, tc.args...), "-"), pr, out, io.Discard)
			}()
			if _, err := io.WriteString(pw, tc.first); err != nil {
				t.Fatal(err)
			}
			select {
			case <-out.wrote:
			case <-time.After(10 * time.Second):
				t.Fatal("no record written while standard input waits")
			}
			if got := out.String(); got != goodJSON {
				t.Errorf("wrote %q, want %q", got, goodJSON)
			}
			// More lines come, then the end.
			if _, err := io.WriteString(pw, good); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			select {
			case code := <-done:
				if code != 0 || out.String() != goodJSON+goodJSON {
					t.Errorf("status %d, output %q", code, out.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("parse does not end at the end of its input")
			}
		})
	}
}

// signalWriter is a buffer that says when it is first written to.
type signalWriter struct {
	mu    chan struct{} // a lock
	buf   bytes.Buffer
	wrote chan struct{}
	once  bool
}

func newSignalWriter() *signalWriter {
	w := &signalWriter{mu: make(chan struct{}, 1), wrote: make(chan struct{})}
	return w
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu <- struct{}{}
	defer func() { <-w.mu }()
	w.buf.Write(p)
	if !w.once {
		w.once = true
		close(w.wrote)
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu <- struct{}{}
	defer func() { <-w.mu }()
	return w.buf.String()
}

// TestParseHelp: parse --help shows every kind of input in its examples.
func TestParseHelp(t *testing.T) {
	out, _, code := runCmd(t, "", "parse", "--help")
	_, examples, _ := strings.Cut(out, "\nExamples:\n")
	for _, want := range []string{"flowlog parse ./logs/", "s3://", "cwl://", " -"} {
		if code != 0 || !strings.Contains(examples, want) {
			t.Errorf("parse --help examples lack %q:\n%s", want, examples)
		}
	}
}
