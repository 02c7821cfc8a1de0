package investigations_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// catalogueMarkdown is the README's list of investigations and counters,
// generated from Catalogue() and Counters() so that it cannot drift.
func catalogueMarkdown() string {
	var b strings.Builder
	b.WriteString("| investigation | question | fields it needs | records it counts | AWS named query |\n| --- | --- | --- | --- | --- |\n")
	for _, inv := range investigations.Catalogue() {
		var needs []string
		for _, f := range inv.Needs() {
			needs = append(needs, f.Name())
		}
		aws := inv.AWSName
		if aws == "" {
			aws = "–"
		}
		q := inv.Question
		if ps := inv.Params(); len(ps) > 0 {
			q += " (parameter: " + ps[0].Name + ")"
		}
		b.WriteString("| `" + inv.Name + "` | " + q + " | " + strings.Join(needs, ", ") + " | " + actionsText(inv.Actions()) + " | " + aws + " |\n")
	}
	b.WriteString("\n| counter (metric filter) | counts | records it counts | value |\n| --- | --- | --- | --- |\n")
	for _, c := range investigations.Counters() {
		b.WriteString("| `" + c.Name + "` | " + c.Description + " | " + actionsText(c.Actions()) + " | " + c.MetricValue() + " |\n")
	}
	return b.String()
}

// actionsText shows the actions of the records an investigation or counter counts: "any",
// or e.g. "REJECT" (a flow log of ACCEPT traffic never delivers those).
func actionsText(a investigations.ActionSet) string {
	if a == investigations.AnyAction {
		return "any"
	}
	return strings.ReplaceAll(a.String(), ",", ", ")
}

func readmeBlock(t *testing.T, readme, name string) string {
	t.Helper()
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README lacks the %s block", name)
	}
	return readme[i+len(begin) : j]
}

var update = flag.Bool("update", false, "rewrite the README's generated blocks")

// replaceBlock returns readme with the block's content replaced.
func replaceBlock(t *testing.T, readme, name, content string) string {
	t.Helper()
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README lacks the %s block", name)
	}
	return readme[:i+len(begin)] + content + readme[j:]
}

// TestREADME holds the README's catalogue and its rendered examples equal
// to what the code generates.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	inv, _ := investigations.Lookup("rejected-ssh-rdp")
	sql, _ := inv.AthenaSQL("vpc_flow_logs.flows", flowlog.DefaultFormat())
	v5, _ := flowlog.Preset("v5")
	iq, _ := inv.InsightsQuery(v5)
	blocks := map[string]string{
		"investigations":   catalogueMarkdown(),
		"athena-example":   "```sql\n" + sql + "\n```\n",
		"insights-example": "```\n" + iq + "\n```\n",
	}
	if *update {
		for name, content := range blocks {
			readme = replaceBlock(t, readme, name, content)
		}
		if err := os.WriteFile("../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range blocks {
		if got := readmeBlock(t, readme, name); got != want {
			t.Errorf("README %s block is stale (go test ./investigations -run TestREADME -update); it should be:\n%s", name, want)
		}
	}
}
