package summary_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/duckdbtest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

type sink struct{ s *summary.Summarizer }

func (k sink) Begin(_ source.Input, f flowlog.Format) error { return k.s.Begin(f) }
func (k sink) Add(r *flowlog.Record)                        { k.s.Add(r) }

// TestSummaryEqualsAthenaSQL runs what `flowlog summarize` runs (objects
// laid out as the S3 destination writes them, read by package source on
// two workers, filtered, summarized per worker and merged) and checks
// every table against the Athena SQL of the same investigation, filter
// included, run in DuckDB over the same objects; and the totals against
// SQL too.
func TestSummaryEqualsAthenaSQL(t *testing.T) {
	db, err := duckdbtest.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() //nolint:errcheck
	v5, _ := flowlog.Preset("v5")
	for _, c := range []struct {
		f flowlog.Format
		l s3layout.Layout
	}{
		{flowlog.DefaultFormat(), s3layout.Layout{}},
		{v5, s3layout.Layout{Hive: true, PerHour: true, Parquet: true, Prefix: "org"}},
	} {
		t.Run(fmt.Sprint(c.f.Len(), c.l.Hive), func(t *testing.T) {
			g := flowlog.NewGenerator(9, c.f)
			recs := make([]flowlog.Record, 20000)
			for i := range recs {
				g.Next(&recs[i])
			}
			ds, err := duckdbtest.Write(t.TempDir(), "bucket", c.f, c.l, "123456789012", "us-east-1", recs)
			if err != nil {
				t.Fatal(err)
			}
			tbl, err := athena.NewTable(c.f, c.l, "bucket", []string{"123456789012"}, []string{"us-east-1"})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.CreateTable("flows", tbl, ds); err != nil {
				t.Fatal(err)
			}
			ports, _ := summary.ParsePorts("0-1023")
			src, _ := summary.ParsePrefixes("10.0.0.0/8,2001:db8::/32")
			flt := summary.Filter{Ports: ports, Src: src, Since: time.Unix(recs[100].StartUnix(), 0), Until: time.Unix(recs[15000].StartUnix(), 0)}
			spec := &summary.Spec{Where: flt.Cond(), Tables: []investigations.Investigation{
				summary.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 10),
				summary.TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, investigations.Packets, 10),
				summary.TopN([]flowlog.Field{flowlog.DstPort}, investigations.Records, 0),
				// The totals, through SQL too.
				investigations.TopN(nil, investigations.Bytes, 0, investigations.Cond{}),
				investigations.TopN([]flowlog.Field{flowlog.Action}, investigations.Records, 0, investigations.Cond{}),
				investigations.TopN([]flowlog.Field{flowlog.LogStatus}, investigations.Records, 0, investigations.Cond{}),
				// With the pair table: top sources and destinations are
				// rolled up from its groups (investigations.Set).
				summary.TopN([]flowlog.Field{flowlog.DstAddr}, investigations.Records, 10),
			}}
			ins, errs := source.List(context.Background(), []string{ds.Dir}, nil)
			if len(errs) != 0 || len(ins) != len(ds.Keys) {
				t.Fatalf("%d inputs for %d objects: %v", len(ins), len(ds.Keys), errs)
			}
			var mu sync.Mutex
			var parts []*summary.Summarizer
			err = source.Run(context.Background(), ins, &source.Options{}, 2, nil, func(int) source.Sink {
				s, err := summary.New(spec)
				if err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				parts = append(parts, s)
				mu.Unlock()
				return sink{s}
			}, func(err error) { t.Error(err) })
			if err != nil {
				t.Fatal(err)
			}
			all := parts[0]
			for _, p := range parts[1:] {
				all.Merge(p)
			}
			got := all.Summary()
			for _, tab := range got.Tables {
				q, err := tab.Investigation.AthenaSQL("flows", c.f)
				if err != nil {
					t.Fatal(err)
				}
				cols, rows, err := db.Query(q)
				if err != nil {
					t.Fatalf("%v\n%s", err, q)
				}
				if !reflect.DeepEqual(cols, tab.Result.Columns) || !reflect.DeepEqual(rows, tab.Result.Rows) {
					t.Errorf("%s:\nsql:     %v %v\nsummary: %v %v\n%s", tab.Investigation.Name, cols, rows, tab.Result.Columns, tab.Result.Rows, q)
				}
			}
			tot := got.Totals
			if row := got.Tables[3].Result.Rows[0]; tot.Records != row[0] || tot.Packets != row[1] || tot.Bytes != row[2] || tot.Records < 100 {
				t.Errorf("totals %+v, sql %v", tot, row)
			}
			count := func(tab int, value string) int64 {
				for _, row := range got.Tables[tab].Result.Rows {
					if row[0] == value {
						return row[1].(int64)
					}
				}
				return 0
			}
			if tot.Accepted != count(4, "ACCEPT") || tot.Rejected != count(4, "REJECT") || tot.NoData != count(5, "NODATA") || tot.SkipData != count(5, "SKIPDATA") {
				t.Errorf("totals %+v, by action %v, by status %v", tot, got.Tables[4].Result.Rows, got.Tables[5].Result.Rows)
			}
		})
	}
}
