package duckdbtest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"net/netip"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
)

// DB is an in-memory DuckDB database on one connection (the Go-defined
// functions of MapSQL are registered on it).
type DB struct {
	db   *sql.DB
	conn *sql.Conn
}

// Open opens an in-memory DuckDB database.
func Open() (*DB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	if err := duckdb.RegisterScalarUDF(conn, "athena_contains", containsUDF{}); err != nil {
		return nil, fmt.Errorf("register athena_contains: %w", err)
	}
	if err := duckdb.RegisterScalarUDF(conn, "athena_ipaddress", ipUDF{}); err != nil {
		return nil, fmt.Errorf("register athena_ipaddress: %w", err)
	}
	return &DB{db: db, conn: conn}, nil
}

// Close closes the database.
func (d *DB) Close() error {
	err := d.conn.Close()
	if e := d.db.Close(); err == nil {
		err = e
	}
	return err
}

// duckType maps the Athena column types the athena package uses.
func duckType(athenaType string) (string, error) {
	switch athenaType {
	case "int":
		return "INTEGER", nil
	case "bigint":
		return "BIGINT", nil
	case "string":
		return "VARCHAR", nil
	}
	return "", fmt.Errorf("duckdbtest: no DuckDB type for Athena type %q", athenaType)
}

// CreateTable creates the table name holding the dataset as Athena would see
// it through table t: the data columns with the names and types of t's
// DDL, read as t's SerDe says (text: space-delimited, header skipped,
// "-" as NULL; Parquet: columns by name), and the partition columns with
// the values that t's storage.location.template gives each object's
// folder.
func (d *DB) CreateTable(name string, t athena.Table, ds Dataset) error {
	if len(ds.Keys) == 0 {
		return fmt.Errorf("duckdbtest: empty dataset")
	}
	var parts []string
	for _, key := range ds.Keys {
		dir := "s3://" + ds.Bucket + "/" + key[:strings.LastIndexByte(key, '/')+1]
		pv, err := ResolvePartitions(t, dir)
		if err != nil {
			return err
		}
		path := filepath.Join(ds.Dir, filepath.FromSlash(key))
		sel, err := selectObject(t, path, pv)
		if err != nil {
			return err
		}
		parts = append(parts, sel)
	}
	// A table rather than a view, so the files are read once, not once
	// per query.
	q := "CREATE OR REPLACE TABLE " + quote(name) + " AS\n" + strings.Join(parts, "\nUNION ALL\n")
	_, err := d.conn.ExecContext(context.Background(), q)
	return err
}

// ddlColumns returns the data columns as t's DDL declares them, so that
// what DuckDB reads is what the DDL for people says.
func ddlColumns(t athena.Table) ([]athena.Column, error) {
	ddl := t.DDL("db", "flows")
	start := strings.Index(ddl, "(\n")
	end := strings.Index(ddl, "\n)\nPARTITIONED BY")
	if start < 0 || end < start {
		return nil, fmt.Errorf("duckdbtest: cannot find the columns in the DDL:\n%s", ddl)
	}
	var cols []athena.Column
	for line := range strings.SplitSeq(ddl[start+2:end], "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		i := strings.LastIndexByte(line, ' ')
		if i < 0 || !strings.HasPrefix(line, "`") || line[i-1] != '`' {
			return nil, fmt.Errorf("duckdbtest: DDL column line %q", line)
		}
		cols = append(cols, athena.Column{Name: strings.ReplaceAll(line[1:i-1], "``", "`"), Type: line[i+1:]})
	}
	return cols, nil
}

func selectObject(t athena.Table, path string, partitions map[string]string) (string, error) {
	ddlCols, err := ddlColumns(t)
	if err != nil {
		return "", err
	}
	t.Columns = ddlCols
	var cols []string
	for _, c := range t.Columns {
		typ, err := duckType(c.Type)
		if err != nil {
			return "", err
		}
		cols = append(cols, "CAST("+quote(c.Name)+" AS "+typ+") AS "+quote(c.Name))
	}
	for _, p := range t.PartitionKeys {
		cols = append(cols, lit(partitions[p.Name])+" AS "+quote(p.Name))
	}
	var from string
	switch t.SerDe {
	case athena.ParquetSerDe:
		// Athena resolves Parquet columns by name.
		from = "read_parquet(" + lit(path) + ", hive_partitioning = false)"
	case athena.TextSerDe:
		if t.Parameters["skip.header.line.count"] != "1" {
			return "", fmt.Errorf("duckdbtest: text table without skip.header.line.count=1")
		}
		// Text is read by position: the header's names are ignored and
		// the table's columns, in order, are used instead.
		var spec []string
		for _, c := range t.Columns {
			typ, _ := duckType(c.Type)
			spec = append(spec, lit(c.Name)+": "+lit(typ))
		}
		from = "read_csv(" + lit(path) +
			", delim = " + lit(t.SerDeParams["field.delim"]) +
			", nullstr = " + lit(t.SerDeParams["serialization.null.format"]) +
			", header = true, auto_detect = false, quote = '', escape = '', compression = 'gzip'" +
			", hive_partitioning = false, columns = {" + strings.Join(spec, ", ") + "})"
	default:
		return "", fmt.Errorf("duckdbtest: unknown SerDe %q", t.SerDe)
	}
	return "SELECT " + strings.Join(cols, ", ") + " FROM " + from, nil
}

// ResolvePartitions matches dir (s3://bucket/.../, ending in "/") against
// t's storage.location.template, each ${column} matching one value its
// projection allows, and returns the partition values. It fails if dir is
// not a folder the template can produce.
func ResolvePartitions(t athena.Table, dir string) (map[string]string, error) {
	tmpl := t.Parameters["storage.location.template"]
	var names []string
	var re strings.Builder
	re.WriteString("^")
	rest := tmpl
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			re.WriteString(regexp.QuoteMeta(rest))
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		re.WriteString(regexp.QuoteMeta(rest[:i]))
		name := rest[i+2 : i+j]
		names = append(names, name)
		re.WriteString("(" + projectionPattern(t, name) + ")")
		rest = rest[i+j+1:]
	}
	re.WriteString("/?$")
	m := regexp.MustCompile(re.String()).FindStringSubmatch(dir)
	if m == nil {
		return nil, fmt.Errorf("duckdbtest: %s does not match the template %s", dir, tmpl)
	}
	out := map[string]string{}
	for i, n := range names {
		out[n] = m[i+1]
	}
	return out, nil
}

func projectionPattern(t athena.Table, col string) string {
	p := t.Parameters
	switch p["projection."+col+".type"] {
	case "enum":
		vals := strings.Split(p["projection."+col+".values"], ",")
		for i, v := range vals {
			vals[i] = regexp.QuoteMeta(v)
		}
		return strings.Join(vals, "|")
	case "integer":
		if d := p["projection."+col+".digits"]; d != "" {
			return `\d{` + d + `}`
		}
		return `\d+`
	case "date":
		f := p["projection."+col+".format"]
		r := strings.NewReplacer("yyyy", `\d{4}`, "MM", `\d{2}`, "dd", `\d{2}`, "HH", `\d{2}`)
		return r.Replace(regexp.QuoteMeta(f))
	}
	return `[^/]+`
}

// MapSQL maps Athena (Trino) SQL to DuckDB. It is the only place where
// the dialects' differences are bridged, and maps exactly:
//
//   - from_unixtime(x) -> to_timestamp(x): Trino's Unix-seconds to
//     timestamp function has another name in DuckDB (both give the same
//     instant; the harness compares in UTC).
//   - CAST(x AS IPADDRESS) and IPADDRESS 'literal' -> athena_ipaddress(x):
//     DuckDB has no IPADDRESS type without its inet extension, which is
//     not available offline. athena_ipaddress is defined here in Go with
//     net/netip: the address's canonical text (IPv4-mapped IPv6 as IPv4),
//     so that equal addresses compare equal as in Trino.
//   - contains('<cidr>', <address>) -> athena_contains('<cidr>', <address>):
//     Trino's network-contains-address (DuckDB's contains is a substring
//     test), defined here in Go with net/netip.
//   - date_format(x, f) -> strftime(x, f): Trino's MySQL-style formatting
//     function (https://trino.io/docs/current/functions/datetime.html) has
//     another name in DuckDB; the %Y, %m and %d the renderers use mean the
//     same in both.
//
// Both functions take NULL to NULL. Everything else the renderer emits
// (double-quoted identifiers, GROUP BY/ORDER BY by position, COALESCE,
// SUM, COUNT, strpos, CASE, IN, NULLS LAST, '?' parameters) means the
// same in both.
func MapSQL(athenaSQL string) string {
	s := strings.ReplaceAll(athenaSQL, "from_unixtime(", "to_timestamp(")
	s = castIPRE.ReplaceAllString(s, "athena_ipaddress($1)")
	s = ipLiteralRE.ReplaceAllString(s, "athena_ipaddress($1)")
	s = strings.ReplaceAll(s, "date_format(", "strftime(")
	return containsRE.ReplaceAllString(s, "athena_contains($1, ")
}

var (
	castIPRE    = regexp.MustCompile(`CAST\(("[^"]+"|\?) AS IPADDRESS\)`)
	ipLiteralRE = regexp.MustCompile(`IPADDRESS ('[^']*')`)
	containsRE  = regexp.MustCompile(`\bcontains\(('[^']*'), `)
)

// Query runs Athena SQL (mapped by MapSQL) with args for its '?'
// parameters and returns the column names and rows, with values
// normalised as the native evaluator's Result: integers as int64,
// timestamps as UTC time.Time, strings, nil for NULL.
func (d *DB) Query(athenaSQL string, args ...any) ([]string, [][]any, error) {
	rows, err := d.conn.QueryContext(context.Background(), MapSQL(athenaSQL), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close() //nolint:errcheck // read-only
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range vals {
			vals[i] = normalise(v)
		}
		out = append(out, vals)
	}
	return cols, out, rows.Err()
}

// Exec runs a statement.
func (d *DB) Exec(q string, args ...any) error {
	_, err := d.conn.ExecContext(context.Background(), q, args...)
	return err
}

func normalise(v any) any {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case *big.Int:
		return x.Int64()
	case time.Time:
		return x.UTC()
	case []byte:
		return string(x)
	}
	return v
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// containsUDF is athena_contains(cidr VARCHAR, addr VARCHAR) BOOLEAN.
type containsUDF struct{}

func (containsUDF) Config() duckdb.ScalarFuncConfig {
	v, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	b, _ := duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v}, ResultTypeInfo: b}
}

func (containsUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		p, err := netip.ParsePrefix(values[0].(string))
		if err != nil {
			return nil, err
		}
		a, err := netip.ParseAddr(values[1].(string))
		if err != nil {
			return nil, err
		}
		return p.Contains(a.Unmap()), nil
	}}
}

// ipUDF is athena_ipaddress(addr VARCHAR) VARCHAR: the canonical text.
type ipUDF struct{}

func (ipUDF) Config() duckdb.ScalarFuncConfig {
	v, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v}, ResultTypeInfo: v}
}

func (ipUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		a, err := netip.ParseAddr(values[0].(string))
		if err != nil {
			return nil, fmt.Errorf("cannot cast %q to IPADDRESS: %w", values[0], err)
		}
		return a.Unmap().String(), nil
	}}
}
