// Package athena derives the Glue/Athena table of a flow log's S3
// destination from its format (through the flowlog field registry) and
// its key layout (package s3layout): columns and types, the SerDe that
// reads the files, and partition projection that matches the keys the
// destination writes, so no crawler, partition Lambda or MSCK REPAIR is
// needed (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
package athena

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// SerDes and formats of the table
// (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html,
// https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-parquet.html).
const (
	TextSerDe        = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
	TextInputFormat  = "org.apache.hadoop.mapred.TextInputFormat"
	TextOutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

	ParquetSerDe        = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	ParquetInputFormat  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	ParquetOutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
)

// Partition column names. They are chosen not to collide with any data
// column: the v4 field "region" is a data column, so the region partition
// is "aws_region" (AWS's projection example names its partition "region"
// and drops the data column instead).
const (
	PartAccount = "aws_account_id"
	PartRegion  = "aws_region"
	PartDate    = "date"  // plain layout: yyyy/MM/dd, a date projection
	PartYear    = "year"  // Hive layout
	PartMonth   = "month" // Hive layout
	PartDay     = "day"   // Hive layout
	PartHour    = "hour"  // per-hour layouts
)

// ProjectionStart is the first day of the date projection of plain
// layouts (VPC flow logs could be published to S3 from 2018;
// https://aws.amazon.com/about-aws/whats-new/2018/08/amazon-vpc-flow-logs-can-now-be-delivered-to-s3/)
// and the first year of the Hive layouts' year projection.
const ProjectionStart = "2018/01/01"

// ErrNoBucket is returned by NewTable for an empty bucket name.
var ErrNoBucket = errors.New("athena: no bucket")

// Column is one column of the table.
type Column struct {
	Name    string // the Athena column name, e.g. "account_id"
	Type    string // int, bigint or string
	Comment string // the field's description, or the partition's meaning
}

// Table is the Glue table over a flow log's S3 destination.
type Table struct {
	Columns       []Column          // from the format through the registry (Parquet: the physical types AWS writes)
	PartitionKeys []Column          // projected, see Parameters
	Location      string            // s3://bucket/<layout root>
	SerDe         string            // LazySimpleSerDe (text) or ParquetHiveSerDe
	SerDeParams   map[string]string // text: field.delim ' ', serialization.null.format '-'
	InputFormat   string
	OutputFormat  string
	Parameters    map[string]string // projection.*, storage.location.template, skip.header.line.count, classification ...
	Layout        s3layout.Layout   // the layout the table reads
}

// NewTable returns the table over the objects a flow log in format f
// writes to bucket with layout l, for the given accounts and regions.
//
// Columns: one per field of f, in format order (text is read by
// position), named by the field's column name. Text tables use the types
// of AWS's DDL (flowlog.Field.AthenaType); Parquet tables use the types
// AWS writes (INT_32 -> int, INT_64 -> bigint, else string; e.g.
// protocol is int, not the DDL's bigint, which Parquet readers reject).
// Text files start with a header line (skip.header.line.count=1,
// https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html) and
// write absent values as "-" (the LazySimpleSerDe property
// serialization.null.format makes them NULL, as they are in Parquet).
//
// Partitions are projected from the keys: aws_account_id and aws_region
// are enums of accounts and regions (injected when the list is empty: a
// query must then give them with =); the plain layouts have a date
// partition "date" (yyyy/MM/dd from 2018/01/01 to NOW), the Hive layouts
// integer year/month/day; per-hour layouts add an integer hour (00..23).
// storage.location.template spells the key layout of s3layout.
func NewTable(f flowlog.Format, l s3layout.Layout, bucket string, accounts, regions []string) (Table, error) {
	if bucket == "" {
		return Table{}, ErrNoBucket
	}
	if f.IsZero() {
		return Table{}, errors.New("athena: empty format")
	}
	if strings.HasPrefix(l.Prefix, "/") || strings.HasSuffix(l.Prefix, "/") {
		return Table{}, fmt.Errorf("athena: layout prefix %q must not start or end with '/'", l.Prefix)
	}
	t := Table{
		Location:   "s3://" + bucket + "/" + l.Root(),
		Layout:     l,
		Parameters: map[string]string{"projection.enabled": "true", "EXTERNAL": "TRUE"},
	}
	for _, fld := range f.Fields() {
		typ := fld.AthenaType()
		if l.Parquet {
			typ = ParquetAthenaType(fld)
		}
		t.Columns = append(t.Columns, Column{Name: fld.Column(), Type: typ, Comment: fld.Description()})
	}
	if l.Parquet {
		t.SerDe, t.InputFormat, t.OutputFormat = ParquetSerDe, ParquetInputFormat, ParquetOutputFormat
		t.SerDeParams = map[string]string{"serialization.format": "1"}
		t.Parameters["classification"] = "parquet"
		t.Parameters["parquet.compression"] = "GZIP"
	} else {
		t.SerDe, t.InputFormat, t.OutputFormat = TextSerDe, TextInputFormat, TextOutputFormat
		t.SerDeParams = map[string]string{
			"field.delim":               " ",
			"serialization.format":      " ",
			"serialization.null.format": "-",
		}
		t.Parameters["classification"] = "csv"
		t.Parameters["skip.header.line.count"] = "1"
	}

	enumOrInjected := func(name string, values []string, what string) {
		t.PartitionKeys = append(t.PartitionKeys, Column{Name: name, Type: "string", Comment: what})
		if len(values) == 0 {
			t.Parameters["projection."+name+".type"] = "injected"
			return
		}
		t.Parameters["projection."+name+".type"] = "enum"
		t.Parameters["projection."+name+".values"] = strings.Join(values, ",")
	}
	integer := func(name, lo, hi string, digits int, what string) {
		t.PartitionKeys = append(t.PartitionKeys, Column{Name: name, Type: "string", Comment: what})
		t.Parameters["projection."+name+".type"] = "integer"
		t.Parameters["projection."+name+".range"] = lo + "," + hi
		if digits > 0 {
			t.Parameters["projection."+name+".digits"] = fmt.Sprint(digits)
		}
	}
	enumOrInjected(PartAccount, accounts, "account ID in the key")
	enumOrInjected(PartRegion, regions, "Region in the key")

	tmpl := "s3://" + bucket + "/"
	var dir string
	if l.Hive {
		integer(PartYear, ProjectionStart[:4], "2099", 4, "year of the object (UTC)")
		integer(PartMonth, "1", "12", 2, "month of the object (UTC)")
		integer(PartDay, "1", "31", 2, "day of the object (UTC)")
		dir = "year=${" + PartYear + "}/month=${" + PartMonth + "}/day=${" + PartDay + "}/"
	} else {
		t.PartitionKeys = append(t.PartitionKeys, Column{Name: PartDate, Type: "string", Comment: "day of the object, yyyy/MM/dd (UTC)"})
		t.Parameters["projection."+PartDate+".type"] = "date"
		t.Parameters["projection."+PartDate+".format"] = "yyyy/MM/dd"
		t.Parameters["projection."+PartDate+".range"] = ProjectionStart + ",NOW"
		t.Parameters["projection."+PartDate+".interval"] = "1"
		t.Parameters["projection."+PartDate+".interval.unit"] = "DAYS"
		dir = "${" + PartDate + "}/"
	}
	if l.PerHour {
		integer(PartHour, "0", "23", 2, "hour of the object (UTC)")
		if l.Hive {
			dir += "hour=${" + PartHour + "}/"
		} else {
			dir += "${" + PartHour + "}/"
		}
	}
	// The region directory with placeholders, from the layout itself.
	tmpl += l.RegionDir("${"+PartAccount+"}", "${"+PartRegion+"}") + dir
	t.Parameters["storage.location.template"] = tmpl

	for _, p := range t.PartitionKeys {
		for _, c := range t.Columns {
			if c.Name == p.Name {
				return Table{}, fmt.Errorf("athena: partition %q collides with a data column", p.Name)
			}
		}
	}
	return t, nil
}

// ParquetAthenaType returns the Athena type of a field's column in the
// Parquet objects AWS writes: INT_32 -> int, INT_64 -> bigint, STRING ->
// string (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
func ParquetAthenaType(f flowlog.Field) string {
	switch f.ParquetType() {
	case "INT_32":
		return "int"
	case "INT_64":
		return "bigint"
	}
	return "string"
}

// DDL returns a CREATE EXTERNAL TABLE statement for the table, for people
// and docs (the stack creates an AWS::Glue::Table from the Table value
// itself). Names are backtick-quoted, so reserved words such as `end` and
// `date` are safe.
func (t Table) DDL(database, name string) string {
	var b strings.Builder
	b.WriteString("CREATE EXTERNAL TABLE IF NOT EXISTS ")
	if database != "" {
		b.WriteString(bt(database) + ".")
	}
	b.WriteString(bt(name) + " (\n")
	for i, c := range t.Columns {
		b.WriteString("  " + bt(c.Name) + " " + c.Type)
		if i < len(t.Columns)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(")\nPARTITIONED BY (\n")
	for i, c := range t.PartitionKeys {
		b.WriteString("  " + bt(c.Name) + " " + c.Type)
		if i < len(t.PartitionKeys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(")\nROW FORMAT SERDE " + sq(t.SerDe) + "\n")
	if len(t.SerDeParams) > 0 {
		b.WriteString("WITH SERDEPROPERTIES (\n" + props(t.SerDeParams) + ")\n")
	}
	b.WriteString("STORED AS INPUTFORMAT " + sq(t.InputFormat) + "\nOUTPUTFORMAT " + sq(t.OutputFormat) + "\n")
	b.WriteString("LOCATION " + sq(t.Location) + "\n")
	params := map[string]string{}
	for k, v := range t.Parameters {
		if k != "EXTERNAL" {
			params[k] = v
		}
	}
	b.WriteString("TBLPROPERTIES (\n" + props(params) + ")")
	return b.String()
}

func props(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		b.WriteString("  " + sq(k) + "=" + sq(m[k]))
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func bt(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

func sq(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }
