// Command gatecheck runs the template gates (package gates) over templates or
// directories of templates and exits 1 when a finding blocks.
//
//	go run ./gates/cmd/gatecheck [-gate all|schema|guard|project] [-v] [-json] cdk.out test/testdata
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/gates"
)

func main() {
	gate := flag.String("gate", "all", "which gate: all, schema, guard or project")
	verbose := flag.Bool("v", false, "also print allow-listed findings with their reasons")
	showInfo := flag.Bool("info", false, "also print info-level findings")
	asJSON := flag.Bool("json", false, "print all findings as JSON")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: gates/check [-gate all|schema|guard|project] [-v] [-info] [-json] DIR|TEMPLATE...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	// gates/check runs `go run -C <repo>`; resolve the user's paths where the user typed them.
	if wd := os.Getenv("GATES_CWD"); wd != "" {
		if err := os.Chdir(wd); err != nil {
			fail(err)
		}
	}
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var paths []string
	for _, a := range flag.Args() {
		st, err := os.Stat(a)
		if err != nil {
			fail(err)
		}
		if !st.IsDir() {
			paths = append(paths, a)
			continue
		}
		ps, err := gates.TemplatesIn(a)
		if err != nil {
			fail(err)
		}
		if len(ps) == 0 {
			fail(fmt.Errorf("no *.template.json under %s (run `npx cdk synth` first?)", a))
		}
		paths = append(paths, ps...)
	}
	run := map[string]func([]string) ([]gates.Finding, error){
		"all":             gates.RunAll,
		gates.GateSchema:  gates.ValidateSchema,
		gates.GateGuard:   gates.RunGuard,
		gates.GateProject: gates.CheckProjectRules,
	}[*gate]
	if run == nil {
		flag.Usage()
		os.Exit(2)
	}
	start := time.Now()
	findings, err := run(paths)
	if err != nil {
		fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(findings)
	}
	blocking := gates.Blocking(findings)
	allowed, info := 0, 0
	for _, f := range findings {
		switch {
		case f.Allowed:
			allowed++
		case !f.Blocks():
			info++
		}
		if !*asJSON && (f.Blocks() || (f.Allowed && *verbose) || (!f.Allowed && !f.Blocks() && *showInfo)) {
			fmt.Println(f)
		}
	}
	if *verbose && (*gate == "all" || *gate == gates.GateGuard) {
		if cs, err := gates.ApplicableControls(paths); err == nil {
			ids := make([]string, len(cs))
			for i, c := range cs {
				ids[i] = c.ID
			}
			fmt.Fprintf(os.Stderr, "Control Tower controls run (%d): %s\n", len(ids), strings.Join(ids, " "))
		}
	}
	fmt.Fprintf(os.Stderr, "gates (%s) over %d template(s) in %s: %d blocking, %d allowed by gates/allowlist.json, %d info\n",
		*gate, len(paths), time.Since(start).Round(time.Millisecond), len(blocking), allowed, info)
	if len(blocking) > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "gates") {
		msg = "gates: " + msg
	}
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(2)
}
