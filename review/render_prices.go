package review

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// WritePriceTable writes a price table as Markdown: every priced item with
// its price, unit, how it was verified and its source, then the analytics
// resource types the estimate does not price and why. The README's price
// table is this output for prices.json, so the two cannot diverge.
func WritePriceTable(w io.Writer, t PriceTable) error {
	ew := &errWriter{w: w}
	ew.printf("Prices: %s, %s list prices retrieved %s (`review/prices.json`).\n\n", t.Region, t.Currency, t.Retrieved)
	ew.printf("| key | what | price | verified | source |\n| --- | --- | --- | --- | --- |\n")
	keys := make([]string, 0, len(t.Prices))
	for k := range t.Prices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := t.Prices[k]
		verified := "**unverified**"
		if p.Verified != "" {
			verified = p.Verified
		} else if p.Checked != "" {
			verified += ": " + p.Checked
		}
		ew.printf("| `%s` | %s | %s | %s | %s |\n", k, cell(p.What), cell(priceText(p)), cell(verified), p.Source)
	}
	types := make([]string, 0, len(t.Unpriced))
	for ty := range t.Unpriced {
		types = append(types, ty)
	}
	sort.Strings(types)
	ew.printf("\n| not priced | why | source |\n| --- | --- | --- |\n")
	for _, ty := range types {
		u := t.Unpriced[ty]
		ew.printf("| `%s` | %s | %s |\n", ty, cell(u.Reason), u.Source)
	}
	return ew.err
}

// priceText renders a flat price or its volume tiers: "$0.023 per GB-month",
// "$0.50 per GB up to 10 TB, then $0.25 up to 30 TB, ...".
func priceText(p Price) string {
	if len(p.Tiers) == 0 {
		return money(p.USD) + " per " + p.Unit
	}
	parts := make([]string, len(p.Tiers))
	for i, t := range p.Tiers {
		s := money(t.USD)
		if i == 0 {
			s += " per " + p.Unit
		}
		if t.UpToTB > 0 {
			s += " up to " + strconv.FormatFloat(t.UpToTB, 'f', -1, 64) + " TB"
		} else {
			s += " above"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", then ")
}

// money writes a price with as many decimals as it has: $1, $0.5 -> $0.50, $0.00099.
func money(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i == 2 {
		s += "0"
	}
	return fmt.Sprintf("$%s", s)
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
