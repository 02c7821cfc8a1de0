package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestInvestigateWithoutPackets: a format without ${packets} answers every investigation that
// does not order by packets; --list says so and shows what each really needs, and the tables
// have no packets column.
func TestInvestigateWithoutPackets(t *testing.T) {
	spec := "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end} ${action} ${log-status}"
	out, _, code := runCmd(t, "", "investigate", "--list", "--format", spec)
	if code != 0 {
		t.Fatalf("list: %d\n%s", code, out)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 3 {
			rows[f[0]] = f
		}
	}
	if r := rows["top-talkers"]; len(r) < 5 || r[1] != "srcaddr,bytes" || r[3] != "any" || r[4] != "ok" {
		t.Errorf("top-talkers row: %q", r)
	}
	if r := rows["top-talkers-packet-level"]; len(r) < 6 || r[4] != "lacks" || r[5] != "pkt-srcaddr" {
		t.Errorf("top-talkers-packet-level row: %q", r)
	}
	// ACTIONS: what it can count, from its filter.
	if r := rows["accepted-tcp-traffic"]; len(r) < 4 || r[3] != "ACCEPT" {
		t.Errorf("accepted-tcp-traffic row: %q", r)
	}
	if r := rows["rejected-ssh-rdp"]; len(r) < 4 || r[3] != "REJECT" {
		t.Errorf("rejected-ssh-rdp row: %q", r)
	}
	format, err := flowlog.ParseFormat(spec)
	if err != nil {
		t.Fatal(err)
	}
	data, recs := genLog(t, 9, 2000, format, true)
	out, errs, code := runCmd(t, string(data), "investigate", "--json", "top-talkers", "rejected-traffic", "-")
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	s := decodeSummary(t, out)
	if len(s.Tables) != 2 {
		t.Fatalf("%s", out)
	}
	var bytes int64
	for _, tab := range s.Tables {
		if slices.Contains(tab.Columns, "packets") || len(tab.Rows) == 0 {
			t.Errorf("%s: columns %v, %d rows", tab.Name, tab.Columns, len(tab.Rows))
		}
	}
	for _, r := range s.Tables[0].Rows {
		bytes += int64(r["bytes"].(float64))
	}
	if want := totalsOf(recs, nil).Bytes; bytes == 0 || bytes > want {
		t.Errorf("top-talkers bytes %d, all records %d", bytes, want)
	}
}
