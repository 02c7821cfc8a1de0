package investigations

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// AthenaSQL renders inv as a query for Athena engine v3 (Trino's dialect)
// over the table of the flow log's S3 destination (package athena), whose
// columns are the fields' column names and where "-" reads as NULL.
//
// table is inserted as given if it contains a double quote, else each
// dot-separated part is quoted: "db.flows" becomes "db"."flows".
// Parameters become '?' placeholders, in the order of [Investigation.Params]
// (Athena's execution parameters,
// https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html).
//
// Address conditions compare IPADDRESS values (CAST(col AS IPADDRESS),
// contains() for prefixes), so any spelling of an address matches.
//
// The SQL keeps to what Trino and DuckDB both accept (double-quoted
// identifiers, GROUP BY and ORDER BY by position, COALESCE, strpos,
// explicit NULLS LAST) except from_unixtime for hour keys and the
// IPADDRESS type and contains() for address conditions, which the DuckDB
// test harness maps (internal/duckdbtest.MapSQL).
func (inv Investigation) AthenaSQL(table string, f flowlog.Format) (string, error) {
	return inv.AthenaSQLWhere(table, f)
}

// AthenaSQLWhere is AthenaSQL with more SQL conditions ANDed to the
// filter, e.g. athena.Table.PartitionPredicate to read only some days'
// objects. The conditions are inserted as given.
func (inv Investigation) AthenaSQLWhere(table string, f flowlog.Format, where ...string) (string, error) {
	inv, err := inv.check(f)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, k := range inv.GroupBy {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sqlKey(k))
		b.WriteString(" AS ")
		b.WriteString(quoteIdent(k.Column()))
	}
	for i, m := range inv.Measures {
		if i > 0 || len(inv.GroupBy) > 0 {
			b.WriteString(", ")
		}
		if m == Records {
			b.WriteString("COUNT(*)")
		} else {
			b.WriteString("COALESCE(SUM(" + quoteIdent(m.Field().Column()) + "), 0)")
		}
		b.WriteString(" AS ")
		b.WriteString(quoteIdent(m.String()))
	}
	b.WriteString("\nFROM ")
	b.WriteString(quoteTable(table))
	var conds []string
	if !inv.Where.IsZero() {
		w, err := sqlCond(inv.Where)
		if err != nil {
			return "", fmt.Errorf("investigations: %s: %w", inv.Name, err)
		}
		conds = append(conds, w)
	}
	for _, w := range where {
		if w = strings.TrimSpace(w); w != "" {
			conds = append(conds, "("+w+")")
		}
	}
	if len(conds) > 0 {
		b.WriteString("\nWHERE ")
		b.WriteString(strings.Join(conds, "\nAND "))
	}
	if len(inv.GroupBy) > 0 {
		b.WriteString("\nGROUP BY ")
		for i := range inv.GroupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(i + 1))
		}
	}
	var order []string
	if inv.OrderBy != 0 {
		for i, m := range inv.Measures {
			if m == inv.OrderBy {
				order = append(order, strconv.Itoa(len(inv.GroupBy)+i+1)+" DESC")
			}
		}
	}
	for i := range inv.GroupBy {
		order = append(order, strconv.Itoa(i+1)+" ASC NULLS LAST")
	}
	if len(order) > 0 {
		b.WriteString("\nORDER BY ")
		b.WriteString(strings.Join(order, ", "))
	}
	if inv.Limit > 0 {
		b.WriteString("\nLIMIT ")
		b.WriteString(strconv.Itoa(inv.Limit))
	}
	return b.String(), nil
}

func sqlKey(k Key) string {
	col := quoteIdent(k.Field.Column())
	switch k.Kind {
	case ByHour:
		// The hour as a timestamp (UTC): from_unixtime returns a
		// timestamp in Trino.
		return "from_unixtime(" + col + " - " + col + " % 3600)"
	case ByLabel:
		labels := ValueLabels(k.Field)
		var b strings.Builder
		b.WriteString("CASE " + col)
		for _, n := range slices.Sorted(maps.Keys(labels)) {
			b.WriteString(" WHEN " + strconv.FormatUint(n, 10) + " THEN " + quoteString(labels[n]))
		}
		b.WriteString(" ELSE CAST(" + col + " AS VARCHAR) END")
		return b.String()
	case ByFamily:
		return "CASE WHEN " + col + " IS NULL THEN NULL WHEN strpos(" + col + ", ':') > 0 THEN 'IPv6' ELSE 'IPv4' END"
	}
	return col
}

func sqlCond(c Cond) (string, error) {
	switch c.op {
	case opTrue:
		return "TRUE", nil
	case opAnd, opOr:
		sep := " AND "
		if c.op == opOr {
			sep = " OR "
		}
		parts := make([]string, len(c.kids))
		for i, k := range c.kids {
			s, err := sqlCond(k)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, sep) + ")", nil
	case opNot:
		s, err := sqlCond(c.kids[0])
		if err != nil {
			return "", err
		}
		return "NOT (" + s + ")", nil
	}
	col := quoteIdent(c.field.Column())
	switch c.op {
	case opPresent:
		return col + " IS NOT NULL", nil
	case opParam:
		if c.field.Kind() == flowlog.KindAddr {
			return "CAST(" + col + " AS IPADDRESS) = CAST(? AS IPADDRESS)", nil
		}
		return col + " = ?", nil
	case opCmp:
		return col + " " + c.cmp.String() + " " + strconv.FormatUint(c.nums[0], 10), nil
	case opPrefix:
		// Trino's contains(network, address) on the IPADDRESS type
		// (https://trino.io/docs/current/functions/ipaddress.html).
		return "contains(" + quoteString(c.prefix.String()) + ", CAST(" + col + " AS IPADDRESS))", nil
	case opIn:
		vals := c.texts()
		lits := make([]string, len(vals))
		for i, v := range vals {
			switch {
			case numeric(c.field):
				lits[i] = v
			case c.field.Kind() == flowlog.KindAddr:
				lits[i] = "IPADDRESS " + quoteString(v)
			default:
				lits[i] = quoteString(v)
			}
		}
		if c.field.Kind() == flowlog.KindAddr {
			// Compared as addresses, not text, so that any spelling of an
			// IPv6 address matches (https://trino.io/docs/current/language/types.html#ipaddress).
			col = "CAST(" + col + " AS IPADDRESS)"
		}
		if len(lits) == 1 {
			return col + " = " + lits[0], nil
		}
		return col + " IN (" + strings.Join(lits, ", ") + ")", nil
	}
	return "", fmt.Errorf("%w: condition %d in SQL", ErrUnsupported, c.op)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func quoteTable(t string) string {
	if strings.Contains(t, `"`) {
		return t
	}
	parts := strings.Split(t, ".")
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}
