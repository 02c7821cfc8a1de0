package athena_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// substitute fills the storage.location.template of t with projected
// values, each formatted as its projection says (integer: zero-padded to
// digits; date: the Java pattern yyyy/MM/dd), as Athena does.
func substitute(t *testing.T, tbl athena.Table, vals map[string]int, strs map[string]string) string {
	t.Helper()
	out := tbl.Parameters["storage.location.template"]
	for _, p := range tbl.PartitionKeys {
		var v string
		switch typ := tbl.Parameters["projection."+p.Name+".type"]; typ {
		case "enum", "injected":
			v = strs[p.Name]
			if typ == "enum" && !strings.Contains(","+tbl.Parameters["projection."+p.Name+".values"]+",", ","+v+",") {
				t.Fatalf("%s=%s not among the enum values", p.Name, v)
			}
		case "integer":
			n := vals[p.Name]
			rng := strings.Split(tbl.Parameters["projection."+p.Name+".range"], ",")
			lo, _ := strconv.Atoi(rng[0])
			hi, _ := strconv.Atoi(rng[1])
			if n < lo || n > hi {
				t.Fatalf("%s=%d outside the range %v", p.Name, n, rng)
			}
			digits, _ := strconv.Atoi(tbl.Parameters["projection."+p.Name+".digits"])
			v = fmt.Sprintf("%0*d", digits, n)
		case "date":
			if f := tbl.Parameters["projection."+p.Name+".format"]; f != "yyyy/MM/dd" {
				t.Fatalf("unexpected date format %q", f)
			}
			v = strs[p.Name]
		default:
			t.Fatalf("partition %s: projection type %q", p.Name, typ)
		}
		out = strings.ReplaceAll(out, "${"+p.Name+"}", v)
	}
	if strings.Contains(out, "${") {
		t.Fatalf("unsubstituted placeholder in %s", out)
	}
	return out
}

// TestProjectionResolvesToDestinationFolder checks, for all 8
// combinations of prefix / Hive / per-hour, that the template with the
// projected values of 2018-06-20 16:xx UTC is the folder the destination
// writes. The expected folders are written by hand from the layouts of
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html,
// not built with s3layout.
func TestProjectionResolvesToDestinationFolder(t *testing.T) {
	vals := map[string]int{"year": 2018, "month": 6, "day": 20, "hour": 16}
	strs := map[string]string{"aws_account_id": "123456789012", "aws_region": "us-east-1", "date": "2018/06/20"}
	for _, tc := range []struct {
		l    s3layout.Layout
		want string
	}{
		{s3layout.Layout{}, "s3://b/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/"},
		{s3layout.Layout{PerHour: true}, "s3://b/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/"},
		{s3layout.Layout{Hive: true}, "s3://b/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/"},
		{s3layout.Layout{Hive: true, PerHour: true}, "s3://b/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/"},
		{s3layout.Layout{Prefix: "my/logs"}, "s3://b/my/logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/"},
		{s3layout.Layout{Prefix: "my/logs", PerHour: true}, "s3://b/my/logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/"},
		{s3layout.Layout{Prefix: "my/logs", Hive: true}, "s3://b/my/logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/"},
		{s3layout.Layout{Prefix: "my/logs", Hive: true, PerHour: true, Parquet: true}, "s3://b/my/logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/"},
	} {
		t.Run(fmt.Sprintf("%+v", tc.l), func(t *testing.T) {
			tbl, err := athena.NewTable(flowlog.DefaultFormat(), tc.l, "b", []string{"123456789012"}, []string{"us-east-1", "eu-west-1"})
			if err != nil {
				t.Fatal(err)
			}
			if got := substitute(t, tbl, vals, strs); got != tc.want {
				t.Errorf("template resolves to\n %s\nwant\n %s", got, tc.want)
			}
			if !strings.HasPrefix(tc.want, tbl.Location) {
				t.Errorf("location %s is not above %s", tbl.Location, tc.want)
			}
			// Projection covers every partition key and nothing else.
			for _, p := range tbl.PartitionKeys {
				if tbl.Parameters["projection."+p.Name+".type"] == "" {
					t.Errorf("partition %s not projected", p.Name)
				}
			}
		})
	}
}

func TestColumnsAndTypes(t *testing.T) {
	f := flowlog.AllFields()
	text, err := athena.NewTable(f, s3layout.Layout{}, "b", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pq, err := athena.NewTable(f, s3layout.Layout{Parquet: true}, "b", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(text.Columns) != f.Len() || len(pq.Columns) != f.Len() {
		t.Fatalf("%d/%d columns for %d fields", len(text.Columns), len(pq.Columns), f.Len())
	}
	for i, fld := range f.Fields() {
		if text.Columns[i].Name != fld.Column() || pq.Columns[i].Name != fld.Column() {
			t.Errorf("column %d: %s/%s, want %s", i, text.Columns[i].Name, pq.Columns[i].Name, fld.Column())
		}
		if text.Columns[i].Type != fld.AthenaType() {
			t.Errorf("text %s: %s", fld.Name(), text.Columns[i].Type)
		}
	}
	typeOf := func(tbl athena.Table, col string) string {
		for _, c := range tbl.Columns {
			if c.Name == col {
				return c.Type
			}
		}
		return ""
	}
	// AWS's text DDL says bigint; the Parquet files hold INT_32.
	if typeOf(text, "protocol") != "bigint" || typeOf(pq, "protocol") != "int" {
		t.Errorf("protocol: text %s, parquet %s", typeOf(text, "protocol"), typeOf(pq, "protocol"))
	}
	if typeOf(pq, "bytes") != "bigint" || typeOf(pq, "srcport") != "int" || typeOf(pq, "srcaddr") != "string" {
		t.Error("parquet types")
	}
	if text.SerDe != athena.TextSerDe || text.Parameters["skip.header.line.count"] != "1" || text.SerDeParams["field.delim"] != " " || text.SerDeParams["serialization.null.format"] != "-" {
		t.Errorf("text serde: %s %v %v", text.SerDe, text.SerDeParams, text.Parameters)
	}
	if pq.SerDe != athena.ParquetSerDe || pq.InputFormat != athena.ParquetInputFormat || pq.Parameters["skip.header.line.count"] != "" {
		t.Errorf("parquet serde: %s %v", pq.SerDe, pq.Parameters)
	}
	// No crawler, no MSCK: projection is on; the v4 region column stays a
	// data column, next to the aws_region partition.
	if text.Parameters["projection.enabled"] != "true" || typeOf(text, "region") != "string" {
		t.Error("projection or region column")
	}
	// Without accounts/regions the partitions are injected.
	if text.Parameters["projection.aws_account_id.type"] != "injected" || text.Parameters["projection.aws_region.type"] != "injected" {
		t.Error("expected injected projections")
	}
}

func TestNewTableErrors(t *testing.T) {
	if _, err := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{}, "", nil, nil); !errors.Is(err, athena.ErrNoBucket) {
		t.Errorf("no bucket: %v", err)
	}
	if _, err := athena.NewTable(flowlog.Format{}, s3layout.Layout{}, "b", nil, nil); err == nil {
		t.Error("empty format accepted")
	}
	if _, err := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{Prefix: "/x/"}, "b", nil, nil); err == nil {
		t.Error("prefix with slashes accepted")
	}
}

func TestDDLQuotesNames(t *testing.T) {
	tbl, err := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{Hive: true, PerHour: true}, "b", []string{"1"}, []string{"r"})
	if err != nil {
		t.Fatal(err)
	}
	ddl := tbl.DDL("db", "flows")
	for _, want := range []string{"`end` bigint", "`start` bigint", "`hour` string", "'storage.location.template'=", "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'", "LOCATION 's3://b/AWSLogs/'"} {
		if !strings.Contains(ddl, want) {
			t.Errorf("DDL lacks %q:\n%s", want, ddl)
		}
	}
}

func ExampleTable_DDL() {
	f := flowlog.MustFormat(flowlog.Version, flowlog.SrcAddr, flowlog.DstAddr, flowlog.DstPort, flowlog.Protocol, flowlog.Bytes, flowlog.Start, flowlog.End, flowlog.Action)
	tbl, err := athena.NewTable(f, s3layout.Layout{Prefix: "flows", Hive: true, Parquet: true}, "my-bucket", []string{"123456789012"}, []string{"us-east-1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(tbl.DDL("vpc_flow_logs", "flows"))
	// Output:
	// CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs`.`flows` (
	//   `version` int,
	//   `srcaddr` string,
	//   `dstaddr` string,
	//   `dstport` int,
	//   `protocol` int,
	//   `bytes` bigint,
	//   `start` bigint,
	//   `end` bigint,
	//   `action` string
	// )
	// PARTITIONED BY (
	//   `aws_account_id` string,
	//   `aws_region` string,
	//   `year` string,
	//   `month` string,
	//   `day` string
	// )
	// ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
	// WITH SERDEPROPERTIES (
	//   'serialization.format'='1'
	// )
	// STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
	// OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
	// LOCATION 's3://my-bucket/flows/AWSLogs/'
	// TBLPROPERTIES (
	//   'classification'='parquet',
	//   'parquet.compression'='GZIP',
	//   'projection.aws_account_id.type'='enum',
	//   'projection.aws_account_id.values'='123456789012',
	//   'projection.aws_region.type'='enum',
	//   'projection.aws_region.values'='us-east-1',
	//   'projection.day.digits'='2',
	//   'projection.day.range'='1,31',
	//   'projection.day.type'='integer',
	//   'projection.enabled'='true',
	//   'projection.month.digits'='2',
	//   'projection.month.range'='1,12',
	//   'projection.month.type'='integer',
	//   'projection.year.digits'='4',
	//   'projection.year.range'='2018,2099',
	//   'projection.year.type'='integer',
	//   'storage.location.template'='s3://my-bucket/flows/AWSLogs/aws-account-id=${aws_account_id}/aws-service=vpcflowlogs/aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/'
	// )
}

func TestPartitionPredicate(t *testing.T) {
	since := time.Date(2026, 11, 30, 22, 10, 0, 0, time.UTC)
	until := time.Date(2026, 12, 1, 1, 59, 0, 0, time.UTC)
	for _, tc := range []struct {
		l    s3layout.Layout
		want string
	}{
		{s3layout.Layout{}, `(("date" = '2026/11/30') OR ("date" = '2026/12/01'))`},
		{s3layout.Layout{Hive: true}, `(("year" = '2026' AND "month" = '11' AND "day" = '30') OR ("year" = '2026' AND "month" = '12' AND "day" = '01'))`},
		{s3layout.Layout{PerHour: true}, `(("date" = '2026/11/30' AND "hour" IN ('22', '23')) OR ("date" = '2026/12/01' AND "hour" IN ('00', '01')))`},
		{s3layout.Layout{Hive: true, PerHour: true, Prefix: "p", Parquet: true}, `(("year" = '2026' AND "month" = '11' AND "day" = '30' AND "hour" IN ('22', '23')) OR ("year" = '2026' AND "month" = '12' AND "day" = '01' AND "hour" IN ('00', '01')))`},
	} {
		tbl, err := athena.NewTable(flowlog.DefaultFormat(), tc.l, "b", []string{"1"}, []string{"r"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := tbl.PartitionPredicate(since, until)
		if err != nil || got != tc.want {
			t.Errorf("%+v:\n got %s %v\nwant %s", tc.l, got, err, tc.want)
		}
	}
	tbl, _ := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{PerHour: true}, "b", nil, nil)
	// A whole day needs no hour list.
	if got, _ := tbl.PartitionPredicate(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 23, 5, 0, 0, time.UTC)); got != `("date" = '2026/11/30')` {
		t.Errorf("whole day: %s", got)
	}
	if _, err := tbl.PartitionPredicate(until, since); err == nil {
		t.Error("reversed range accepted")
	}
	if _, err := tbl.PartitionPredicate(since.AddDate(-2, 0, 0), until); err == nil {
		t.Error("two years accepted")
	}
}

// Over every preset, the table's columns are the format's fields in order
// (text is read by position), and no partition column collides with one.
func TestColumnsFollowEveryPreset(t *testing.T) {
	for _, name := range flowlog.PresetNames() {
		f, _ := flowlog.Preset(name)
		for _, l := range []s3layout.Layout{{}, {Hive: true, PerHour: true, Parquet: true}} {
			tbl, err := athena.NewTable(f, l, "b", []string{"1"}, []string{"r"})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			names := make([]string, len(tbl.Columns))
			for i, c := range tbl.Columns {
				names[i] = c.Name
			}
			back, err := flowlog.ParseColumns(names)
			if err != nil || back != f {
				t.Errorf("%s %+v: columns %v do not give back the format (%v)", name, l, names, err)
			}
			for _, p := range tbl.PartitionKeys {
				if _, ok := flowlog.FieldByColumn(p.Name); ok {
					t.Errorf("%s: partition %s is also a field's column", name, p.Name)
				}
			}
		}
	}
}

func TestRecentDaysPredicate(t *testing.T) {
	for _, tc := range []struct {
		l    s3layout.Layout
		want string
	}{
		{s3layout.Layout{}, `"date" >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')`},
		{s3layout.Layout{PerHour: true, Parquet: true}, `"date" >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')`},
		{s3layout.Layout{Hive: true, PerHour: true}, `concat("year", '/', "month", '/', "day") >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')`},
	} {
		tbl, err := athena.NewTable(flowlog.DefaultFormat(), tc.l, "b", []string{"1"}, []string{"r"})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := tbl.RecentDaysPredicate(7); err != nil || got != tc.want {
			t.Errorf("%+v:\n got %s %v\nwant %s", tc.l, got, err, tc.want)
		}
	}
	tbl, _ := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{}, "b", nil, nil)
	for _, days := range []int{-1, athena.MaxPredicateDays} {
		if _, err := tbl.RecentDaysPredicate(days); err == nil {
			t.Errorf("%d days accepted", days)
		}
	}
}

// The default window of the saved queries: the Hive layout joins year, month and day.
func ExampleTable_RecentDaysPredicate() {
	t, _ := athena.NewTable(flowlog.DefaultFormat(), s3layout.Layout{Hive: true}, "flow-logs", nil, nil)
	p, _ := t.RecentDaysPredicate(7)
	fmt.Println(p)
	// Output:
	// concat("year", '/', "month", '/', "day") >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')
}
