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
	// Unevaluable is set on the statement [Statements] assumes for one with
	// more Fn::If or parameter forms than it evaluates: Allow * to * on *.
	Unevaluable bool
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
//
// A document, statement list, statement or statement part written with
// Fn::If (or Ref AWS::NoValue) gives every statement any branch may deploy,
// so a rule that finds a problem in any of them reports it and a change
// that grants more in any branch is a weakening. A statement with more than
// maxAlternatives forms cannot be evaluated and is returned as the broadest
// statement there is (Allow "*" to "*" on "*"), marked Unevaluable: review
// fails closed rather than open.
func Statements(doc any, prefix string) []Statement {
	if !conditional(doc) {
		return statementsOf(doc, prefix)
	}
	docs, ok := alternatives(doc, maxAlternatives)
	if !ok {
		return []Statement{overBound(prefix + ".Statement")}
	}
	var out []Statement
	seen := map[string]bool{}
	for _, d := range docs {
		for _, st := range statementsOf(d, prefix) {
			key := fmt.Sprintf("%#v", st)
			if !seen[key] {
				seen[key] = true
				out = append(out, st)
			}
		}
	}
	return out
}

// overBound is the statement review assumes for one it cannot expand.
func overBound(path string) Statement {
	return Statement{
		Path:        path,
		Unevaluable: true,
		Effect:      "Allow",
		Principal:   Principal{Star: true},
		Actions:     []string{"*"},
		Resources:   []any{"*"},
	}
}

func statementsOf(doc any, prefix string) []Statement {
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
		path := fmt.Sprintf("%s.Statement[%d]", prefix, i)
		forms, ok := alternatives(r, maxAlternatives)
		if !ok {
			out = append(out, overBound(path))
			continue
		}
		for _, f := range forms {
			if sm, ok := f.(map[string]any); ok {
				out = append(out, statementOf(sm, path))
			}
		}
	}
	return out
}

func statementOf(sm map[string]any, path string) Statement {
	st := Statement{Path: path}
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
	return st
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

// DeputyGaps says, for each of aws:SourceAccount and aws:SourceArn that does
// not pin the statement to one account, why: the condition is absent, or every
// value it has matches more than one account. What pins:
//   - aws:SourceAccount: a 12-digit account ID, a reference to AWS::AccountId
//     (Ref, or Fn::Sub "${AWS::AccountId}"), or another intrinsic (a parameter,
//     an import) written without wildcards;
//   - aws:SourceArn: an ARN without wildcards (a specific resource, e.g.
//     Fn::GetAtt of one), or an ARN whose account field is pinned as above, so
//     "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" pins and
//     "arn:aws:logs:*:*:*" does not.
//
// A wildcard in a StringLike or ArnLike value matches any account; under
// StringEquals or ArnEquals it is a literal "*" that no request carries, so
// the statement grants nothing and is as wrong. A list of values is an OR:
// every value must pin. Operators are matched case-insensitively; an
// ...IfExists or ForAnyValue operator does not count, as the condition then
// passes without the key.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount
func (s Statement) DeputyGaps() []string {
	var out []string
	for _, g := range s.deputyGaps() {
		out = append(out, g.reason)
	}
	return out
}

type deputyGap struct {
	key     string
	reason  string
	present bool // the key is there, with values that do not pin
}

// UnpinnedDeputyKeys returns the confused-deputy keys the statement has but
// with values that match more than one account ("*", "arn:aws:logs:*:*:*").
func (s Statement) UnpinnedDeputyKeys() []string {
	var out []string
	for _, g := range s.deputyGaps() {
		if g.present {
			out = append(out, g.key)
		}
	}
	return out
}

func (s Statement) deputyGaps() []deputyGap {
	var gaps []deputyGap
	for _, c := range []struct {
		key    string
		ops    []string
		pinned func(any) bool
	}{
		{"aws:SourceAccount", sourceAccountOps, accountPinned},
		{"aws:SourceArn", sourceArnOps, arnPinned},
	} {
		vals := s.conditionValues(c.key, c.ops)
		if len(vals) == 0 {
			gaps = append(gaps, deputyGap{c.key, "no " + c.key + " condition", false})
			continue
		}
		pinned := false
		for _, v := range vals { // conditions are ANDed: one pinning occurrence is enough
			if allPinned(v, c.pinned) {
				pinned = true
			}
		}
		if !pinned {
			gaps = append(gaps, deputyGap{c.key, fmt.Sprintf("%s %s does not pin an account", c.key, Show(vals[0])), true})
		}
	}
	return gaps
}

// conditionValues returns every value the key has under the operators, in
// operator order (the sort makes the reasons stable).
func (s Statement) conditionValues(key string, operators []string) []any {
	ops := make([]string, 0, len(s.Condition))
	for op := range s.Condition {
		if containsFold(operators, op) {
			ops = append(ops, op)
		}
	}
	sort.Strings(ops)
	var out []any
	for _, op := range ops {
		km, _ := s.Condition[op].(map[string]any)
		for k, v := range km {
			if strings.EqualFold(k, key) {
				out = append(out, v)
			}
		}
	}
	return out
}

func allPinned(v any, pinned func(any) bool) bool {
	vals := Strings(v)
	for _, x := range vals {
		if !pinned(x) {
			return false
		}
	}
	return len(vals) > 0
}

// accountPinned reports whether one aws:SourceAccount value names one account.
func accountPinned(v any) bool {
	if s, ok := Literal(v); ok {
		return isAccountID(s)
	}
	return pinnedExpression(Show(v))
}

// pinnedExpression reports whether the written form of an intrinsic (in
// Fn::Sub notation) is a single ${...} reference with no wildcard: AWS::AccountId,
// a parameter, an import.
func pinnedExpression(s string) bool {
	return strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") && strings.Count(s, "${") == 1 && !strings.ContainsAny(s, "*?")
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// arnPinned reports whether one aws:SourceArn value names resources of one account.
func arnPinned(v any) bool {
	s, literal := Literal(v)
	if !literal {
		s = Show(v)
	}
	if s == "" {
		return false
	}
	if !strings.ContainsAny(s, "*?") {
		return true // one resource
	}
	parts := arnFields(s)
	if len(parts) < 6 || parts[0] != "arn" {
		return false
	}
	return isAccountID(parts[4]) || (!literal && pinnedExpression(parts[4]))
}

// arnFields splits an ARN at the colons that are not inside ${...}
// ("arn:${AWS::Partition}:logs:..." has "${AWS::Partition}" as its second field).
func arnFields(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "${"):
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
