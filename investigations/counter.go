package investigations

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Counter is a count that alarms: a CloudWatch Logs metric filter over a
// flow-log group that emits Value for each matching event. Counters have
// no dimensions: a dimension per address would make a metric per address
// (billed as custom metrics, and a filter making more than 1,000
// dimension values an hour may be disabled;
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MetricFilters.html).
type Counter struct {
	Name        string  // stable kebab-case ID, e.g. "rejected-ssh-rdp"; also the metric name's base
	Title       string  // short title for people
	Description string  // what a rise means
	Where       Cond    // which events count: an AND of conditions on distinct fields (an OR of values of one field is fine)
	Value       Measure // Records emits 1 per event; Packets or Bytes emit the field's value
}

var counters = []Counter{
	{
		Name: "rejected-ssh-rdp", Title: "Rejected SSH/RDP",
		Description: "Connections to SSH (22) or RDP (3389) that security groups or network ACLs rejected: probing of remote administration.",
		Where:       And(rejected, ports(SSHRDPPorts)), Value: Records,
	},
	{
		Name: "rejected", Title: "Rejected flows",
		Description: "Every rejected flow: scans, misconfigured security groups, blocked exfiltration.",
		Where:       rejected, Value: Records,
	},
	{
		Name: "nodata", Title: "NODATA intervals",
		Description: "Aggregation intervals in which an interface had no traffic.",
		Where:       Equal(flowlog.LogStatus, "NODATA"), Value: Records,
	},
	{
		Name: "skipdata", Title: "SKIPDATA intervals",
		Description: "Aggregation intervals in which flow logs skipped records (capacity or internal error): the logs are incomplete.",
		Where:       Equal(flowlog.LogStatus, "SKIPDATA"), Value: Records,
	},
	{
		Name: "accepted-bytes", Title: "Accepted bytes",
		Description: "Bytes of accepted traffic, for traffic-over-time graphs.",
		Where:       accepted, Value: Bytes,
	},
	{
		Name: "rejected-bytes", Title: "Rejected bytes",
		Description: "Bytes of rejected traffic, for traffic-over-time graphs.",
		Where:       rejected, Value: Bytes,
	},
}

// Counters returns every counter, in a stable order. The slice is a copy.
func Counters() []Counter { return append([]Counter(nil), counters...) }

// LookupCounter returns the counter with the name.
func LookupCounter(name string) (Counter, bool) {
	for _, c := range counters {
		if c.Name == name {
			return c, true
		}
	}
	return Counter{}, false
}

// Needs returns the fields a format must have for the counter.
func (c Counter) Needs() []flowlog.Field {
	var mask uint64
	for _, f := range c.Where.Fields() {
		mask |= 1 << f
	}
	if f := c.Value.Field(); f.Valid() {
		mask |= 1 << f
	}
	return maskFields(mask)
}

// Missing returns the fields of Needs that f lacks.
func (c Counter) Missing(f flowlog.Format) []flowlog.Field { return missing(c.Needs(), f) }

// MetricValue returns the metric filter's value: "1" for Records, or the
// field's pattern name after a "$" ("$bytes") for a sum.
func (c Counter) MetricValue() string {
	if f := c.Value.Field(); f.Valid() {
		return "$" + PatternField(f)
	}
	return "1"
}

// PatternField returns the name a metric-filter pattern gives a field:
// its column name, e.g. "log_status".
func PatternField(f flowlog.Field) string { return f.Column() }

// MetricFilterPattern returns the space-delimited filter pattern that
// matches the counter's events in format f: every field of f named in
// order, with the counter's conditions on theirs, e.g.
// [version, account_id, ..., dstport=22 || dstport=3389, ..., action="REJECT", log_status]
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
// "Using filter patterns to match terms in space-delimited log events").
// It fails if f lacks a field (*MissingError) or a condition has no
// pattern form (ErrUnsupported): address prefixes, parameters, NOT of
// a set, conditions across fields joined by OR.
func (c Counter) MetricFilterPattern(f flowlog.Format) (string, error) {
	if err := c.Where.Err(); err != nil {
		return "", fmt.Errorf("%w: counter %s: %w", ErrInvalid, c.Name, err)
	}
	if m := c.Missing(f); len(m) > 0 {
		return "", &MissingError{Name: c.Name, Format: f, Fields: m}
	}
	terms := map[flowlog.Field][]string{}
	var leaves []Cond
	switch c.Where.op {
	case opTrue:
	case opAnd:
		leaves = c.Where.kids
	default:
		leaves = []Cond{c.Where}
	}
	for _, l := range leaves {
		t, err := patternTerm(l)
		if err != nil {
			return "", fmt.Errorf("investigations: counter %s: %w", c.Name, err)
		}
		fld := l.field
		if l.op == opNot {
			fld = l.kids[0].field
		}
		if len(terms[fld]) > 0 {
			return "", fmt.Errorf("investigations: counter %s: %w: two conditions on %s", c.Name, ErrUnsupported, fld.Name())
		}
		terms[fld] = append(terms[fld], t)
	}
	parts := make([]string, f.Len())
	for i := range f.Len() {
		fld := f.Field(i)
		if t, ok := terms[fld]; ok {
			parts[i] = strings.Join(t, " && ")
		} else {
			parts[i] = PatternField(fld)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]", nil
}

func patternTerm(c Cond) (string, error) {
	name := PatternField(c.field)
	lit := func(v string) string {
		if numeric(c.field) {
			return v
		}
		return strconv.Quote(v)
	}
	switch c.op {
	case opIn:
		vals := c.texts()
		alts := make([]string, len(vals))
		for i, v := range vals {
			alts[i] = name + "=" + lit(v)
		}
		return strings.Join(alts, " || "), nil
	case opCmp:
		return name + c.patternOp() + strconv.FormatUint(c.nums[0], 10), nil
	case opPresent:
		return name + `!="-"`, nil
	case opNot:
		k := c.kids[0]
		switch k.op {
		case opIn:
			vals := k.texts()
			if len(vals) == 1 {
				return PatternField(k.field) + "!=" + lit2(k, vals[0]), nil
			}
		case opPresent:
			return PatternField(k.field) + `="-"`, nil
		}
	}
	return "", fmt.Errorf("%w in a metric-filter pattern: %s", ErrUnsupported, c.String())
}

func lit2(c Cond, v string) string {
	if numeric(c.field) {
		return v
	}
	return strconv.Quote(v)
}

func (c Cond) patternOp() string {
	if c.cmp == Ne {
		return "!="
	}
	return c.cmp.String()
}
