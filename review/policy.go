package review

import (
	"fmt"
	"sort"
	"strings"
)

// Statement is one IAM policy statement, normalised: single values become
// lists, and Path says where it sits in its resource ("PolicyDocument.Statement[0]").
type Statement struct {
	Path         string
	Sid          string
	Effect       string
	Principal    Principal
	Actions      []string // literal actions; others shown with Show
	Resources    []any    // Resource entries as written
	NotResource  bool
	NotPrincipal bool
	Condition    map[string]any // operator -> key -> value(s)
}

// Principal is a statement's Principal: "*" or its AWS, Service and Federated entries.
type Principal struct {
	Star      bool
	AWS       []string
	Service   []string
	Federated []string
}

// Everyone reports whether the principal is anyone ("*" or AWS "*").
func (p Principal) Everyone() bool {
	if p.Star {
		return true
	}
	for _, a := range p.AWS {
		if a == "*" {
			return true
		}
	}
	return false
}

// HasService reports whether the principal names the service.
func (p Principal) HasService(svc string) bool {
	for _, s := range p.Service {
		if s == svc {
			return true
		}
	}
	return false
}

func (p Principal) String() string {
	if p.Star {
		return "*"
	}
	var parts []string
	for _, s := range p.Service {
		parts = append(parts, "service "+s)
	}
	for _, a := range p.AWS {
		parts = append(parts, "AWS "+a)
	}
	for _, f := range p.Federated {
		parts = append(parts, "federated "+f)
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}

// Statements returns the statements of a policy document (a single statement
// written as an object included). prefix is the document's property path.
func Statements(doc any, prefix string) []Statement {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	var raw []any
	switch s := m["Statement"].(type) {
	case []any:
		raw = s
	case map[string]any:
		raw = []any{s}
	}
	out := make([]Statement, 0, len(raw))
	for i, r := range raw {
		sm, ok := r.(map[string]any)
		if !ok {
			continue
		}
		st := Statement{Path: fmt.Sprintf("%s.Statement[%d]", prefix, i)}
		st.Sid, _ = sm["Sid"].(string)
		st.Effect, _ = sm["Effect"].(string)
		for _, a := range Strings(sm["Action"]) {
			st.Actions = append(st.Actions, Show(a))
		}
		if res, ok := sm["Resource"]; ok {
			st.Resources = Strings(res)
			if st.Resources == nil {
				st.Resources = []any{}
			}
		}
		_, st.NotResource = sm["NotResource"]
		_, st.NotPrincipal = sm["NotPrincipal"]
		st.Principal = principalOf(sm["Principal"])
		st.Condition, _ = sm["Condition"].(map[string]any)
		out = append(out, st)
	}
	return out
}

func principalOf(v any) Principal {
	var p Principal
	switch x := v.(type) {
	case string:
		p.Star = x == "*"
	case map[string]any:
		for _, e := range Strings(x["AWS"]) {
			p.AWS = append(p.AWS, Show(e))
		}
		for _, e := range Strings(x["Service"]) {
			p.Service = append(p.Service, Show(e))
		}
		for _, e := range Strings(x["Federated"]) {
			p.Federated = append(p.Federated, Show(e))
		}
	}
	return p
}

// ConditionKey returns the value a condition key has under any of the given
// operators (all operators when none are given). Condition keys are matched
// case-insensitively, as IAM does.
func (s Statement) ConditionKey(key string, operators ...string) (any, bool) {
	for op, keys := range s.Condition {
		if len(operators) > 0 && !containsFold(operators, op) {
			continue
		}
		km, ok := keys.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range km {
			if strings.EqualFold(k, key) {
				return v, true
			}
		}
	}
	return nil, false
}

// Conditions renders the statement's conditions as "Operator key=value" lines, sorted.
func (s Statement) Conditions() []string {
	var out []string
	for op, keys := range s.Condition {
		km, ok := keys.(map[string]any)
		if !ok {
			out = append(out, op+" "+Show(keys))
			continue
		}
		for k, v := range km {
			out = append(out, fmt.Sprintf("%s %s = %s", op, k, Show(v)))
		}
	}
	sort.Strings(out)
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Confused-deputy condition operators accepted by the rules: a positive match
// of aws:SourceAccount and of aws:SourceArn.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
var (
	sourceAccountOps = []string{"StringEquals", "StringLike"}
	sourceArnOps     = []string{"ArnLike", "ArnEquals", "StringEquals", "StringLike"}
)

// MissingDeputyConditions returns which of aws:SourceAccount and aws:SourceArn
// the statement does not constrain.
func (s Statement) MissingDeputyConditions() []string {
	var missing []string
	if _, ok := s.ConditionKey("aws:SourceAccount", sourceAccountOps...); !ok {
		missing = append(missing, "aws:SourceAccount")
	}
	if _, ok := s.ConditionKey("aws:SourceArn", sourceArnOps...); !ok {
		missing = append(missing, "aws:SourceArn")
	}
	return missing
}
