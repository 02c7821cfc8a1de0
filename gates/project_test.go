package gates

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

// The project gate and `flowlog review --allowlist` give the same verdict on
// every fixture and golden template: the same findings, blocking or allowed
// alike, because both run review.Rules() and this allow-list.
func TestProjectGateAgreesWithReview(t *testing.T) {
	paths := append(fixtures(t), goldens()...)
	gate, err := CheckProjectRules(paths)
	if err != nil {
		t.Fatal(err)
	}
	key := func(tpl, rule, id string, blocks, allowed bool) string {
		return fmt.Sprintf("%s %s %s blocks=%v allowed=%v", filepath.Base(tpl), rule, id, blocks, allowed)
	}
	var fromGate, fromReview []string
	for _, f := range gate {
		fromGate = append(fromGate, key(f.Template, f.Rule, f.LogicalID, f.Severity == SeverityError, f.Allowed))
	}
	for _, p := range paths {
		tpl, err := review.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fs := review.Check(tpl)
		if err := AllowReviewFindings(tpl, fs); err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			fromReview = append(fromReview, key(p, f.Rule, f.LogicalID, f.Severity.Blocks(), f.Allowed))
		}
	}
	sort.Strings(fromGate)
	sort.Strings(fromReview)
	if !reflect.DeepEqual(fromGate, fromReview) {
		t.Errorf("project gate and review disagree:\ngate   %v\nreview %v", fromGate, fromReview)
	}
	if len(fromGate) == 0 {
		t.Error("no findings at all: the comparison proves nothing")
	}
}
