package test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
)

// customFormat is a hand-written format with fields from versions 2 to 5, in a non-default order.
const customFormat = "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${flow-direction} " +
	"${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} " +
	"${traffic-path} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// variants are the meaningful configurations of the app, each with a golden template in
// testdata/<name>.template.json. `go test ./test -update` rewrites them.
var variants = []struct {
	name    string
	context map[string]any
}{
	{"default", nil},
	{"s3-parquet-hive-hourly", map[string]any{
		"destinations": "s3", "s3FileFormat": "parquet", "s3HiveCompatiblePartitions": "true",
		"s3PerHourPartition": "true", "s3KeyPrefix": "flow-logs/prod",
	}},
	// analytics=off: this golden is byte for byte the template of the app before the analytics.
	{"cloudwatch-only", map[string]any{
		"destinations": "cloudwatch-logs", "retentionDays": "731", "maxAggregationInterval": "60",
		"trafficType": "REJECT", "analytics": "off",
	}},
	{"custom-format", map[string]any{
		"logFormat": customFormat, "tags": `{"team":"netsec","cost-center":"1234"}`,
		"removalPolicy": "destroy",
	}},
	{"all-fields", map[string]any{"logFormat": "all", "ecsPermissionsGranted": "true", "destinations": "s3", "s3FileFormat": "parquet",
		"tagFields": `{"instance":["Name","team"],"network-interface":["Name"],"auto-scaling-group":["aws:autoscaling:groupName"]}`}},
	{"hardened", map[string]any{"hardened": "true", "logFormat": "security", "maxAggregationInterval": "60"}},
	// Every analytics setting away from its default, with a custom format.
	{"analytics-options", analyticsOptions},
}

func TestSnapshots(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := synthApp(t, v.context)
			got, err := cdktest.Normalize(s.json)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", v.name+".template.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./test -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s differs from the synthesized template; review the change and run go test ./test -update\n%s",
					path, cdktest.Diff(want, got))
			}
		})
	}
}

// TestGoldenFormatsRoundTrip holds every flow log in every golden template to the field
// registry: its LogFormat parses with flowlog.ParseFormat, prints back identically, and records
// generated in that format survive Writer then Reader unchanged.
func TestGoldenFormatsRoundTrip(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.template.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden templates (%v)", err)
	}
	flowLogs := 0
	for _, path := range paths {
		for id, format := range goldenLogFormats(t, path) {
			flowLogs++
			f, err := flowlog.ParseFormat(format)
			if err != nil {
				t.Errorf("%s %s: LogFormat does not parse: %v", path, id, err)
				continue
			}
			if f.String() != format {
				t.Errorf("%s %s: LogFormat %q prints back as %q", path, id, format, f.String())
			}
			roundTrip(t, path+" "+id, f)
		}
	}
	if flowLogs < len(variants) {
		t.Errorf("found %d flow logs in %d golden templates; every variant has at least one", flowLogs, len(paths))
	}
}

func roundTrip(t *testing.T, name string, f flowlog.Format) {
	t.Helper()
	gen := flowlog.NewGenerator(42, f)
	want := make([]flowlog.Record, 200)
	var buf bytes.Buffer
	w := flowlog.NewWriter(&buf, f)
	w.Header = true
	for i := range want {
		gen.Next(&want[i])
		if err := w.Write(&want[i]); err != nil {
			t.Fatalf("%s: write: %v", name, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r := flowlog.NewReader(&buf)
	for i := range want {
		got, err := r.Read()
		if err != nil {
			t.Fatalf("%s: record %d: %v", name, i, err)
		}
		if got != want[i] {
			t.Fatalf("%s: record %d changed in the round trip:\n want %s\n got  %s", name, i,
				want[i].AppendText(nil, f), got.AppendText(nil, f))
		}
	}
	if _, err := r.Read(); !errors.Is(err, io.EOF) {
		t.Errorf("%s: after the last record: %v, want io.EOF", name, err)
	}
}
