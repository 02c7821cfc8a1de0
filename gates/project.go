package gates

import (
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

// RuleFlowLogFormat is the rule of the project gate that parses every flow
// log's LogFormat with the flowlog field registry.
const RuleFlowLogFormat = "FLOWLOG.FORMAT"

// CheckProjectRules runs the project rules ([review.Rules], the same code that
// `flowlog review` runs) over the templates. A finding of review severity
// medium, high or error is SeverityError here (it blocks); low and info are
// SeverityInfo (reported, not blocking). Allow-list entries for GateProject apply.
func CheckProjectRules(templatePaths []string) ([]Finding, error) {
	tpls, err := loadTemplates(templatePaths)
	if err != nil {
		return nil, err
	}
	var findings []Finding
	for _, p := range templatePaths {
		t, err := review.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("gates: %w", err)
		}
		for _, rf := range review.Check(t) {
			sev := SeverityInfo
			if rf.Severity.Blocks() {
				sev = SeverityError
			}
			findings = append(findings, Finding{
				Gate: GateProject, Rule: rf.Rule, Severity: sev, Template: p,
				LogicalID: rf.LogicalID, ResourceType: rf.ResourceType, Path: rf.Path,
				Message: rf.Message + " [" + rf.Severity.String() + "]", DocURL: rf.DocURL,
			})
		}
	}
	applyAllowList(findings, tpls)
	sortFindings(findings)
	return findings, nil
}
