package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

const investigateHelp = `usage: flowlog investigate [flags] NAME... INPUT...
       flowlog investigate --all [flags] INPUT...
       flowlog investigate --list [--format F]

Runs investigations of the catalogue over the inputs with the native
evaluator: the same definitions the stack renders as Athena named queries,
Logs Insights queries and Contributor Insights rules. --list prints them with
the fields each needs (those it filters, groups and orders by; a format
without packets or bytes drops that column), the actions of the records it
can count (a flow log of another traffic type gets none of it) and, with
--format, whether that format has the fields.
Parameters (e.g. the address of traffic-from-address) are given with
--param name=value. --all runs every investigation without parameters that
the format of any input can answer (each input's first record is read
first to learn its format, so the tables do not depend on the inputs'
order), each table over the inputs whose format has its fields, as for
summarize --by over several formats; standard input, which cannot be read
twice, answers what its first record's format can. The filter flags
narrow every investigation.

Inputs are as for 'flowlog summarize' (files, directories, -, s3://, cwl://).

Examples:
  flowlog investigate --list --format v5
  flowlog investigate rejected-ssh-rdp ./logs/
  flowlog investigate --all --since 24h ./logs/
  flowlog investigate rejected-traffic admin-port-traffic --since 24h s3://my-flow-logs/
  flowlog investigate traffic-from-address --param srcaddr=10.0.1.7 --json ./logs/

` + exitStatusHelp + "\nFlags:\n"

// runInvestigate is `flowlog investigate`.
func runInvestigate(ctx context.Context, args []string, e *env) int {
	fs := flag.NewFlagSet("investigate", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	list := fs.Bool("list", false, "list the catalogue")
	all := fs.Bool("all", false, "run every investigation without parameters that any input's format can answer")
	var params listFlag
	fs.Var(&params, "param", "a parameter value, name=value (repeatable)")
	out := outputMode(fs)
	pos, status, ok := parseCommand(fs, investigateHelp, args, e)
	if !ok {
		return status
	}
	if *list {
		return listCatalogue(e, in.format)
	}
	mode, err := out.mode()
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: %v\n", err)
		return exitUsage
	}
	var names, inputs []string
	for i, a := range pos {
		if _, ok := investigations.Lookup(a); ok {
			names = append(names, a)
			continue
		}
		inputs = pos[i:]
		break
	}
	if *all {
		if len(names) > 0 || len(params) > 0 || len(inputs) == 0 {
			_, _ = fmt.Fprint(e.stderr, "flowlog investigate: --all takes inputs, and no names or --param\n")
			return exitUsage
		}
		spec := &summary.Spec{TablesFor: summary.Answerable}
		return summarizeWith(ctx, e, &in, inputs, spec, mode, false, "investigate", func(o *source.Options, ins []source.Input) {
			// Standard input alone: the first record read decides (TablesFor).
			spec.Tables = answerableByAny(ctx, o, ins)
		})
	}
	if len(inputs) > 0 && looksLikeName(inputs[0]) {
		// A missing file after names is still named as an input, unless
		// it is close to a name.
		if hint := didYouMean(inputs[0]); len(names) == 0 || hint != "" {
			_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: unknown investigation %q%s (names from 'flowlog investigate --list')\n", inputs[0], hint)
			return exitUsage
		}
	}
	if len(names) == 0 || len(inputs) == 0 {
		_, _ = fmt.Fprint(e.stderr, "flowlog investigate: want NAME... INPUT... (names from 'flowlog investigate --list')\n")
		return exitUsage
	}
	values := map[string]string{}
	for _, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: --param %q: want name=value\n", p)
			return exitUsage
		}
		values[k] = v
	}
	spec := &summary.Spec{}
	used := map[string]bool{}
	for _, n := range names {
		inv, _ := investigations.Lookup(n)
		var args []string
		for _, p := range inv.Params() {
			v, ok := values[p.Name]
			if !ok {
				_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: %s needs --param %s=VALUE (%s)\n", n, p.Name, p.Description)
				return exitUsage
			}
			used[p.Name] = true
			args = append(args, v)
		}
		if _, err := inv.Bind(args...); err != nil {
			_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: %v\n", err)
			return exitUsage
		}
		spec.Tables = append(spec.Tables, inv)
		spec.Args = append(spec.Args, args)
	}
	for k := range values {
		if !used[k] {
			_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: --param %s: no chosen investigation takes it\n", k)
			return exitUsage
		}
	}
	return summarizeInputs(ctx, e, &in, inputs, spec, mode, false, "investigate")
}

// listCatalogue prints the catalogue with the fields each investigation
// needs; with a format, whether it has them.
func listCatalogue(e *env, format string) int {
	var f flowlog.Format
	if format != "" {
		var err error
		if f, err = parseFormatFlag(format); err != nil {
			_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: --format: %v\n", err)
			return exitUsage
		}
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	head := "NAME\tNEEDS\tPARAMS\tACTIONS\tQUESTION"
	if !f.IsZero() {
		head = "NAME\tNEEDS\tPARAMS\tACTIONS\tFORMAT\tQUESTION"
	}
	_, _ = fmt.Fprintln(tw, head)
	for _, inv := range investigations.Catalogue() {
		var needs, params []string
		for _, fld := range inv.Needs() {
			needs = append(needs, fld.Name())
		}
		for _, p := range inv.Params() {
			params = append(params, p.Name)
		}
		// ACTIONS: the records it can count (from its filter); a flow log of another traffic type
		// leaves it out of the stack's analytics.
		actions := inv.Actions().String()
		if inv.Actions() == investigations.AnyAction {
			actions = "any"
		}
		row := []string{inv.Name, strings.Join(needs, ","), strings.Join(params, ","), actions}
		if len(params) == 0 {
			row[2] = "-"
		}
		if !f.IsZero() {
			status := "ok"
			if m := inv.Missing(f); len(m) > 0 {
				var names []string
				for _, fld := range m {
					names = append(names, fld.Name())
				}
				status = "lacks " + strings.Join(names, ",")
			}
			row = append(row, status)
		}
		row = append(row, inv.Question)
		_, _ = fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog investigate: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// answerableByAny returns the investigations without parameters that the
// format of any of ins can answer, in catalogue order: the same tables
// whatever the order of the inputs. It reads the first record of each
// input (up to 8 at a time) to learn its format; standard input, which
// cannot be read twice, and inputs that cannot be opened (reported when
// they are read) are left out.
func answerableByAny(ctx context.Context, o *source.Options, ins []source.Input) []investigations.Investigation {
	formats := make([]flowlog.Format, len(ins))
	known := make([]bool, len(ins))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(8, len(ins)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(ins); i = int(next.Add(1) - 1) {
				if ins[i].Name != "-" {
					formats[i], known[i] = firstFormat(ctx, o, ins[i])
				}
			}
		}()
	}
	wg.Wait()
	var distinct []flowlog.Format
	for i, f := range formats {
		if known[i] && !slices.Contains(distinct, f) {
			distinct = append(distinct, f)
		}
	}
	// In the order of the formats' headers, not of the inputs: each
	// format fits an investigation to itself (Investigation.ForFormat
	// drops a measure it lacks); keep the fit with the most measures.
	slices.SortFunc(distinct, func(a, b flowlog.Format) int { return strings.Compare(a.Header(), b.Header()) })
	fit := map[string]investigations.Investigation{}
	for _, f := range distinct {
		for _, inv := range summary.Answerable(f) {
			if have, ok := fit[inv.Name]; !ok || len(inv.Measures) > len(have.Measures) {
				fit[inv.Name] = inv
			}
		}
	}
	var out []investigations.Investigation
	for _, inv := range investigations.Catalogue() {
		if f, ok := fit[inv.Name]; ok {
			out = append(out, f)
			delete(fit, inv.Name) // once, should the catalogue repeat a name
		}
	}
	return out
}

// byFirstInput returns the step before reading (readInputs) that gives
// choose the format of the first input in argument order, so that what a
// command computes does not depend on which worker begins first. Standard
// input cannot be read twice: there choose is not called, and the caller
// decides by the first record read.
func byFirstInput(ctx context.Context, o *source.Options, choose func(flowlog.Format)) func([]source.Input) {
	return func(ins []source.Input) {
		if len(ins) == 0 || ins[0].Name == "-" {
			return
		}
		if f, ok := firstFormat(ctx, o, ins[0]); ok {
			choose(f)
		}
	}
}

// firstFormat reads the first record of in and returns its format.
func firstFormat(ctx context.Context, o *source.Options, in source.Input) (flowlog.Format, bool) {
	rd, err := in.Open(ctx, o)
	if err != nil {
		return flowlog.Format{}, false
	}
	defer func() { _ = rd.Close() }()
	var r flowlog.Record
	if err := rd.ReadInto(&r); err != nil {
		return flowlog.Format{}, false
	}
	return rd.Format(), true
}

// looksLikeName reports whether a positional argument that is no
// investigation's name was meant as one: it names no existing file and
// has none of a path's or URL's marks ("/", ".", ":"), nor is it "-".
func looksLikeName(arg string) bool {
	if arg == "-" || strings.ContainsAny(arg, "/.:"+string(filepath.Separator)) {
		return false
	}
	_, err := os.Stat(arg)
	return errors.Is(err, fs.ErrNotExist)
}

// didYouMean returns ` (did you mean "NAME"?)` for the catalogue's name
// nearest to s, if near enough to be a typo or a part of it; else "".
func didYouMean(s string) string {
	best, bestD := "", len(s)/2+2
	for _, inv := range investigations.Catalogue() {
		d := editDistance(s, inv.Name)
		if strings.Contains(inv.Name, s) && len(s) >= 4 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = inv.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
