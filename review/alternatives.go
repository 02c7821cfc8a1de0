package review

import (
	"encoding/json"
	"sort"
)

// maxAlternatives bounds how many forms one policy statement is expanded
// into (each Fn::If doubles them). Beyond it the statement is evaluated as
// the worst statement there is (see overBound), so review fails closed.
const maxAlternatives = 64

// absent is the form of Ref AWS::NoValue: the property or list element is
// then left out.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html#cfn-pseudo-param-novalue
type absent struct{}

// alternatives returns every form v may take once each Fn::If in it is
// decided, both branches of each (the condition is known only at deploy
// time), with Ref AWS::NoValue leaving its key or list element out. v is
// returned alone, not copied, when it has no Fn::If. ok is false when there
// are more than limit forms.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if
func alternatives(v any, limit int) (alts []any, ok bool) {
	if !conditional(v) {
		return []any{v}, true
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			if ref, isRef := x["Ref"].(string); isRef && ref == "AWS::NoValue" {
				return []any{absent{}}, true
			}
			if br, isIf := x["Fn::If"].([]any); isIf && len(br) == 3 {
				a, okA := alternatives(br[1], limit)
				b, okB := alternatives(br[2], limit)
				if !okA || !okB || len(a)+len(b) > limit {
					return nil, false
				}
				return dedupe(append(a, b...)), true
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := []any{map[string]any{}}
		for _, k := range keys {
			vals, ok := alternatives(x[k], limit)
			if !ok || len(out)*len(vals) > limit {
				return nil, false
			}
			next := make([]any, 0, len(out)*len(vals))
			for _, o := range out {
				for _, val := range vals {
					m := make(map[string]any, len(keys))
					for kk, vv := range o.(map[string]any) {
						m[kk] = vv
					}
					if _, gone := val.(absent); !gone {
						m[k] = val
					}
					next = append(next, m)
				}
			}
			out = next
		}
		return dedupe(out), true
	case []any:
		out := []any{[]any{}}
		for _, e := range x {
			vals, ok := alternatives(e, limit)
			if !ok || len(out)*len(vals) > limit {
				return nil, false
			}
			next := make([]any, 0, len(out)*len(vals))
			for _, o := range out {
				for _, val := range vals {
					l := append([]any(nil), o.([]any)...)
					if _, gone := val.(absent); !gone {
						l = append(l, val)
					}
					next = append(next, l)
				}
			}
			out = next
		}
		return dedupe(out), true
	}
	return []any{v}, true
}

// conditional reports whether v has an Fn::If or a Ref AWS::NoValue anywhere.
func conditional(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["Fn::If"]; ok && len(x) == 1 {
			return true
		}
		if ref, ok := x["Ref"].(string); ok && ref == "AWS::NoValue" && len(x) == 1 {
			return true
		}
		for _, e := range x {
			if conditional(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if conditional(e) {
				return true
			}
		}
	}
	return false
}

// dedupe drops repeated forms (both branches may give the same one).
func dedupe(alts []any) []any {
	seen := map[string]bool{}
	out := alts[:0:0]
	for _, a := range alts {
		key := "absent"
		if _, gone := a.(absent); !gone {
			b, _ := json.Marshal(a)
			key = string(b)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, a)
		}
	}
	return out
}
