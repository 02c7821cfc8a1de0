package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/gates"
	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

const reviewUsage = `usage:
  flowlog review [--markdown | --json] [--strict[=SEVERITY]] [--allowlist] [--cost GB_PER_DAY] [--prices FILE] TEMPLATE|DIR...
  flowlog review --base OLD [same flags] NEW
  flowlog review --price-table [--prices FILE]

Explains every AWS::EC2::FlowLog in CloudFormation templates (JSON or YAML,
ours or anyone's; a directory such as cdk.out is searched for templates):
what is captured, which fields, where it goes, who can deliver and read it,
how long it is kept, what analytics are attached, and the project rules'
findings (the same rules the template gates run).

With --base, compares OLD with NEW (files or directories; templates are
paired by file name) and reports posture changes in words: capture
narrowed, fields removed, flow log or destination removed, trust widened
or its conditions dropped or made ...IfExists, permissions or resource
policies that allow more than before (a wildcard covers what it matches,
so narrowing "*" to an ARN is no weakening), retention shortened (setting
retention where logs were kept forever is a fix, not a weakening),
deletion or replace policy changed, encryption removed, and findings that
are new or resolved.

With --cost, adds a monthly cost ESTIMATE per flow log and in total from
the dated us-east-1 price table in review/prices.json, for GB_PER_DAY of
flow-log records delivered by each flow log; analytics resources without a
monthly price (saved queries, workgroups, the Glue catalog, the alarm topic)
are listed as not priced, with the reason. --cost 0 gives the fixed part.

Flags:
  --markdown         write Markdown for a pull-request comment
  --json             write JSON
  --strict[=SEV]     exit 1 on a finding of severity SEV or worse (default
                     medium, as the gates block); with --base, on a
                     weakening change or a new finding of SEV or worse.
                     Severities: info, low, medium, high, error.
  --cost GB_PER_DAY  add a monthly cost estimate (GB_PER_DAY from 0 to 1000000)
  --base OLD         compare OLD (before) with NEW (after)
  --prices FILE      price another Region or date: a JSON table in the format
                     of review/prices.json (every item priced, each cited)
  --price-table      print the price table (review/prices.json, or --prices
                     FILE) as Markdown: every price, how it was verified, its
                     source, and what is not priced and why
  --allowlist        apply this project's reviewed exceptions
                     (gates/allowlist.json) as the gates do: allowed findings
                     are shown with their reason and do not count for --strict

Examples:
  flowlog review cdk.out
  flowlog review --strict --allowlist cdk.out      # the verdict of the gates' project gate
  flowlog review --strict=high --cost 20 test/testdata/default.template.json
  flowlog review --markdown --base main.template.json cdk.out/VpcFlowLogs.template.json > comment.md
  flowlog review --json other-team-stack.yaml | jq '.reports[].findings'

` + reviewExitStatusHelp

// maxCostGBPerDay is the most --cost accepts: a petabyte of flow-log records
// a day is beyond any account's flow logs, and larger inputs (1e300, Inf)
// only overflow the estimate.
const maxCostGBPerDay = 1_000_000

// runReview implements "flowlog review".
func runReview(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	markdown := fs.Bool("markdown", false, "")
	asJSON := fs.Bool("json", false, "")
	strict := fs.String("strict", "", "")
	costArg := fs.String("cost", "", "")
	base := fs.String("base", "", "")
	pricesFile := fs.String("prices", "", "")
	allow := fs.Bool("allowlist", false, "")
	priceTable := fs.Bool("price-table", false, "")
	help := fs.Bool("help", false, "")
	fs.BoolVar(help, "h", false, "")
	args = slices.Clone(args) // not the caller's
	for i, a := range args {  // --strict alone means --strict=medium
		if a == "--strict" || a == "-strict" {
			args[i] = "--strict=medium"
		}
	}
	pos, err := parseArgs(fs, args) // flags before or after the templates
	if err != nil {
		complain(stderr, "flowlog review: %v (see flowlog review --help)\n", err)
		return 2
	}
	if *help {
		if _, err := fmt.Fprint(stdout, reviewUsage); err != nil {
			return 2
		}
		return 0
	}
	if *markdown && *asJSON {
		complain(stderr, "flowlog review: --markdown and --json exclude each other\n")
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	minSev := review.Severity(-1)
	if set["strict"] {
		s, err := review.ParseSeverity(*strict)
		if err != nil {
			complain(stderr, "flowlog review: --strict: %v\n", err)
			return 2
		}
		minSev = s
	}
	gbPerDay := -1.0
	if set["cost"] {
		v, err := strconv.ParseFloat(*costArg, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > maxCostGBPerDay {
			complain(stderr, "flowlog review: --cost %q: want GB of flow-log records per day from 0 to %d, e.g. --cost 20\n", *costArg, maxCostGBPerDay)
			return 2
		}
		gbPerDay = v
	}
	prices := review.DefaultPrices()
	if *pricesFile != "" {
		data, err := os.ReadFile(*pricesFile)
		if err == nil {
			prices, err = review.ParsePrices(data)
		}
		if err != nil {
			complain(stderr, "flowlog review: --prices: %v\n", err)
			return 2
		}
	}
	if *priceTable {
		if len(pos) > 0 || *base != "" {
			complain(stderr, "flowlog review: --price-table prints the price table and takes no templates\n")
			return 2
		}
		if err := review.WritePriceTable(stdout, prices); err != nil {
			complain(stderr, "flowlog review: writing output: %v\n", err)
			return 2
		}
		return 0
	}
	switch {
	case len(pos) == 0 && *base != "":
		complain(stderr, "flowlog review: --base OLD needs the NEW template or directory to compare it with (see flowlog review --help)\n")
		return 2
	case len(pos) == 0:
		complain(stderr, "flowlog review: no template given: name template files or directories such as cdk.out (see flowlog review --help)\n")
		return 2
	case *base != "" && len(pos) != 1:
		complain(stderr, "flowlog review: --base OLD compares with exactly one NEW template or directory, not %d (%s); review several without --base\n", len(pos), strings.Join(pos, " "))
		return 2
	}
	format := "text"
	if *markdown {
		format = "markdown"
	} else if *asJSON {
		format = "json"
	}
	if *base != "" {
		return reviewDiff(*base, pos[0], format, minSev, gbPerDay, prices, *allow, stdout, stderr)
	}
	var tpls []*review.Template
	for _, p := range pos {
		ts, err := review.Load(p)
		if err != nil {
			complain(stderr, "flowlog review: %v\n", err)
			return 2
		}
		tpls = append(tpls, ts...)
	}
	reps := make([]review.Report, len(tpls))
	for i, t := range tpls {
		reps[i] = review.Explain(t)
		if *allow {
			if err := allowFindings(t, &reps[i]); err != nil {
				complain(stderr, "flowlog review: %v\n", err)
				return 2
			}
		}
	}
	var est *review.CostEstimate
	if gbPerDay >= 0 {
		e := review.Estimate(reps, gbPerDay, prices)
		est = &e
	}
	switch format {
	case "json":
		err = writeIndentedJSON(stdout, struct {
			Reports []review.Report      `json:"reports"`
			Cost    *review.CostEstimate `json:"cost,omitempty"`
		}{reps, est})
	case "markdown":
		err = review.WriteMarkdown(stdout, reps)
		if err == nil && est != nil {
			err = review.WriteCostMarkdown(stdout, *est)
		}
	default:
		err = review.WriteText(stdout, reps)
		if err == nil && est != nil {
			_, err = fmt.Fprintln(stdout)
			if err == nil {
				err = review.WriteCostText(stdout, *est)
			}
		}
	}
	if err != nil {
		complain(stderr, "flowlog review: writing output: %v\n", err)
		return 2
	}
	if minSev >= 0 {
		n := 0
		for _, r := range reps {
			for _, f := range r.Findings {
				if f.Severity >= minSev && !f.Allowed {
					n++
				}
			}
		}
		if n > 0 {
			complain(stderr, "flowlog review: %d finding(s) of severity %s or worse\n", n, minSev)
			return 1
		}
	}
	return 0
}

// pairTemplates loads OLD and NEW and pairs their templates by file name (a
// single template on each side is a pair whatever the names).
func pairTemplates(oldPath, newPath string) ([][2]*review.Template, error) {
	olds, err := review.Load(oldPath)
	if err != nil {
		return nil, err
	}
	news, err := review.Load(newPath)
	if err != nil {
		return nil, err
	}
	if len(olds) == 1 && len(news) == 1 {
		return [][2]*review.Template{{olds[0], news[0]}}, nil
	}
	byName := map[string]*review.Template{}
	for _, t := range olds {
		byName[filepath.Base(t.Path)] = t
	}
	var pairs [][2]*review.Template
	for _, n := range news {
		o := byName[filepath.Base(n.Path)]
		delete(byName, filepath.Base(n.Path))
		if o == nil {
			o = &review.Template{Path: "(none)", Resources: map[string]review.Resource{}}
		}
		pairs = append(pairs, [2]*review.Template{o, n})
	}
	for _, o := range olds { // templates that disappeared
		if byName[filepath.Base(o.Path)] != nil {
			pairs = append(pairs, [2]*review.Template{o, {Path: "(none)", Resources: map[string]review.Resource{}}})
		}
	}
	return pairs, nil
}

// allowFindings marks a report's findings (and each flow log's copy of them)
// that the gates' allow-list covers.
func allowFindings(t *review.Template, rep *review.Report) error {
	if err := gates.AllowReviewFindings(t, rep.Findings); err != nil {
		return err
	}
	for i := range rep.FlowLogs {
		if err := gates.AllowReviewFindings(t, rep.FlowLogs[i].Findings); err != nil {
			return err
		}
	}
	return nil
}

func reviewDiff(oldPath, newPath, format string, minSev review.Severity, gbPerDay float64, prices review.PriceTable, allow bool, stdout, stderr io.Writer) int {
	pairs, err := pairTemplates(oldPath, newPath)
	if err != nil {
		complain(stderr, "flowlog review: %v\n", err)
		return 2
	}
	diffs := make([]review.Diff, len(pairs))
	var baseReps, headReps []review.Report
	for i, p := range pairs {
		diffs[i] = review.Compare(p[0], p[1])
		if allow {
			if err := gates.AllowReviewFindings(p[1], diffs[i].NewFindings); err != nil {
				complain(stderr, "flowlog review: %v\n", err)
				return 2
			}
		}
		baseReps = append(baseReps, review.Explain(p[0]))
		headReps = append(headReps, review.Explain(p[1]))
	}
	var costs []review.CostEstimate
	if gbPerDay >= 0 {
		costs = []review.CostEstimate{review.Estimate(baseReps, gbPerDay, prices), review.Estimate(headReps, gbPerDay, prices)}
	}
	switch format {
	case "json":
		out := struct {
			Diffs []review.Diff         `json:"diffs"`
			Cost  []review.CostEstimate `json:"cost,omitempty"` // base, then head
		}{diffs, costs}
		err = writeIndentedJSON(stdout, out)
	default:
		for i, d := range diffs {
			if i > 0 {
				_, err = fmt.Fprintln(stdout)
			}
			if err == nil && format == "markdown" {
				err = review.WriteDiffMarkdown(stdout, d)
			} else if err == nil {
				err = review.WriteDiffText(stdout, d)
			}
		}
		if err == nil && costs != nil {
			delta := costs[1].TotalUSD - costs[0].TotalUSD
			_, err = fmt.Fprintf(stdout, "\nestimated monthly cost at %g GB/day per flow log: $%.2f -> $%.2f (%+.2f); an estimate from %s list prices of %s\n",
				gbPerDay, costs[0].TotalUSD, costs[1].TotalUSD, delta, costs[1].Region, costs[1].PricesDate)
		}
	}
	if err != nil {
		complain(stderr, "flowlog review: writing output: %v\n", err)
		return 2
	}
	if minSev >= 0 {
		for _, d := range diffs {
			if d.Weakened(minSev) {
				complain(stderr, "flowlog review: %s weakens %s\n", d.Head, d.Base)
				return 1
			}
		}
	}
	return 0
}

// complain tells people on stderr; when stderr itself fails there is nobody left to tell.
func complain(stderr io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(stderr, format, args...)
}

// writeIndentedJSON writes v as indented JSON, for review reports.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
