package duckdbtest_test

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/duckdbtest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

const (
	account = "123456789012"
	region  = "us-east-1"
	bucket  = "flow-bucket"
	t0      = 1_700_000_000 // the generator's first start
)

// hand describes records that hit every filter of the catalogue, whatever
// the generator happens to produce: field name -> text.
var hand = []map[string]string{
	// Rejected SSH and RDP, IPv4 and IPv6.
	{"srcaddr": "198.51.100.7", "dstaddr": "10.0.0.5", "srcport": "50022", "dstport": "22", "protocol": "6", "action": "REJECT", "packets": "3", "bytes": "180", "tcp-flags": "2", "flow-direction": "ingress", "type": "IPv4"},
	{"srcaddr": "198.51.100.7", "dstaddr": "10.0.0.6", "srcport": "50023", "dstport": "3389", "protocol": "6", "action": "REJECT", "packets": "2", "bytes": "120", "flow-direction": "ingress"},
	{"srcaddr": "2001:db8::66", "dstaddr": "2001:db8:1::5", "srcport": "40000", "dstport": "22", "protocol": "6", "action": "REJECT", "packets": "1", "bytes": "80", "type": "IPv6", "flow-direction": "ingress"},
	{"srcaddr": "2001:db8::66", "dstaddr": "2001:db8:1::5", "srcport": "40001", "dstport": "3389", "protocol": "6", "action": "ACCEPT", "packets": "9", "bytes": "900", "type": "IPv6", "flow-direction": "ingress"},
	// Accepted SSH, admin ports, UDP rejected.
	{"srcaddr": "10.0.0.5", "dstaddr": "10.0.1.9", "srcport": "41000", "dstport": "22", "protocol": "6", "action": "ACCEPT", "packets": "40", "bytes": "6000", "flow-direction": "egress", "traffic-path": "1"},
	{"srcaddr": "203.0.113.9", "dstaddr": "10.0.0.5", "srcport": "41001", "dstport": "5900", "protocol": "6", "action": "ACCEPT", "packets": "12", "bytes": "1500"},
	{"srcaddr": "203.0.113.9", "dstaddr": "10.0.0.5", "srcport": "41002", "dstport": "23", "protocol": "6", "action": "REJECT", "packets": "1", "bytes": "60"},
	{"srcaddr": "203.0.113.10", "dstaddr": "10.0.0.5", "srcport": "53", "dstport": "5986", "protocol": "17", "action": "REJECT", "packets": "1", "bytes": "70"},
	// Egress through an internet gateway and peering, to AWS services.
	{"srcaddr": "10.0.0.5", "dstaddr": "52.216.1.1", "pkt-dstaddr": "52.216.1.1", "srcport": "41003", "dstport": "443", "protocol": "6", "action": "ACCEPT", "packets": "100", "bytes": "150000", "flow-direction": "egress", "traffic-path": "8", "pkt-dst-aws-service": "S3"},
	{"srcaddr": "10.0.0.5", "dstaddr": "10.9.0.1", "srcport": "41004", "dstport": "5432", "protocol": "6", "action": "ACCEPT", "packets": "10", "bytes": "1000", "flow-direction": "egress", "traffic-path": "4"},
	{"srcaddr": "54.239.1.1", "pkt-srcaddr": "54.239.1.1", "dstaddr": "10.0.0.5", "srcport": "443", "dstport": "41005", "protocol": "6", "action": "ACCEPT", "packets": "50", "bytes": "70000", "flow-direction": "ingress", "pkt-src-aws-service": "DYNAMODB"},
	// A requester-managed interface: no instance.
	{"srcaddr": "10.0.0.7", "dstaddr": "10.0.0.8", "srcport": "41006", "dstport": "443", "protocol": "6", "action": "ACCEPT", "packets": "5", "bytes": "500", "instance-id": "-"},
	// NODATA and SKIPDATA lines: "-" in the packet fields.
	{"log-status": "NODATA", "interface-id": "eni-00000000000000nd1"},
	{"log-status": "NODATA", "interface-id": "eni-00000000000000nd1"},
	{"log-status": "SKIPDATA", "interface-id": "eni-00000000000000sk1"},
	// The next day, another hour.
	{"srcaddr": "198.51.100.7", "dstaddr": "10.0.0.5", "srcport": "50024", "dstport": "22", "protocol": "6", "action": "REJECT", "packets": "3", "bytes": "180", "day": "1"},
	{"srcaddr": "2001:db8::66", "dstaddr": "2001:db8:1::5", "srcport": "40002", "dstport": "443", "protocol": "6", "action": "ACCEPT", "packets": "7", "bytes": "7000", "day": "1"},
	// Egress through a NAT gateway (path 1, public destination), IPv4 and IPv6.
	{"srcaddr": "10.0.0.9", "dstaddr": "198.51.100.80", "srcport": "41010", "dstport": "443", "protocol": "6", "action": "ACCEPT", "packets": "30", "bytes": "42000", "flow-direction": "egress", "traffic-path": "1"},
	{"srcaddr": "2001:db8:1::9", "dstaddr": "2001:db8:ff::1", "srcport": "41011", "dstport": "443", "protocol": "6", "action": "ACCEPT", "packets": "3", "bytes": "4000", "flow-direction": "egress", "traffic-path": "1"},
}

// records returns generated records of format f plus the hand-built ones,
// each hand-built one starting from a generated record so that the
// fields it does not set are plausible.
func records(f flowlog.Format, n int) ([]flowlog.Record, error) {
	all := flowlog.AllFields()
	g := flowlog.NewGenerator(42, all)
	out := make([]flowlog.Record, 0, n+len(hand))
	for range n {
		out = append(out, g.Record())
	}
	for i, h := range hand {
		r := g.Record()
		start := int64(t0 + 600 + 37*i)
		if h["day"] == "1" {
			start += 86400 + 3600*int64(i%3)
		}
		set := map[string]string{"start": fmt.Sprint(start), "end": fmt.Sprint(start + 30), "log-status": "OK"}
		if s := h["log-status"]; s == "NODATA" || s == "SKIPDATA" {
			for _, fld := range []flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr, flowlog.SrcPort, flowlog.DstPort, flowlog.Protocol,
				flowlog.Packets, flowlog.Bytes, flowlog.Action, flowlog.TCPFlags, flowlog.Type, flowlog.PktSrcAddr, flowlog.PktDstAddr,
				flowlog.FlowDirection, flowlog.TrafficPath, flowlog.PktSrcAWSService, flowlog.PktDstAWSService} {
				set[fld.Name()] = "-"
			}
		}
		for k, v := range h {
			if k != "day" {
				set[k] = v
			}
		}
		// Packet-level addresses follow the interface's unless given.
		if _, ok := h["pkt-srcaddr"]; !ok && set["srcaddr"] != "" {
			set["pkt-srcaddr"] = set["srcaddr"]
		}
		if _, ok := h["pkt-dstaddr"]; !ok && set["dstaddr"] != "" {
			set["pkt-dstaddr"] = set["dstaddr"]
		}
		for k, v := range set {
			fld, ok := flowlog.FieldByName(k)
			if !ok {
				return nil, fmt.Errorf("hand record %d: unknown field %s", i, k)
			}
			if err := r.SetText(fld, v); err != nil {
				return nil, fmt.Errorf("hand record %d: %w", i, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func formats(t *testing.T) map[string]flowlog.Format {
	t.Helper()
	out := map[string]flowlog.Format{}
	for _, n := range []string{"default", "all", "security", "cost", "v5"} {
		f, ok := flowlog.Preset(n)
		if !ok {
			t.Fatalf("no preset %s", n)
		}
		out[n] = f
	}
	// A custom order, with the v4 region data column next to the
	// aws_region partition.
	custom, err := flowlog.ParseFormat("${log-status} ${dstport} ${srcaddr} ${action} ${bytes} ${start} ${end} ${interface-id} ${protocol} ${packets} ${dstaddr} ${region} ${instance-id} ${pkt-dst-aws-service}")
	if err != nil {
		t.Fatal(err)
	}
	out["custom"] = custom
	return out
}

// adHoc are investigations built with the exported constructors, to run
// every kind of condition through both engines.
func adHoc() []investigations.Investigation {
	since := time.Unix(t0+300, 0)
	until := time.Unix(t0+86400*2, 0)
	return []investigations.Investigation{
		investigations.TopN([]flowlog.Field{flowlog.DstAddr}, investigations.Packets, 20,
			investigations.InPrefix(flowlog.SrcAddr, netip.MustParsePrefix("10.0.0.0/8"))),
		investigations.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 20,
			investigations.InPrefix(flowlog.SrcAddr, netip.MustParsePrefix("2001:db8::/32"))),
		investigations.TopN([]flowlog.Field{flowlog.DstPort, flowlog.Action}, investigations.Records, 25,
			investigations.And(investigations.TimeRange(flowlog.Start, since, until),
				investigations.Between(flowlog.DstPort, 1, 1023),
				investigations.Not(investigations.Equal(flowlog.Protocol, "17")))),
		investigations.TopN([]flowlog.Field{flowlog.Protocol}, investigations.Bytes, 0,
			investigations.Or(investigations.Compare(flowlog.Bytes, investigations.Gt, 100000),
				investigations.Equal(flowlog.LogStatus, "SKIPDATA"))),
		investigations.TopN(nil, investigations.Bytes, 0, investigations.Not(investigations.Present(flowlog.Action))),
	}
}

// paramValues are parameter values to run parameterised investigations
// with: addresses of the hand-built records (some spelled unusually:
// addresses compare as addresses), and one no record has.
var paramValues = []string{"198.51.100.7", "2001:db8::66", "2001:0DB8:0000::0066", "10.0.0.5", "::ffff:10.0.0.5", "192.0.2.254"}

// TestAthenaSQLEqualsEvaluator writes generated and hand-built records as
// the S3 destination would, for several formats, both file formats and
// all 8 prefix/Hive/per-hour layouts, creates the table from
// athena.NewTable in DuckDB, and checks that every investigation's Athena
// SQL returns exactly the native evaluator's rows.
func TestAthenaSQLEqualsEvaluator(t *testing.T) {
	db, err := duckdbtest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() //nolint:errcheck
	fmts := formats(t)
	names := []string{"default", "all", "security", "cost", "v5", "custom"}
	layouts := allLayouts()
	n := 0
	for i, name := range names {
		f := fmts[name]
		recs, err := records(f, 4000)
		if err != nil {
			t.Fatal(err)
		}
		for j, parquet := range []bool{false, true} {
			// Text and Parquet each see daily and hourly, plain and Hive,
			// with and without prefix; together all 8 layouts.
			l := layouts[[2][6]int{{0, 3, 5, 6, 1, 7}, {1, 2, 4, 7, 6, 0}}[j][i]]
			l.Parquet = parquet
			t.Run(fmt.Sprintf("%s/%s", name, layoutName(l)), func(t *testing.T) {
				ds, err := duckdbtest.Write(t.TempDir(), bucket, f, l, account, region, recs)
				if err != nil {
					t.Fatal(err)
				}
				tbl, err := athena.NewTable(f, l, bucket, []string{account, "210987654321"}, []string{region, "eu-west-1"})
				if err != nil {
					t.Fatal(err)
				}
				if err := db.CreateTable("flows", tbl, ds); err != nil {
					t.Fatal(err)
				}
				var read []flowlog.Record
				if err := ds.Records(func(r *flowlog.Record) { read = append(read, r.Clone()) }); err != nil {
					t.Fatal(err)
				}
				if len(read) != len(recs) {
					t.Fatalf("read back %d records, wrote %d", len(read), len(recs))
				}
				invs, err := investigations.Select(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, inv := range append(invs, adHoc()...) {
					if len(inv.Missing(f)) > 0 {
						continue
					}
					argSets := [][]string{nil}
					if len(inv.Params()) == 1 {
						argSets = nil
						for _, v := range paramValues {
							argSets = append(argSets, []string{v})
						}
					}
					for _, args := range argSets {
						compare(t, db, ds.Format, read, inv, args)
						n++
					}
				}
			})
		}
	}
	t.Logf("%d investigation runs compared", n)
}

func compare(t *testing.T, db *duckdbtest.DB, f flowlog.Format, recs []flowlog.Record, inv investigations.Investigation, args []string) {
	t.Helper()
	ev, err := inv.NewEvaluator(f, args...)
	if err != nil {
		t.Fatalf("%s: %v", inv.Name, err)
	}
	for i := range recs {
		ev.Add(&recs[i])
	}
	want := ev.Result()
	q, err := inv.AthenaSQL("flows", f)
	if err != nil {
		t.Fatalf("%s: %v", inv.Name, err)
	}
	qargs := make([]any, len(args))
	for i, a := range args {
		qargs[i] = a
	}
	cols, rows, err := db.Query(q, qargs...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", inv.Name, err, q)
	}
	if !reflect.DeepEqual(cols, want.Columns) {
		t.Errorf("%s: columns %q, evaluator %q", inv.Name, cols, want.Columns)
		return
	}
	if len(rows) != len(want.Rows) {
		t.Errorf("%s %v: %d rows, evaluator %d\n%s\nsql: %v\nevaluator: %v", inv.Name, args, len(rows), len(want.Rows), q, head(rows), head(want.Rows))
		return
	}
	for i := range rows {
		if !reflect.DeepEqual(rows[i], want.Rows[i]) {
			t.Errorf("%s %v: row %d\n sql:       %#v\n evaluator: %#v\n%s", inv.Name, args, i, rows[i], want.Rows[i], q)
			return
		}
	}
	if len(want.Rows) == 0 && len(args) == 0 && !strings.HasPrefix(inv.Name, "top-") {
		t.Errorf("%s: no rows: the test data should hit every investigation", inv.Name)
	}
}

func head(rows [][]any) [][]any {
	if len(rows) > 5 {
		return rows[:5]
	}
	return rows
}

func allLayouts() []s3layout.Layout {
	var out []s3layout.Layout
	for _, prefix := range []string{"", "org/flow-logs"} {
		for _, hive := range []bool{false, true} {
			for _, hour := range []bool{false, true} {
				out = append(out, s3layout.Layout{Prefix: prefix, Hive: hive, PerHour: hour})
			}
		}
	}
	return out
}

func layoutName(l s3layout.Layout) string {
	var parts []string
	if l.Prefix != "" {
		parts = append(parts, "prefix")
	}
	if l.Hive {
		parts = append(parts, "hive")
	} else {
		parts = append(parts, "plain")
	}
	if l.PerHour {
		parts = append(parts, "hourly")
	}
	if l.Parquet {
		parts = append(parts, "parquet")
	} else {
		parts = append(parts, "text")
	}
	return strings.Join(parts, "-")
}

// TestPartitionPredicateSelectsTheFolders checks in DuckDB that
// athena.Table.PartitionPredicate keeps exactly the objects in the
// folders s3layout lists for the range: the SQL with the predicate equals
// the evaluator over those objects' records only.
func TestPartitionPredicateSelectsTheFolders(t *testing.T) {
	db, err := duckdbtest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() //nolint:errcheck
	f, _ := flowlog.Preset("v5")
	recs, err := records(f, 1200)
	if err != nil {
		t.Fatal(err)
	}
	// The generated records span 2023-11-14 22:13Z to ~23:05Z; hand-built
	// ones sit at 2023-11-15 22:xx and 23:xx and 2023-11-16 00:xx. Daily
	// layouts take 2023-11-15; hourly ones 2023-11-14 23:00 to 2023-11-15
	// 22:59 (partial days at both ends).
	for _, l := range allLayouts() {
		since := time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)
		until := time.Date(2023, 11, 15, 23, 59, 0, 0, time.UTC)
		if l.PerHour {
			since = time.Date(2023, 11, 14, 23, 0, 0, 0, time.UTC)
			until = time.Date(2023, 11, 15, 22, 59, 0, 0, time.UTC)
		}
		t.Run(layoutName(l), func(t *testing.T) {
			ds, tbl := flowsTable(t, db, f, l, recs)
			pred, err := tbl.PartitionPredicate(since, until)
			if err != nil {
				t.Fatal(err)
			}
			read := keptRecords(t, ds, l, since, until, "range")
			for _, name := range []string{"top-talkers", "bytes-per-hour", "rejected-ssh-rdp"} {
				inv, _ := investigations.Lookup(name)
				ev, _ := inv.NewEvaluator(f)
				for i := range read {
					ev.Add(&read[i])
				}
				want := ev.Result()
				q, err := inv.AthenaSQLWhere("flows", f, pred)
				if err != nil {
					t.Fatal(err)
				}
				_, rows, err := db.Query(q)
				if err != nil {
					t.Fatalf("%v\n%s", err, q)
				}
				if !reflect.DeepEqual(rows, want.Rows) {
					t.Errorf("%s: %d rows, evaluator over the kept objects %d\n%s", name, len(rows), len(want.Rows), q)
				}
			}
		})
	}
}

// TestRecentDaysPredicateKeepsTheWindow checks in DuckDB that the default
// window of the saved queries (athena.Table.RecentDaysPredicate, relative
// to current_date) keeps exactly the objects of those days' folders, in
// every layout: each investigation's SQL with it still runs and equals
// the evaluator over the records inside the window. current_date is
// pinned to 2023-11-16, the last day of the test data.
func TestRecentDaysPredicateKeepsTheWindow(t *testing.T) {
	db, err := duckdbtest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() //nolint:errcheck
	f, _ := flowlog.Preset("v5")
	recs, err := records(f, 1200)
	if err != nil {
		t.Fatal(err)
	}
	// Generated records sit on 2023-11-14, hand-built ones on 2023-11-15
	// and 2023-11-16 (see TestPartitionPredicateSelectsTheFolders): one
	// day back from 2023-11-16 keeps the last two days.
	now := time.Date(2023, 11, 16, 0, 0, 0, 0, time.UTC)
	since, until := now.AddDate(0, 0, -1), now.Add(24*time.Hour-time.Minute)
	invs, err := investigations.Select(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range allLayouts() {
		t.Run(layoutName(l), func(t *testing.T) {
			ds, tbl := flowsTable(t, db, f, l, recs)
			pred, err := tbl.RecentDaysPredicate(1)
			if err != nil {
				t.Fatal(err)
			}
			pred = strings.ReplaceAll(pred, "current_date", "DATE '"+now.Format("2006-01-02")+"'")
			read := keptRecords(t, ds, l, since, until, "window")
			nonEmpty := 0
			defer func() {
				if nonEmpty == 0 {
					t.Error("every query is empty in the window: the test shows nothing")
				}
			}()
			for _, inv := range invs {
				var args []string
				if len(inv.Params()) == 1 {
					args = []string{paramValues[0]}
				}
				ev, err := inv.NewEvaluator(f, args...)
				if err != nil {
					t.Fatal(err)
				}
				for i := range read {
					ev.Add(&read[i])
				}
				want := ev.Result()
				q, err := inv.AthenaSQLWhere("flows", f, pred)
				if err != nil {
					t.Fatal(err)
				}
				qargs := make([]any, len(args))
				for i, a := range args {
					qargs[i] = a
				}
				_, rows, err := db.Query(q, qargs...)
				if err != nil {
					t.Fatalf("%s: %v\n%s", inv.Name, err, q)
				}
				if len(rows) != len(want.Rows) || len(rows) > 0 && !reflect.DeepEqual(rows, want.Rows) {
					t.Errorf("%s: %d rows, evaluator over the window's objects %d\n%s", inv.Name, len(rows), len(want.Rows), q)
				}
				nonEmpty += len(rows)
			}
		})
	}
}

// flowsTable writes recs as S3 delivery would in layout l and creates the
// table "flows" over them in db, as Athena's DDL for that layout says.
func flowsTable(t *testing.T, db *duckdbtest.DB, f flowlog.Format, l s3layout.Layout, recs []flowlog.Record) (duckdbtest.Dataset, athena.Table) {
	t.Helper()
	ds, err := duckdbtest.Write(t.TempDir(), bucket, f, l, account, region, recs)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := athena.NewTable(f, l, bucket, []string{account}, []string{region})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateTable("flows", tbl, ds); err != nil {
		t.Fatal(err)
	}
	return ds, tbl
}

// keptRecords returns the records of the objects of ds in the folders of
// the time range (since, until), which must keep some objects but not all
// (what names the range in the message).
func keptRecords(t *testing.T, ds duckdbtest.Dataset, l s3layout.Layout, since, until time.Time, what string) []flowlog.Record {
	t.Helper()
	kept := ds
	kept.Keys = nil
	for _, k := range ds.Keys {
		for _, d := range l.Dirs(account, region, since, until) {
			if strings.HasPrefix(k, d) {
				kept.Keys = append(kept.Keys, k)
			}
		}
	}
	if len(kept.Keys) == 0 || len(kept.Keys) == len(ds.Keys) {
		t.Fatalf("the %s keeps %d of %d objects; it should keep some", what, len(kept.Keys), len(ds.Keys))
	}
	var read []flowlog.Record
	if err := kept.Records(func(r *flowlog.Record) { read = append(read, r.Clone()) }); err != nil {
		t.Fatal(err)
	}
	return read
}
