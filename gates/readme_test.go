package gates

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

// gates/README.md lists every project rule as review.Rules() defines it.
func TestReadmeListsTheProjectRules(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range review.Rules() {
		row := fmt.Sprintf("| `%s` | %s | %s | [doc](%s) |", r.ID, r.Severity, r.Summary, r.DocURL)
		if !strings.Contains(string(readme), row+"\n") {
			t.Errorf("gates/README.md lacks the row\n%s", row)
		}
	}
}
