package review

import (
	"slices"
	"strings"
)

// grant is one thing an Allow statement permits: a principal (for resource
// policies; "" in identity policies), an action and a resource, under its
// conditions.
type grant struct {
	principal, action, resource string
	conds                       []string // "Operator key = value", sorted
}

func (g grant) String() string {
	s := g.action
	if g.resource != "" {
		s += " on " + g.resource
	}
	if g.principal != "" {
		s = g.principal + ": " + s
	}
	if len(g.conds) > 0 {
		s += " when " + strings.Join(g.conds, " and ")
	}
	return s
}

// allowGrants returns every grant of the Allow statements, with rename
// applied to resources (so that a resource whose logical ID changed compares
// equal).
func allowGrants(sts []StatementReport, rename func(string) string) []grant {
	var out []grant
	for _, s := range sts {
		if s.Effect != "Allow" {
			continue
		}
		principals := []string{""}
		if s.Principal != "" {
			principals = strings.Split(s.Principal, ", ")
		}
		resources := s.Resources
		if len(resources) == 0 {
			resources = []string{""}
		}
		for _, p := range principals {
			for _, a := range s.Actions {
				for _, r := range resources {
					out = append(out, grant{principal: p, action: a, resource: rename(r), conds: s.Conditions})
				}
			}
		}
	}
	return out
}

// covers reports whether grant b allows everything grant h allows: its
// principal is h's or anyone, its action and resource patterns match h's
// (IAM wildcards: "logs:*" covers logs:PutLogEvents, "*" every resource, a
// prefix/* every key under it), and h has at least b's conditions.
func (b grant) covers(h grant) bool {
	for _, c := range b.conds {
		if !slices.Contains(h.conds, c) {
			return false
		}
	}
	return b.coversUnconditioned(h)
}

// coversUnconditioned is covers without comparing conditions.
func (b grant) coversUnconditioned(h grant) bool {
	if b.principal != h.principal && b.principal != "*" && b.principal != "AWS *" {
		return false
	}
	// NotResource allows every resource but the ones listed: count it as
	// covering any resource (a head NotResource is covered only by "*").
	resourceOK := strings.HasPrefix(b.resource, "NotResource") || wildcardMatch(b.resource, h.resource)
	return wildcardMatch(strings.ToLower(b.action), strings.ToLower(h.action)) && resourceOK
}

// uncovered returns, sorted and once each, the head grants that no base
// grant covers: what the head allows that the base did not.
// skip, when not nil, leaves out head grants reported otherwise.
func uncovered(base, head []grant, skip func(grant) bool) []string {
	var out []string
	for _, h := range head {
		covered := false
		for _, b := range base {
			if b.covers(h) {
				covered = true
				break
			}
		}
		if s := h.String(); !covered && (skip == nil || !skip(h)) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// wildcardMatch matches an IAM pattern ("*" any run of characters, "?" one)
// against a value; a value with wildcards is matched literally, so "logs:*"
// is not covered by "logs:Put*".
func wildcardMatch(pattern, value string) bool {
	p, v := 0, 0
	star, mark := -1, 0
	for v < len(value) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == value[v]):
			p++
			v++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, v
			p++
		case star >= 0:
			p = star + 1
			mark++
			v = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// renamer returns a function that rewrites ${NewID} and ${NewID.Attr} in a
// head string to the base's logical IDs, for resources paired across a rename.
func renamer(headToBase map[string]string) func(string) string {
	return func(s string) string {
		for n, o := range headToBase {
			if n == o || n == "" || o == "" {
				continue
			}
			s = strings.ReplaceAll(s, "${"+n+"}", "${"+o+"}")
			s = strings.ReplaceAll(s, "${"+n+".", "${"+o+".")
		}
		return s
	}
}

func same(s string) string { return s }

// otherAssumers returns the principals of Allow trust statements other than
// the log delivery services, as StatementReport renders them.
func otherAssumers(sts []StatementReport) []string {
	var out []string
	for _, s := range sts {
		if s.Effect != "Allow" || s.Principal == "" {
			continue
		}
		for _, p := range strings.Split(s.Principal, ", ") {
			if p != "service "+svcFlowLogs && p != "service "+svcDelivery && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// newAssumers returns the head's other assumers the base did not have
// (none when the base already let anyone assume the role).
func newAssumers(base, head []StatementReport) []string {
	b := otherAssumers(base)
	if slices.Contains(b, "*") || slices.Contains(b, "AWS *") {
		return nil
	}
	var out []string
	for _, p := range otherAssumers(head) {
		if !slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	return out
}

// hasPrincipal reports whether an Allow statement names the principal.
func hasPrincipal(sts []StatementReport, principal string) bool {
	for _, s := range sts {
		if s.Effect == "Allow" && strings.Contains(s.Principal, principal) {
			return true
		}
	}
	return false
}

// ifExists returns the confused-deputy keys (aws:SourceAccount,
// aws:SourceArn) that the base's statements for principal test with a plain
// operator and the head's only with an ...IfExists one: a request without
// the key then passes the condition.
func ifExists(base, head []StatementReport, principal string) []string {
	ops := func(sts []StatementReport) map[string][]string {
		m := map[string][]string{}
		eachCondition(sts, principal, func(op, key string) {
			k := strings.ToLower(key)
			m[k] = append(m[k], op)
		})
		return m
	}
	bo, ho := ops(base), ops(head)
	var out []string
	for _, k := range []string{"aws:sourceaccount", "aws:sourcearn"} {
		plain := func(list []string) bool {
			for _, op := range list {
				if !strings.HasSuffix(op, "IfExists") {
					return true
				}
			}
			return false
		}
		if plain(bo[k]) && len(ho[k]) > 0 && !plain(ho[k]) {
			out = append(out, k+" ("+strings.Join(ho[k], ", ")+")")
		}
	}
	return out
}
