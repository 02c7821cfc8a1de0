package review

import (
	"encoding/json"
	"fmt"
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

// policyProperties are the properties that hold IAM policy documents, read
// with [Statements]; Policies is a list of {PolicyName, PolicyDocument}.
var policyProperties = []string{"AssumeRolePolicyDocument", "PolicyDocument", "KeyPolicy", "Policies"}

// expandPolicyParameters rewrites, in the policy documents of t, each Ref to
// a String or Number parameter with AllowedValues into an Fn::If over those
// values, so [Statements] evaluates the document with every value the
// parameter may be given (a Ref to any other parameter stays as written:
// its value is known only at deploy time).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
func expandPolicyParameters(t *Template) {
	choices := map[string]any{}
	for name, decl := range t.Parameters {
		d, _ := decl.(map[string]any)
		typ, _ := d["Type"].(string)
		allowed := Strings(d["AllowedValues"])
		if len(allowed) == 0 || (typ != "String" && typ != "Number") {
			continue
		}
		v := allowed[len(allowed)-1]
		for i := len(allowed) - 2; i >= 0; i-- {
			v = map[string]any{"Fn::If": []any{fmt.Sprintf("parameter %s is %v", name, allowed[i]), allowed[i], v}}
		}
		choices[name] = v
	}
	if len(choices) == 0 {
		return
	}
	var subst func(v any) any
	subst = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["Ref"].(string); ok && len(x) == 1 {
				if c, isParam := choices[ref]; isParam {
					return c
				}
				return x
			}
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = subst(e)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = subst(e)
			}
			return out
		}
		return v
	}
	for id, r := range t.Resources {
		for _, p := range policyProperties {
			if v, ok := r.Properties[p]; ok {
				r.Properties[p] = subst(v)
			}
		}
		t.Resources[id] = r
	}
}
