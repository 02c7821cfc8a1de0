package review

import (
	"fmt"
	"io"
	"strings"
)

// WriteDiffText writes a posture diff for a terminal.
func WriteDiffText(w io.Writer, d Diff) error {
	ew := &errWriter{w: w}
	weak := 0
	for _, c := range d.Changes {
		if c.Weakening {
			weak++
		}
	}
	ew.printf("%s -> %s: %s (%d weakening), %s, %s\n", d.Base, d.Head, plural(len(d.Changes), "posture change", "posture changes"), weak,
		plural(len(d.NewFindings), "new finding", "new findings"), plural(len(d.ResolvedFindings), "resolved finding", "resolved findings"))
	for _, c := range d.Changes {
		label := "changed"
		if c.Weakening {
			label = "WEAKER"
		}
		ew.printf("  %-8s %s: %s\n", label, c.FlowLog, c.Message)
	}
	for _, f := range d.NewFindings {
		ew.printf("  new      %s\n", findingLine(f))
	}
	for _, f := range d.ResolvedFindings {
		ew.printf("  resolved %s\n", findingLine(f))
	}
	return ew.err
}

// WriteDiffMarkdown writes a posture diff as a pull-request comment.
func WriteDiffMarkdown(w io.Writer, d Diff) error {
	ew := &errWriter{w: w}
	ew.printf("### Flow-log posture: %s → %s\n\n", mdCode(d.Base), mdCode(d.Head))
	if len(d.Changes)+len(d.NewFindings)+len(d.ResolvedFindings) == 0 {
		ew.printf("No change in flow-log posture.\n")
		return ew.err
	}
	if len(d.Changes) > 0 {
		ew.printf("| | flow log | change |\n| --- | --- | --- |\n")
		for _, c := range d.Changes {
			mark := ""
			if c.Weakening {
				mark = "⚠️ weaker"
			}
			ew.printf("| %s | %s | %s |\n", mark, mdCode(c.FlowLog), mdEscape(c.Message))
		}
		ew.printf("\n")
	}
	for _, f := range d.NewFindings {
		ew.printf("- new finding: **%s** %s on %s: %s\n", f.Severity, mdCode(f.Rule), mdCode(orDefault(f.LogicalID, "(template)")), mdEscape(f.Message))
	}
	for _, f := range d.ResolvedFindings {
		ew.printf("- resolved: %s on %s\n", mdCode(f.Rule), mdCode(orDefault(f.LogicalID, "(template)")))
	}
	return ew.err
}

func usd(v float64) string { return fmt.Sprintf("$%.2f", v) }

// WriteCostText writes a cost estimate for a terminal, its columns aligned
// over every flow log's lines.
func WriteCostText(w io.Writer, e CostEstimate) error {
	ew := &errWriter{w: w}
	ew.printf("ESTIMATE, not a quote: %s list prices of %s, %g GB/day per flow log\n", e.Region, e.PricesDate, e.GBPerDay)
	itemW, qtyW, unitW, usdW := 0, 0, 0, 0
	for _, fl := range e.FlowLogs {
		for _, l := range fl.Lines {
			itemW = max(itemW, len(l.Item))
			qtyW = max(qtyW, len(fmt.Sprintf("%.2f", l.Quantity)))
			unitW = max(unitW, len(l.Unit))
			usdW = max(usdW, len(usd(l.USD)))
		}
	}
	for _, fl := range e.FlowLogs {
		ew.printf("\n%s (%s): %s a month\n", fl.FlowLog, fl.Template, usd(fl.MonthlyUSD))
		for _, l := range fl.Lines {
			var extra []string
			if l.Note != "" {
				extra = append(extra, "("+l.Note+")")
			}
			if !l.Verified {
				extra = append(extra, "[price unverified]")
			}
			line := fmt.Sprintf("  %-*s  %*.2f %-*s  %*s  %s", itemW, l.Item, qtyW, l.Quantity, unitW, l.Unit, usdW, usd(l.USD), strings.Join(extra, " "))
			ew.printf("%s\n", strings.TrimRight(line, " "))
		}
		for _, q := range fl.PerQuery {
			ew.printf("  per query: %s: %.4g %s, %s\n", q.Item, q.Quantity, q.Unit, fmt.Sprintf("$%.4f", q.USD))
		}
		for _, g := range groupNotPriced(fl.NotPriced) {
			ew.printf("  not priced: %s: %s\n", g.what, g.reason)
		}
	}
	ew.printf("\ntotal: %s a month for %s\n", usd(e.TotalUSD), plural(len(e.FlowLogs), "flow log", "flow logs"))
	for _, a := range e.Assumptions {
		ew.printf("  assumes %s\n", a)
	}
	if len(e.Unverified) > 0 {
		ew.printf("  unverified prices (see the price table): %s\n", strings.Join(e.Unverified, ", "))
	}
	return ew.err
}

// WriteCostMarkdown writes a cost estimate as a pull-request comment.
func WriteCostMarkdown(w io.Writer, e CostEstimate) error {
	ew := &errWriter{w: w}
	ew.printf("### Estimated monthly cost (estimate, not a quote)\n\n%s list prices of %s, %g GB/day of flow-log records per flow log.\n\n", e.Region, e.PricesDate, e.GBPerDay)
	ew.printf("| flow log | item | quantity | USD/month |\n| --- | --- | --- | --- |\n")
	for _, fl := range e.FlowLogs {
		for _, l := range fl.Lines {
			mark := ""
			if !l.Verified {
				mark = " †"
			}
			ew.printf("| %s | %s%s | %.2f %s | %s |\n", mdCode(fl.FlowLog), mdEscape(l.Item), mark, l.Quantity, mdEscape(l.Unit), usd(l.USD))
		}
		ew.printf("| %s | **subtotal** | | **%s** |\n", mdCode(fl.FlowLog), usd(fl.MonthlyUSD))
	}
	ew.printf("| | **total** | | **%s** |\n\n", usd(e.TotalUSD))
	for _, fl := range e.FlowLogs {
		for _, g := range groupNotPriced(fl.NotPriced) {
			ew.printf("- not priced for %s: %s: %s\n", mdCode(fl.FlowLog), mdEscape(g.what), mdEscape(g.reason))
		}
	}
	for _, a := range e.Assumptions {
		ew.printf("- assumes %s\n", mdEscape(a))
	}
	if len(e.Unverified) > 0 {
		ew.printf("- † price not verified against the AWS pricing page when the table was dated\n")
	}
	return ew.err
}

type notPricedGroup struct{ what, reason string }

// groupNotPriced sums up the unpriced resources by type, in order of first
// appearance: "AlarmsTopic (AWS::SNS::Topic)", "15 AWS::Athena::NamedQuery".
func groupNotPriced(ns []NotPricedLine) []notPricedGroup {
	var order []string
	byType := map[string][]NotPricedLine{}
	for _, n := range ns {
		if _, ok := byType[n.Type]; !ok {
			order = append(order, n.Type)
		}
		byType[n.Type] = append(byType[n.Type], n)
	}
	out := make([]notPricedGroup, 0, len(order))
	for _, ty := range order {
		g := byType[ty]
		what := fmt.Sprintf("%d %s", len(g), ty)
		if len(g) == 1 {
			what = fmt.Sprintf("%s (%s)", g[0].Resource, ty)
		}
		out = append(out, notPricedGroup{what, g[0].Reason})
	}
	return out
}
