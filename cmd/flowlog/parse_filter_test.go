package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestParseFilters: parse's filter flags keep exactly the records that
// summarize counts with the same flags (one compilation, summary.Filter),
// and exactly those the compiled condition matches, in input order.
func TestParseFilters(t *testing.T) {
	f := flowlog.DefaultFormat()
	var in bytes.Buffer
	w := flowlog.NewWriter(&in, f)
	w.Header = true
	g := flowlog.NewGenerator(5, f)
	recs := make([]flowlog.Record, 3000)
	for i := range recs {
		g.Next(&recs[i])
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	iface := recs[7].InterfaceID()
	mid := time.Unix(recs[1500].StartUnix(), 0).UTC().Format(time.RFC3339)
	for _, args := range [][]string{
		{"--action", "REJECT"},
		{"--port", "22,80", "--protocol", "tcp"},
		{"--protocol", "udp", "--action", "accept"},
		{"--src", "10.0.0.0/8"},
		{"--dst", "2001:db8::/32"},
		{"--interface", iface},
		{"--since", mid},
		{"--until", mid, "--action", "ACCEPT", "--port", "1024-2000"},
	} {
		var flags recordFilterFlags
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		flags.register(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		flt, err := flags.filter(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		where := flt.Cond()
		var want []byte
		n := 0
		for i := range recs {
			if where.Match(&recs[i]) {
				want = append(recs[i].AppendJSON(want, f), '\n')
				n++
			}
		}
		if n == 0 || n == len(recs) {
			t.Fatalf("%v: %d of %d records match; the test needs a filter that filters", args, n, len(recs))
		}
		out, errs, code := runCmd(t, in.String(), append(append([]string{"parse"}, args...), "-")...)
		if code != 0 || errs != "" || out != string(want) {
			t.Errorf("parse %v: status %d, stderr %q, %d lines, want %d", args, code, errs, strings.Count(out, "\n"), n)
		}
		sum, errs, code := runCmd(t, in.String(), append(append([]string{"summarize", "--json"}, args...), "-")...)
		var got struct{ Totals struct{ Records int } }
		if code != 0 || json.Unmarshal([]byte(sum), &got) != nil || got.Totals.Records != n {
			t.Errorf("summarize %v: status %d, stderr %q, %d records, parse kept %d", args, code, errs, got.Totals.Records, n)
		}
	}
}

func TestParseFilterErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"bad action", "", []string{"parse", "--action", "DENY", "-"}, exitUsage,
			"flowlog parse: bad filter value: action \"DENY\": want ACCEPT or REJECT\n"},
		{"bad prefix", "", []string{"parse", "--src", "10.0.0.0/33", "-"}, exitUsage,
			"flowlog parse: bad filter value: \"10.0.0.0/33\": want an IPv4 or IPv6 CIDR prefix or address\n"},
		{"since after until", "", []string{"parse", "--since", "2024-03-02", "--until", "2024-03-01", "-"}, exitUsage,
			"flowlog parse: --since 2024-03-02T00:00:00Z is not before --until 2024-03-01T00:00:00Z\n"},
		{"format lacks the field", "1.2.3.4 80\n", []string{"parse", "--format", "srcaddr srcport", "--action", "REJECT", "-"}, 1,
			"-: format lacks fields: the filter needs action\n"},
	} {
		out, errs, code := runCmd(t, tt.stdin, tt.args...)
		if code != tt.code || errs != tt.stderr || out != "" {
			t.Errorf("%s: status %d (want %d), stdout %q\nstderr %q\nwant   %q", tt.name, code, tt.code, out, errs, tt.stderr)
		}
	}
}
