package investigations

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// insightsDiscovered are the names CloudWatch Logs Insights gives the
// fields of default-format flow-log events on its own
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html).
var insightsDiscovered = map[flowlog.Field]string{
	flowlog.Version:     "version",
	flowlog.AccountID:   "accountId",
	flowlog.InterfaceID: "interfaceId",
	flowlog.SrcAddr:     "srcAddr",
	flowlog.DstAddr:     "dstAddr",
	flowlog.SrcPort:     "srcPort",
	flowlog.DstPort:     "dstPort",
	flowlog.Protocol:    "protocol",
	flowlog.Packets:     "packets",
	flowlog.Bytes:       "bytes",
	flowlog.Start:       "startTime",
	flowlog.End:         "endTime",
	flowlog.Action:      "action",
	flowlog.LogStatus:   "logStatus",
}

// InsightsField returns the Logs Insights name of a field: the
// discovered name for the 14 default-format fields (e.g. "srcAddr",
// "startTime"), else the lower-camel-case of the field name (e.g.
// "pktSrcAwsService"; pkt-srcaddr and pkt-dstaddr are "pktSrcAddr" and
// "pktDstAddr", like srcAddr). Queries over other formats give these names to
// the fields with a parse clause ([InsightsParse]).
func InsightsField(f flowlog.Field) string {
	if n, ok := insightsDiscovered[f]; ok {
		return n
	}
	switch f {
	case flowlog.PktSrcAddr: // like srcAddr
		return "pktSrcAddr"
	case flowlog.PktDstAddr:
		return "pktDstAddr"
	}
	parts := strings.Split(f.Name(), "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// InsightsParse returns the clause that names the fields of events in
// format f, for Logs Insights queries: "" for the default format, whose
// fields Insights discovers, else
// `parse @message "* * ... *" as f1, f2, ...` with the fields in format
// order (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html).
func InsightsParse(f flowlog.Format) string {
	if f == flowlog.DefaultFormat() {
		return ""
	}
	stars := make([]string, f.Len())
	names := make([]string, f.Len())
	for i := range f.Len() {
		stars[i] = "*"
		names[i] = InsightsField(f.Field(i))
	}
	return `parse @message "` + strings.Join(stars, " ") + `" as ` + strings.Join(names, ", ")
}

// insightsMeasure is the stats alias of a measure.
func insightsMeasure(m Measure) string {
	switch m {
	case Packets:
		return "packetsTotal"
	case Bytes:
		return "bytesTotal"
	}
	return "records"
}

// InsightsQuery renders inv as a CloudWatch Logs Insights query over a
// log group of flow-log events in format f
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html;
// isIpv4InSubnet, isIpv6InSubnet and strcontains:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html).
// The measures are named records, packetsTotal and bytesTotal; the hour
// of start is bin(1h) over @timestamp, which is the flow's start for
// flow-log events; an address family is strcontains(addr, ":") (1 for
// IPv6); a labelled key (LabelOf) shows the code, with the labels in a
// comment line at the end of the query.
// A parameterised investigation must be bound first
// ([Investigation.Bind]): query definitions have no parameters.
func (inv Investigation) InsightsQuery(f flowlog.Format) (string, error) {
	inv, err := inv.check(f)
	if err != nil {
		return "", err
	}
	if ps := inv.Params(); len(ps) > 0 {
		return "", fmt.Errorf("investigations: %s: %w: %s (Bind it first)", inv.Name, ErrUnboundParam, paramNames(ps))
	}
	var cmds []string
	var legend []string
	if p := InsightsParse(f); p != "" {
		cmds = append(cmds, p)
	}
	if !inv.Where.IsZero() {
		w, err := insightsCond(inv.Where)
		if err != nil {
			return "", fmt.Errorf("investigations: %s: %w", inv.Name, err)
		}
		cmds = append(cmds, "filter "+w)
	}
	var keys []string
	for _, k := range inv.GroupBy {
		name := InsightsField(k.Field)
		switch k.Kind {
		case ByHour:
			if k.Field != flowlog.Start {
				return "", fmt.Errorf("investigations: %s: %w: Logs Insights bins only @timestamp (the start), not %s", inv.Name, ErrUnsupported, k.Field.Name())
			}
			keys = append(keys, "bin(1h) as hour")
		case ByLabel:
			// Logs Insights shows the code; a comment line gives the labels
			// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-alias.html).
			labels := ValueLabels(k.Field)
			var ls []string
			for _, n := range slices.Sorted(maps.Keys(labels)) {
				ls = append(ls, labels[n])
			}
			legend = append(legend, "# "+name+": "+strings.Join(ls, "; ")+"\n")
			keys = append(keys, name)
		case ByFamily:
			alias := name + "IsIpv6"
			cmds = append(cmds, "fields strcontains("+name+`, ":") as `+alias)
			keys = append(keys, alias)
		default:
			keys = append(keys, name)
		}
	}
	stats := make([]string, len(inv.Measures))
	for i, m := range inv.Measures {
		if m == Records {
			stats[i] = "count(*) as records"
		} else {
			stats[i] = "sum(" + InsightsField(m.Field()) + ") as " + insightsMeasure(m)
		}
	}
	s := "stats " + strings.Join(stats, ", ")
	if len(keys) > 0 {
		s += " by " + strings.Join(keys, ", ")
	}
	cmds = append(cmds, s)
	if inv.OrderBy != 0 {
		cmds = append(cmds, "sort "+insightsMeasure(inv.OrderBy)+" desc")
	} else if len(inv.GroupBy) > 0 {
		k := keys[0]
		if i := strings.LastIndex(k, " as "); i >= 0 {
			k = k[i+4:]
		}
		cmds = append(cmds, "sort "+k+" asc")
	}
	if inv.Limit > 0 {
		cmds = append(cmds, "limit "+strconv.Itoa(inv.Limit))
	}
	q := strings.Join(cmds, "\n| ")
	if len(legend) > 0 {
		q += "\n" + strings.TrimSuffix(strings.Join(legend, ""), "\n")
	}
	return q, nil
}

func insightsCond(c Cond) (string, error) {
	switch c.op {
	case opTrue:
		return "1 = 1", nil
	case opAnd, opOr:
		sep := " and "
		if c.op == opOr {
			sep = " or "
		}
		parts := make([]string, len(c.kids))
		for i, k := range c.kids {
			s, err := insightsCond(k)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, sep) + ")", nil
	case opNot:
		s, err := insightsCond(c.kids[0])
		if err != nil {
			return "", err
		}
		return "not (" + s + ")", nil
	}
	name := InsightsField(c.field)
	switch c.op {
	case opPresent:
		// Absent values are "-" in the event text, discovered or parsed.
		return name + ` != "-"`, nil
	case opCmp:
		op := c.cmp.String()
		if c.cmp == Ne {
			op = "!="
		}
		return name + " " + op + " " + strconv.FormatUint(c.nums[0], 10), nil
	case opPrefix:
		fn := "isIpv4InSubnet"
		if c.prefix.Addr().Is6() {
			fn = "isIpv6InSubnet"
		}
		return fn + "(" + name + `, "` + c.prefix.String() + `")`, nil
	case opIn:
		if c.field.Kind() == flowlog.KindAddr {
			// IPv6 text has many spellings: compare as a /128 subnet.
			parts := make([]string, len(c.addrs))
			for i, a := range c.addrs {
				if a.Is4() {
					parts[i] = name + ` = "` + a.String() + `"`
				} else {
					parts[i] = "isIpv6InSubnet(" + name + `, "` + a.String() + `/128")`
				}
			}
			if len(parts) == 1 {
				return parts[0], nil
			}
			return "(" + strings.Join(parts, " or ") + ")", nil
		}
		vals := c.texts()
		lits := make([]string, len(vals))
		for i, v := range vals {
			if numeric(c.field) {
				lits[i] = v
			} else {
				lits[i] = strconv.Quote(v)
			}
		}
		if len(lits) == 1 {
			return name + " = " + lits[0], nil
		}
		return name + " in [" + strings.Join(lits, ", ") + "]", nil
	}
	return "", fmt.Errorf("%w in Logs Insights: condition on %s", ErrUnsupported, c.field.Name())
}
