package review

import (
	"fmt"
	"slices"
	"strings"
)

// Value is one value a property may take when the stack is deployed.
type Value struct {
	V      any    // the literal; nil when the property is then absent (AWS::NoValue)
	Source string // where it comes from, e.g. "parameter Interval's AllowedValues"; "" for a literal
}

// Values returns the values a property may take: a literal itself; a Ref to
// a template parameter, each of its AllowedValues (or its Default when it
// lists none); an Fn::If, the values of both branches; Ref AWS::NoValue, a
// nil Value (the property is absent). ok is false when some value cannot be
// known offline (a Ref to a parameter without AllowedValues or Default, an
// import, a mapping lookup): review then reports the property as written,
// with an info note, never as an error.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
func (t *Template) Values(v any) (vals []Value, ok bool) {
	return t.values(v, 0)
}

func (t *Template) values(v any, depth int) ([]Value, bool) {
	switch x := v.(type) {
	case string, float64, bool, int:
		return []Value{{V: x}}, true
	case map[string]any:
		if len(x) != 1 || depth > 20 {
			return nil, false
		}
		if ref, isRef := x["Ref"].(string); isRef {
			if ref == "AWS::NoValue" {
				return []Value{{Source: "Ref AWS::NoValue"}}, true
			}
			p, isParam := t.Parameters[ref].(map[string]any)
			if !isParam {
				return nil, false
			}
			if allowed := Strings(p["AllowedValues"]); len(allowed) > 0 {
				var out []Value
				for _, a := range allowed {
					out = append(out, Value{V: a, Source: "parameter " + ref + "'s AllowedValues"})
				}
				return out, true
			}
			if d, has := p["Default"]; has {
				return []Value{{V: d, Source: "parameter " + ref + "'s Default"}}, true
			}
			return nil, false
		}
		if branches, isIf := x["Fn::If"].([]any); isIf && len(branches) == 3 {
			a, okA := t.values(branches[1], depth+1)
			b, okB := t.values(branches[2], depth+1)
			cond, _ := branches[0].(string)
			for i := range a {
				a[i].Source = joinSource(a[i].Source, "condition "+cond+" true")
			}
			for i := range b {
				b[i].Source = joinSource(b[i].Source, "condition "+cond+" false")
			}
			return append(a, b...), okA && okB
		}
	}
	return nil, false
}

func joinSource(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// describe renders a value and where it comes from: `120 (parameter
// Interval's AllowedValues)`.
func (v Value) describe() string {
	s := Show(v.V)
	if v.V == nil {
		s = "no value"
	}
	if v.Source != "" {
		s += " (" + v.Source + ")"
	}
	return s
}

// uncheckable is the info note for a property review cannot resolve offline.
func uncheckable(prop string, v any) string {
	return fmt.Sprintf("%s %s cannot be checked offline (its value is known only at deploy time); check it where it is set", prop, strings.TrimSpace(Show(v)))
}

// mayBe says which values a property that is not a literal may take:
// " (ALL or REJECT)", or "" for a literal or a value unknown offline.
func (t *Template) mayBe(v any) string {
	if _, literal := v.(map[string]any); !literal {
		return ""
	}
	vals, ok := t.Values(v)
	if !ok || len(vals) == 0 {
		return ""
	}
	var s []string
	for _, x := range vals {
		if d := Show(x.V); x.V != nil && !slices.Contains(s, d) {
			s = append(s, d)
		} else if x.V == nil && !slices.Contains(s, "no value") {
			s = append(s, "no value")
		}
	}
	return " (" + strings.Join(s, " or ") + ")"
}
