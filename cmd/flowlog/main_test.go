package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
const good = "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
const nodata = "2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n"

func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
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

func TestParse(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.log")
	os.WriteFile(plain, []byte(header+good+nodata), 0o644)
	var gzb bytes.Buffer
	zw := gzip.NewWriter(&gzb)
	zw.Write([]byte(header + good))
	zw.Close()
	gzf := filepath.Join(dir, "b.log.gz")
	os.WriteFile(gzf, gzb.Bytes(), 0o644)
	var pq bytes.Buffer
	pw := flowlog.NewParquetWriter(&pq, flowlog.DefaultFormat())
	r, _ := flowlog.ParseRecord(good, flowlog.DefaultFormat())
	pw.Write(&r)
	pw.Close()
	pqf := filepath.Join(dir, "c.parquet")
	os.WriteFile(pqf, pq.Bytes(), 0o644)

	var pqgz bytes.Buffer
	zw = gzip.NewWriter(&pqgz)
	zw.Write(pq.Bytes())
	zw.Close()
	pqgzf := filepath.Join(dir, "d.parquet.gz")
	os.WriteFile(pqgzf, pqgz.Bytes(), 0o644)

	out, errs, code := runCmd(t, "", "parse", plain, gzf, pqf, pqgzf)
	if code != 0 || errs != "" || strings.Count(out, "\n") != 5 {
		t.Fatalf("parse: code %d, stderr %q\n%s", code, errs, out)
	}
	first := `{"version":2,"account-id":"123456789010","interface-id":"eni-1","srcaddr":"172.31.16.139","dstaddr":"172.31.16.21","srcport":20641,"dstport":22,"protocol":6,"packets":20,"bytes":4249,"start":1418530010,"end":1418530070,"action":"ACCEPT","log-status":"OK"}`
	lines := strings.Split(out, "\n")
	if lines[0] != first || lines[2] != first {
		t.Errorf("output:\n%s", out)
	}
	// ParquetWriter stores columns in name order, so keys come in that order.
	var want, got map[string]any
	json.Unmarshal([]byte(first), &want)
	json.Unmarshal([]byte(lines[3]), &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parquet output %s", lines[3])
	}
	if !strings.Contains(out, `"log-status":"NODATA"}`) || strings.Contains(out, `"srcaddr":"-"`) {
		t.Errorf("NODATA output:\n%s", out)
	}

	// Standard input without header needs --format.
	_, errs, code = runCmd(t, good, "parse", "-")
	if code != 1 || !strings.Contains(errs, "-:1: ") {
		t.Errorf("no format: %d %q", code, errs)
	}
	out, _, code = runCmd(t, good, "parse", "--format", "default", "-")
	if code != 0 || out != first+"\n" {
		t.Errorf("--format default: %d %q", code, out)
	}
	out, _, code = runCmd(t, "1.2.3.4 80\n", "parse", "--format", "${srcaddr} ${srcport}", "-")
	if code != 0 || out != `{"srcaddr":"1.2.3.4","srcport":80}`+"\n" {
		t.Errorf("--format string: %d %q", code, out)
	}
	_, errs, code = runCmd(t, "", "parse", "--format", "${srcadr}", "-")
	if code != 2 || !strings.Contains(errs, "did you mean") {
		t.Errorf("bad --format: %d %q", code, errs)
	}

	// Errors: strict stops with status 1, lenient reports each and exits 0.
	bad := header + good + "2 x\n" + good + "2 123456789010 eni-1 1.2.3.4 1.2.3.5 1 2 6 1 1 1 2 MAYBE OK\n"
	out, errs, code = runCmd(t, bad, "parse", "-")
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(errs, "-:3:3: ") {
		t.Errorf("strict: %d %q %q", code, out, errs)
	}
	out, errs, code = runCmd(t, bad, "parse", "--lenient", "-")
	if code != 0 || strings.Count(out, "\n") != 2 || strings.Count(errs, "\n") != 2 || !strings.Contains(errs, "-:5:13: ") {
		t.Errorf("lenient: %d %q %q", code, out, errs)
	}
	_, errs, code = runCmd(t, "", "parse", filepath.Join(dir, "missing"))
	if code != 1 || errs == "" {
		t.Errorf("missing file: %d %q", code, errs)
	}
	if _, _, code = runCmd(t, ""); code != 2 {
		t.Errorf("no args: %d", code)
	}
}
