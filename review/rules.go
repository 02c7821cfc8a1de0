package review

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings; a higher value is worse.
type Severity int

// Severities, from least to most severe. SeverityError means AWS rejects the
// template or the flow log cannot deliver; the template gates block on
// SeverityMedium and above ([Severity.Blocks]).
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityError
)

var severityNames = [...]string{"info", "low", "medium", "high", "error"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// Blocks reports whether a finding of this severity fails the template gates.
func (s Severity) Blocks() bool { return s >= SeverityMedium }

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity parses a severity name ("info", "low", "medium", "high", "error").
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(n, name) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", name, strings.Join(severityNames[:], ", "))
}

// Finding is one rule's verdict on one resource of one template.
type Finding struct {
	Rule         string   `json:"rule"`
	Severity     Severity `json:"severity"`
	Template     string   `json:"template"`
	LogicalID    string   `json:"logicalId,omitempty"` // "" for the template as a whole
	ResourceType string   `json:"resourceType,omitempty"`
	Path         string   `json:"path,omitempty"` // property path, when known
	Message      string   `json:"message"`
	DocURL       string   `json:"docUrl,omitempty"`
	// Allowed is set by a caller that applies reviewed exceptions (flowlog
	// review --allowlist applies the gates' allow-list); AllowReason says why.
	Allowed     bool   `json:"allowed,omitempty"`
	AllowReason string `json:"allowReason,omitempty"`
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", f.Severity, f.Rule)
	if f.LogicalID != "" {
		fmt.Fprintf(&b, " %s", f.LogicalID)
	}
	if f.Path != "" {
		fmt.Fprintf(&b, " at %s", f.Path)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	return b.String()
}

// Rule is one project rule. Applies says whether the template has anything the
// rule looks at (otherwise the rule is skipped); check returns its findings.
type Rule struct {
	ID       string   // e.g. "PROJECT.FLOW_LOG_TRAFFIC_TYPE"
	Severity Severity // the severity of its findings unless a finding says otherwise
	Summary  string   // what a compliant template does
	DocURL   string   // the AWS page the rule rests on

	applies func(t *Template) bool
	check   func(t *Template, emit func(id, path, msg string, sev ...Severity))
}

// Applies reports whether the template has anything the rule looks at.
func (r Rule) Applies(t *Template) bool { return r.applies(t) }

// Check returns the rule's findings on t, sorted by logical ID and path.
func (r Rule) Check(t *Template) []Finding {
	if !r.applies(t) {
		return nil
	}
	var out []Finding
	r.check(t, func(id, path, msg string, sev ...Severity) {
		f := Finding{Rule: r.ID, Severity: r.Severity, Template: t.Path, LogicalID: id, Path: path, Message: msg, DocURL: r.DocURL}
		if len(sev) > 0 {
			f.Severity = sev[0]
		}
		if id != "" {
			f.ResourceType = t.Resources[id].Type
		}
		out = append(out, f)
	})
	sortFindings(out)
	return out
}

// Status is a rule's outcome on a template.
type Status string

// Rule outcomes, as cfn-guard names them.
const (
	StatusPass Status = "PASS"
	StatusFail Status = "FAIL"
	StatusSkip Status = "SKIP"
)

// Evaluate returns the rule's outcome: SKIP when it does not apply, FAIL when
// it has a finding that blocks the gates, PASS otherwise.
func (r Rule) Evaluate(t *Template) Status {
	if !r.applies(t) {
		return StatusSkip
	}
	for _, f := range r.Check(t) {
		if f.Severity.Blocks() {
			return StatusFail
		}
	}
	return StatusPass
}

// Rules returns every project rule, in ID order.
func Rules() []Rule {
	out := append([]Rule(nil), allRules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (Rule, bool) {
	for _, r := range allRules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Check runs every rule over t and returns the findings, most severe first.
func Check(t *Template) []Finding {
	var out []Finding
	for _, r := range Rules() {
		out = append(out, r.Check(t)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity > out[j].Severity })
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].LogicalID != fs[j].LogicalID {
			return fs[i].LogicalID < fs[j].LogicalID
		}
		return fs[i].Path < fs[j].Path
	})
}

// has reports whether t has a resource of one of the types.
func has(types ...string) func(t *Template) bool {
	return func(t *Template) bool {
		for _, r := range t.Resources {
			for _, ty := range types {
				if r.Type == ty {
					return true
				}
			}
		}
		return false
	}
}
