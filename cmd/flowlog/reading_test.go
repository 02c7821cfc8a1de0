package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// genLog returns n generated records in format f as text (with a header
// line if header) and the records.
func genLog(t *testing.T, seed uint64, n int, f flowlog.Format, header bool) ([]byte, []flowlog.Record) {
	t.Helper()
	var b bytes.Buffer
	w := flowlog.NewWriter(&b, f)
	w.Header = header
	g := flowlog.NewGenerator(seed, f)
	recs := make([]flowlog.Record, n)
	for i := range recs {
		g.Next(&recs[i])
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), recs
}

type totalsJSON struct {
	Records  int64 `json:"records"`
	Packets  int64 `json:"packets"`
	Bytes    int64 `json:"bytes"`
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
	NoData   int64 `json:"nodata"`
	SkipData int64 `json:"skipdata"`
}

type summaryJSON struct {
	Totals  totalsJSON `json:"totals"`
	Formats []string   `json:"formats"`
	Tables  []struct {
		Name    string           `json:"name"`
		Columns []string         `json:"columns"`
		Rows    []map[string]any `json:"rows"`
	} `json:"tables"`
}

func totalsOf(recs []flowlog.Record, keep func(*flowlog.Record) bool) totalsJSON {
	var t totalsJSON
	for i := range recs {
		r := &recs[i]
		if keep != nil && !keep(r) {
			continue
		}
		t.Records++
		t.Packets += int64(r.Packets())
		t.Bytes += int64(r.Bytes())
		switch r.Action() {
		case flowlog.Accept:
			t.Accepted++
		case flowlog.Reject:
			t.Rejected++
		}
		switch r.LogStatus() {
		case flowlog.StatusNoData:
			t.NoData++
		case flowlog.StatusSkipData:
			t.SkipData++
		}
	}
	return t
}

func decodeSummary(t *testing.T, out string) summaryJSON {
	t.Helper()
	var s summaryJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return s
}

func TestSummarizeDirectory(t *testing.T) {
	dir := t.TempDir()
	v5, _ := flowlog.Preset("v5")
	a, ra := genLog(t, 1, 3000, flowlog.DefaultFormat(), true)
	b, rb := genLog(t, 2, 2000, v5, true)
	os.MkdirAll(filepath.Join(dir, "x"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.log"), a, 0o644)
	os.WriteFile(filepath.Join(dir, "x", "b.log.gz"), gzipped(t, b), 0o644)
	all := append(append([]flowlog.Record{}, ra...), rb...)

	out, errs, code := runCmd(t, "", "summarize", "--json", dir, "--by", "pair,dstport", "--top", "3", "--sort", "packets")
	if code != 0 || errs != "" {
		t.Fatalf("code %d: %s", code, errs)
	}
	s := decodeSummary(t, out)
	if want := totalsOf(all, nil); s.Totals != want {
		t.Errorf("totals %+v, want %+v", s.Totals, want)
	}
	if len(s.Formats) != 2 || s.Formats[0] != flowlog.DefaultFormat().String() && s.Formats[1] != flowlog.DefaultFormat().String() {
		t.Errorf("formats %q", s.Formats)
	}
	if len(s.Tables) != 2 || s.Tables[0].Name != "top-srcaddr-dstaddr-by-packets" || len(s.Tables[0].Rows) != 3 ||
		strings.Join(s.Tables[0].Columns, ",") != "srcaddr,dstaddr,records,packets,bytes" {
		t.Errorf("tables: %s", out)
	}
	for _, key := range []string{`"records":`, `"packets":`, `"bytes":`, `"accepted":`, `"rejected":`, `"nodata":`, `"skipdata":`, `"first":`, `"last":`} {
		if !strings.Contains(out[:strings.Index(out, `"tables"`)], key) {
			t.Errorf("totals lack %s", key)
		}
	}

	// Filters: the totals of the matching records.
	out, _, code = runCmd(t, "", "summarize", "--json", "--action", "reject", "--protocol", "tcp,udp", "--src", "10.0.0.0/8", dir)
	keep := func(r *flowlog.Record) bool {
		return r.Action() == flowlog.Reject && (r.Protocol() == 6 || r.Protocol() == 17) && r.SrcAddr().Is4() && r.SrcAddr().As4()[0] == 10
	}
	if s := decodeSummary(t, out); code != 0 || s.Totals != totalsOf(all, keep) || s.Totals.Records == 0 {
		t.Errorf("filtered: %d %+v want %+v", code, s.Totals, totalsOf(all, keep))
	}

	// A table for people; CSV sections.
	out, _, _ = runCmd(t, "", "summarize", "--by", "src", dir)
	if !strings.Contains(out, "records  packets") || !strings.Contains(out, "Top srcaddr by bytes [top-srcaddr-by-bytes]") || !strings.Contains(out, "time span: ") {
		t.Errorf("table:\n%s", out)
	}
	out, _, _ = runCmd(t, "", "summarize", "--csv", "--by", "action", dir)
	if !strings.HasPrefix(out, "table,records,packets,bytes,accepted,rejected,nodata,skipdata,first,last\ntotals,5000,") ||
		!strings.Contains(out, "\n\ntable,action,records,packets,bytes\ntop-action-by-bytes,ACCEPT,") {
		t.Errorf("csv:\n%s", out)
	}

	// investigate --all over mixed formats: every investigation either
	// format answers (the v5 file's are a superset), whatever the order
	// of the inputs and whichever worker starts first; the tables the
	// default-format file cannot answer leave it out (exit 3).
	var want []string
	for _, inv := range summary.Answerable(v5) {
		want = append(want, inv.Name)
	}
	orders := [][]string{{dir}, {filepath.Join(dir, "a.log"), filepath.Join(dir, "x", "b.log.gz")}, {filepath.Join(dir, "x", "b.log.gz"), filepath.Join(dir, "a.log")}}
	for _, inputs := range orders {
		out, errs, code := runCmd(t, "", append([]string{"investigate", "--all", "--json"}, inputs...)...)
		if code != exitSkipped {
			t.Fatalf("--all: %d %s", code, errs)
		}
		var names []string
		for _, tab := range decodeSummary(t, out).Tables {
			names = append(names, tab.Name)
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Fatalf("--all ran %q, want %q", names, want)
		}
	}

	// A table the format of one input cannot answer: the totals cover
	// every input, the table the inputs that have its fields, and the
	// output names the input it left out; --keep-going changes nothing.
	for _, kg := range []bool{false, true} {
		args := []string{"summarize", "--json", "--by", "vpc,src", "--top", "0", dir}
		if kg {
			args = append(args, "--keep-going")
		}
		out, errs, code := runCmd(t, "", args...)
		aLog := filepath.Join(dir, "a.log")
		if code != exitSkipped || !strings.Contains(errs, "top-vpc-id-by-bytes: computed without 1 input whose format lacks vpc-id ("+aLog+")") ||
			!strings.Contains(errs, "flowlog summarize: 1 table computed without some inputs (top-vpc-id-by-bytes)") {
			t.Errorf("missing field: %d %s", code, errs)
		}
		var got struct {
			Totals totalsJSON `json:"totals"`
			Tables []struct {
				Lacking []string         `json:"inputs_lacking_fields"`
				Missing []string         `json:"missing_fields"`
				Rows    []map[string]any `json:"rows"`
			} `json:"tables"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Tables) != 2 {
			t.Fatalf("%v %s", err, out)
		}
		if got.Totals != totalsOf(all, nil) {
			t.Errorf("totals %+v, want every input's %+v", got.Totals, totalsOf(all, nil))
		}
		records := func(rows []map[string]any) (n int64) {
			for _, r := range rows {
				n += int64(r["records"].(float64))
			}
			return n
		}
		hasVPC := func(r *flowlog.Record) bool { return r.Has(flowlog.VpcID) }
		hasSrc := func(r *flowlog.Record) bool { return r.Has(flowlog.SrcAddr) }
		if vpc := got.Tables[0]; records(vpc.Rows) != totalsOf(rb, hasVPC).Records || strings.Join(vpc.Lacking, ",") != aLog || strings.Join(vpc.Missing, ",") != "vpc-id" {
			t.Errorf("vpc table: %d records (want %d), lacking %q %q", records(vpc.Rows), totalsOf(rb, hasVPC).Records, vpc.Lacking, vpc.Missing)
		}
		if src := got.Tables[1]; records(src.Rows) != totalsOf(all, hasSrc).Records || src.Lacking != nil {
			t.Errorf("src table: %d records, want %d of every input", records(src.Rows), totalsOf(all, hasSrc).Records)
		}
	}
	// No input has the fields: an error, as for one input.
	if _, errs, code := runCmd(t, "", "summarize", "--by", "vpc", filepath.Join(dir, "a.log")); code != exitFailed || !strings.Contains(errs, "top-vpc-id-by-bytes needs field(s) no input has: vpc-id") {
		t.Errorf("no input has vpc-id: exit %d, %s", code, errs)
	}
	// CSV has no place to say it: the exit status does.
	for _, args := range [][]string{{"summarize", "--csv", "--by", "vpc", dir}, {"investigate", "--csv", "top-talking-subnets", dir}} {
		if _, errs, code := runCmd(t, "", args...); code != exitSkipped {
			t.Errorf("%v: exit %d, want %d (a table left an input out)\n%s", args, code, exitSkipped, errs)
		}
	}
	out, _, _ = runCmd(t, "", "summarize", "--by", "vpc", dir)
	if !strings.Contains(out, "Top vpc-id by bytes [top-vpc-id-by-bytes]\n  (computed without 1 input whose format lacks vpc-id") {
		t.Errorf("the table view does not say what it left out:\n%s", out)
	}
}

func TestSummarizeBadInputs(t *testing.T) {
	dir := t.TempDir()
	good, recs := genLog(t, 3, 500, flowlog.DefaultFormat(), true)
	z := gzipped(t, good)
	os.WriteFile(filepath.Join(dir, "1-good.log"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "2-empty.log"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "3-header.log"), []byte(flowlog.DefaultFormat().Header()+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "4-notes.log"), []byte("meeting notes\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "5-corrupt.log.gz"), append(z[:len(z)-8:len(z)-8], 9, 9, 9, 9, 9, 9, 9, 9), 0o644)
	os.WriteFile(filepath.Join(dir, "6-badline.log"), append(append([]byte{}, good...), "2 1 eni-1 1.2.3.4 1.2.3.5 1 2 6 1 1 1 2 MAYBE OK\n"...), 0o644)

	out, errs, code := runCmd(t, "", "summarize", "--json", dir)
	if code != 1 || out != "" || !strings.Contains(errs, "2-empty.log: empty input") && !strings.Contains(errs, "3-header.log") {
		t.Errorf("strict: %d %q %q", code, out, errs)
	}
	out, errs, code = runCmd(t, "", "summarize", "--json", "--keep-going", dir)
	if code != exitSkipped || !strings.Contains(errs, "flowlog summarize: skipped 1 bad line and 4 inputs not read to the end") {
		t.Fatalf("keep-going: %d\n%s", code, errs)
	}
	for _, want := range []string{"2-empty.log: empty input", "3-header.log: header but no records", "4-notes.log:1:1: no header line", "5-corrupt.log.gz", "6-badline.log:502:13: "} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	s := decodeSummary(t, out)
	if min := 2 * totalsOf(recs, nil).Records; s.Totals.Records < min {
		t.Errorf("%d records, want at least the %d of the good inputs", s.Totals.Records, min)
	}
}

func TestHeaderlessStdin(t *testing.T) {
	data, recs := genLog(t, 4, 100, flowlog.DefaultFormat(), false)
	out, errs, code := runCmd(t, string(data), "summarize", "--json", "-")
	if code != 0 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "default format") {
		t.Fatalf("%d %q", code, errs)
	}
	if s := decodeSummary(t, out); s.Totals != totalsOf(recs, nil) {
		t.Errorf("totals %+v", s.Totals)
	}
	v5, _ := flowlog.Preset("v5")
	data, _ = genLog(t, 5, 10, v5, false)
	if _, errs, code = runCmd(t, string(data), "summarize", "-"); code != 1 || !strings.Contains(errs, "give --format") {
		t.Errorf("custom headerless: %d %q", code, errs)
	}
	if _, errs, code = runCmd(t, string(data), "summarize", "--format", "v5", "-"); code != 0 || errs != "" {
		t.Errorf("--format v5: %d %q", code, errs)
	}
}

func TestInvestigate(t *testing.T) {
	out, _, code := runCmd(t, "", "investigate", "--list", "--format", "default")
	if code != 0 || !strings.Contains(out, "rejected-ssh-rdp") || !strings.Contains(out, "lacks ") || !strings.Contains(out, "NEEDS") {
		t.Fatalf("list: %d\n%s", code, out)
	}
	data, recs := genLog(t, 6, 5000, flowlog.DefaultFormat(), true)
	out, errs, code := runCmd(t, string(data), "investigate", "--json", "rejected-ssh-rdp", "traffic-from-address", "--param", "srcaddr="+recs[0].SrcAddr().String(), "-")
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	s := decodeSummary(t, out)
	if len(s.Tables) != 2 || s.Tables[0].Name != "rejected-ssh-rdp" || len(s.Tables[1].Rows) == 0 {
		t.Errorf("%s", out)
	}
	if _, errs, code = runCmd(t, string(data), "investigate", "traffic-from-address", "-"); code != 2 || !strings.Contains(errs, "--param srcaddr=") {
		t.Errorf("missing param: %d %s", code, errs)
	}
	// --all: every investigation without parameters the format answers.
	out, errs, code = runCmd(t, string(data), "investigate", "--all", "--json", "-")
	if code != 0 {
		t.Fatalf("--all: %d %s", code, errs)
	}
	var names []string
	for _, tab := range decodeSummary(t, out).Tables {
		names = append(names, tab.Name)
	}
	var want []string
	for _, inv := range summary.Answerable(flowlog.DefaultFormat()) {
		want = append(want, inv.Name)
	}
	if len(want) < 8 || strings.Join(names, ",") != strings.Join(want, ",") || strings.Contains(strings.Join(names, ","), "traffic-from-address") {
		t.Errorf("--all ran %q, want %q", names, want)
	}
}

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	v5, _ := flowlog.Preset("v5")
	data, recs := genLog(t, 7, 3000, v5, true)
	in := filepath.Join(dir, "in.log.gz")
	os.WriteFile(in, gzipped(t, data), 0o644)
	want := totalsOf(recs, nil)
	// Parquet to one file and back.
	pq := filepath.Join(dir, "out.parquet")
	if _, errs, code := runCmd(t, "", "convert", "--to", "parquet", "-o", pq, in); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ := runCmd(t, "", "summarize", "--json", pq)
	if s := decodeSummary(t, out); s.Totals != want {
		t.Errorf("parquet round trip: %+v", s.Totals)
	}
	// The Hive layout, read back as a directory.
	lake := filepath.Join(dir, "lake")
	if _, errs, code := runCmd(t, "", "convert", "--to", "parquet", "--out-dir", lake, "--hourly", in); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ = runCmd(t, "", "summarize", "--json", lake)
	if s := decodeSummary(t, out); s.Totals != want {
		t.Errorf("lake round trip: %+v", s.Totals)
	}
	r := recs[0]
	wantDir := filepath.Join(lake, filepath.FromSlash(s3layout.Layout{Hive: true, PerHour: true}.Dir(r.AccountID(), r.Region(), r.Start())))
	if ents, err := os.ReadDir(wantDir); err != nil || len(ents) == 0 || !strings.HasSuffix(ents[0].Name(), ".log.parquet") {
		t.Errorf("layout: %v %v", ents, err)
	}
	// CSV and JSON Lines, filtered.
	out, _, _ = runCmd(t, "", "convert", "--to", "csv", "--action", "REJECT", in)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != strings.Join(v5.Columns(), ",") || int64(len(lines)-1) != want.Rejected {
		t.Errorf("csv: %s ... %d rows, want %d", lines[0], len(lines)-1, want.Rejected)
	}
	out, _, _ = runCmd(t, "", "convert", "--to", "jsonl", in)
	if first := string(recs[0].AppendJSON(nil, v5)); !strings.HasPrefix(out, first+"\n") || strings.Count(out, "\n") != len(recs) {
		t.Errorf("jsonl: %.300s", out)
	}
	// Mixed formats: the other input is named.
	other, _ := genLog(t, 8, 10, flowlog.DefaultFormat(), true)
	os.WriteFile(filepath.Join(dir, "other.log"), other, 0o644)
	if _, errs, code := runCmd(t, "", "convert", "--to", "jsonl", in, filepath.Join(dir, "other.log")); code != 1 || !strings.Contains(errs, "other.log: format differs") {
		t.Errorf("mixed: %d %s", code, errs)
	}
}

func TestSummarizeS3(t *testing.T) {
	var deny atomic.Bool
	client := newFakeS3(t, "logs", func(r *http.Request) bool {
		return deny.Load() && r.URL.Query().Get("list-type") == "2" && strings.Contains(r.URL.RawQuery, "day%3D")
	})
	ctx := context.Background()
	data, recs := genLog(t, 9, 1000, flowlog.DefaultFormat(), true)
	key := s3layout.Layout{Hive: true}.Key("111122223333", "eu-west-1", "fl-1", recs[0].End(), "abcd1234")
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("logs"), Key: aws.String(key), Body: bytes.NewReader(gzipped(t, data))}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCmd(t, "", "summarize", "--json", "s3://logs/", "--since", recs[0].Start().Format("2006-01-02T15:04:05Z"))
	if code != 0 {
		t.Fatal(errs)
	}
	keep := func(r *flowlog.Record) bool { return r.EndUnix() >= recs[0].StartUnix() }
	if s := decodeSummary(t, out); s.Totals != totalsOf(recs, keep) {
		t.Errorf("%+v", s.Totals)
	}

	// An access error while listing a date folder: named, and with
	// --keep-going, skipped (status 3).
	deny.Store(true)
	_, errs, code = runCmd(t, "", "summarize", "--json", "s3://logs/", "--since", recs[0].Start().Format("2006-01-02T15:04:05Z"))
	if code != exitFailed || !strings.Contains(errs, "s3://logs/: listing s3://logs/AWSLogs/aws-account-id=111122223333/") || !strings.Contains(errs, "AccessDenied") {
		t.Errorf("denied: %d %s", code, errs)
	}
	_, errs, code = runCmd(t, "", "summarize", "--keep-going", "s3://logs/", "--since", recs[0].Start().Format("2006-01-02T15:04:05Z"))
	if code != exitSkipped || !strings.Contains(errs, "skipped 1 input") {
		t.Errorf("denied, --keep-going: %d %s", code, errs)
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"summarize", "investigate", "convert"} {
		out, _, code := runCmd(t, "", cmd, "--help")
		if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "Exit status") || !strings.Contains(out, "-keep-going") {
			t.Errorf("%s --help: %d\n%s", cmd, code, out)
		}
	}
	for _, cmd := range []string{"fields", "generate", "parse"} {
		if out, _, code := runCmd(t, "", cmd, "--help"); code != 0 || !strings.Contains(out, "Examples:") {
			t.Errorf("%s --help: %d\n%s", cmd, code, out)
		}
	}
	if _, errs, code := runCmd(t, "", "summarize", "--since", "yesterday", "x"); code != 2 || !strings.Contains(errs, "--since") {
		t.Errorf("bad --since: %d %s", code, errs)
	}
	if _, _, code := runCmd(t, "", "summarize", "--by", "nonsense", "x"); code != 2 {
		t.Errorf("bad --by: %d", code)
	}
}

func TestGenerate(t *testing.T) {
	out, _, code := runCmd(t, "", "generate", "--records", "500", "--format", "v5", "--start", "2026-11-30T10:00:00Z")
	if code != 0 || strings.Count(out, "\n") != 501 {
		t.Fatalf("%d: %d lines", code, strings.Count(out, "\n"))
	}
	js, errs, code := runCmd(t, out, "summarize", "--json", "--since", "2026-11-30T10:00:00Z", "--by", "direction", "-")
	if s := decodeSummary(t, js); code != 0 || s.Totals.Records != 500 || len(s.Tables[0].Rows) != 2 {
		t.Errorf("%d %s %s", code, errs, js)
	}
	if _, _, code := runCmd(t, "", "generate", "x"); code != exitUsage {
		t.Errorf("argument: %d", code)
	}
}

func TestSummarizeCloudWatchLogs(t *testing.T) {
	data, recs := genLog(t, 10, 300, flowlog.DefaultFormat(), false)
	groups := newFakeLogs(t, strings.Split(strings.TrimSpace(string(data)), "\n"))
	out, errs, code := runCmd(t, "", "summarize", "--json", "cwl:///vpc/flow-logs")
	if code != 0 || !strings.Contains(errs, "default format") {
		t.Fatalf("%d %s", code, errs)
	}
	if s := decodeSummary(t, out); s.Totals != totalsOf(recs, nil) || len(groups()) != 2 || groups()[0] != "/vpc/flow-logs" {
		t.Errorf("%+v, requests for %v", s.Totals, groups())
	}
}

// TestRegionalS3: requests for a bucket in another region than the
// configured one are signed for, and sent to, the bucket's region, which
// HeadBucket's x-amz-bucket-region header tells (here on a redirect, as
// S3 answers a request sent to the wrong region).
func TestRegionalS3(t *testing.T) {
	fake := gofakes3.New(s3mem.New()).Server()
	var mu sync.Mutex
	var scopes []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		mu.Lock()
		scopes = append(scopes, r.Method+" "+auth[strings.Index(auth, "/")+1:strings.Index(auth, ",")])
		mu.Unlock()
		if r.Method == http.MethodHead && !strings.Contains(auth, "/eu-west-3/") {
			w.Header().Set("X-Amz-Bucket-Region", "eu-west-3")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer ts.Close()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "s", ""), HTTPClient: ts.Client()}
	c := newRegionalS3(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(ts.URL); o.UsePathStyle = true })
	ctx := context.Background()
	if _, err := c.base.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("central")}); err != nil {
		t.Fatal(err)
	}
	scopes = nil
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("central")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("central")}); err != nil {
		t.Fatal(err)
	}
	if len(scopes) != 3 || !strings.HasPrefix(scopes[0], "HEAD ") || !strings.Contains(scopes[0], "/us-east-1/") ||
		!strings.Contains(scopes[1], "GET ") || !strings.Contains(scopes[1], "/eu-west-3/") || !strings.Contains(scopes[2], "/eu-west-3/") {
		t.Errorf("requests: %q", scopes)
	}
}

// TestInterrupted: a cancelled read (Ctrl-C) writes no summary and fails.
func TestInterrupted(t *testing.T) {
	data, _ := genLog(t, 11, 1000, flowlog.DefaultFormat(), true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	e := &env{stdin: bytes.NewReader(data), stdout: &out, stderr: &errb}
	if code := runSummarize(ctx, []string{"-"}, e); code != exitFailed || out.Len() != 0 || !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("%d %q %q", code, out.String(), errb.String())
	}
}

// TestConvertNeverOverwrites: a second run into the same --out-dir adds
// files beside the first run's (the directory then holds both runs'
// records); a failed -o run leaves no file, or the earlier one untouched.
func TestConvertNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	data, recs := genLog(t, 11, 500, flowlog.DefaultFormat(), true)
	in := filepath.Join(dir, "in.log")
	os.WriteFile(in, data, 0o644)
	lake := filepath.Join(dir, "lake")
	// The default format has no region: without --region, a usage error
	// before anything is read or written.
	if _, errs, code := runCmd(t, "", "convert", "--to", "parquet", "--out-dir", lake, in); code != exitUsage ||
		errs != "flowlog convert: --out-dir: the format of "+in+" has no region: give --region\n" {
		t.Errorf("no --region: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(lake); !os.IsNotExist(err) {
		t.Errorf("no --region: the directory was made (%v)", err)
	}
	for range 2 {
		if _, errs, code := runCmd(t, "", "convert", "--to", "parquet", "--region", "eu-west-1", "--out-dir", lake, in); code != 0 {
			t.Fatal(errs)
		}
	}
	out, _, _ := runCmd(t, "", "summarize", "--json", lake)
	want := totalsOf(recs, nil)
	if s := decodeSummary(t, out); s.Totals.Records != 2*want.Records {
		t.Errorf("two runs into one directory hold %d records, want %d", s.Totals.Records, 2*want.Records)
	}

	bad := filepath.Join(dir, "bad.log")
	os.WriteFile(bad, append(append([]byte(nil), data...), "not a flow log line\n"...), 0o644)
	outFile := filepath.Join(dir, "out.jsonl")
	if _, errs, code := runCmd(t, "", "convert", "--to", "jsonl", "-o", outFile, bad); code == 0 {
		t.Fatalf("a bad line converted: %s", errs)
	}
	if _, err := os.Stat(outFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed run left %s: %v", outFile, err)
	}
	if _, errs, code := runCmd(t, "", "convert", "--to", "jsonl", "-o", outFile, in); code != 0 {
		t.Fatal(errs)
	}
	good, _ := os.ReadFile(outFile)
	runCmd(t, "", "convert", "--to", "jsonl", "-o", outFile, bad)
	if again, _ := os.ReadFile(outFile); !bytes.Equal(again, good) || len(good) == 0 {
		t.Errorf("a failed run changed %s: %d bytes, were %d", outFile, len(again), len(good))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("temporary files left: %v", ents)
	}
}

// TestOutputAndInterfaceFlags: --json and --csv are plain bools
// (--json=false is the table), both at once is a usage error, and an
// --interface that is no ENI ID is refused, not a filter matching nothing.
func TestOutputAndInterfaceFlags(t *testing.T) {
	data, _ := genLog(t, 12, 20, flowlog.DefaultFormat(), true)
	in := filepath.Join(t.TempDir(), "in.log")
	os.WriteFile(in, data, 0o644)
	table, _, _ := runCmd(t, "", "summarize", in)
	if out, errs, code := runCmd(t, "", "summarize", "--json=false", in); code != 0 || out != table {
		t.Errorf("--json=false: exit %d, %.80q %s", code, out, errs)
	}
	for _, cmd := range [][]string{{"summarize"}, {"investigate", "rejected-traffic"}} {
		_, errs, code := runCmd(t, "", append(cmd, "--json", "--csv", in)...)
		if code != exitUsage || !strings.Contains(errs, "--json and --csv: give one") {
			t.Errorf("%s --json --csv: exit %d, %s", cmd[0], code, errs)
		}
	}
	_, errs, code := runCmd(t, "", "summarize", "--interface", "foo", in)
	if code != exitUsage || !strings.Contains(errs, `--interface "foo": want a network interface ID`) {
		t.Errorf("--interface foo: exit %d, %s", code, errs)
	}
	if _, errs, code := runCmd(t, "", "summarize", "--interface", "eni-0a1b2c3d", in); code != 0 {
		t.Errorf("--interface eni-0a1b2c3d: exit %d, %s", code, errs)
	}
	_, errs, code = runCmd(t, "", "summarize", "--top", "-1", in)
	if code != exitUsage || strings.Contains(errs, "--sort") || !strings.Contains(errs, "--top -1") {
		t.Errorf("--top -1: exit %d, %s", code, errs)
	}
}

// TestMessagesSayWhatIsWrong: an unknown investigation is called one,
// with the name meant; convert's JSON Lines and CSV read back are named
// as such; an output directory that does not exist is found before any
// input is read, and named as given.
func TestMessagesSayWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	data, _ := genLog(t, 13, 20, flowlog.DefaultFormat(), true)
	in := filepath.Join(dir, "in.log")
	os.WriteFile(in, data, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"investigate", "nosuch", in}, `unknown investigation "nosuch" (names from`},
		{[]string{"investigate", "rejectd-traffic", in}, `unknown investigation "rejectd-traffic" (did you mean "rejected-traffic"?)`},
	} {
		if _, errs, code := runCmd(t, "", tc.args...); code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, %s", tc.args, code, errs)
		}
	}
	for _, to := range []string{"jsonl", "csv"} {
		out := filepath.Join(dir, "out."+to)
		if _, errs, code := runCmd(t, "", "convert", "--to", to, "-o", out, in); code != 0 {
			t.Fatal(errs)
		}
		if _, errs, code := runCmd(t, "", "summarize", out); code != exitFailed || !strings.Contains(errs, out+": JSON Lines or CSV written by flowlog convert, not a flow-log input") {
			t.Errorf("reading back %s: exit %d, %s", to, code, errs)
		}
	}
	// A missing input too: the output is checked first.
	_, errs, code := runCmd(t, "", "report", "-o", "/nonexistent/dir/x.html", in, filepath.Join(dir, "missing.log"))
	if code != exitFailed || strings.TrimSpace(errs) != "flowlog report: create /nonexistent/dir/x.html: no such file or directory" {
		t.Errorf("report -o into a missing directory: exit %d, %s", code, errs)
	}
}
