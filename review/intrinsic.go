package review

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Target returns the logical ID that a Ref or Fn::GetAtt names, with the
// attribute ("" for Ref). Pseudo parameters (AWS::Region, ...) are not targets.
func Target(v any) (id, attr string, ok bool) {
	m, isMap := v.(map[string]any)
	if !isMap || len(m) != 1 {
		return "", "", false
	}
	if ref, isStr := m["Ref"].(string); isStr && !strings.HasPrefix(ref, "AWS::") {
		return ref, "", true
	}
	switch ga := m["Fn::GetAtt"].(type) {
	case []any:
		if len(ga) == 2 {
			id, _ := ga[0].(string)
			attr, _ := ga[1].(string)
			return id, attr, id != ""
		}
	case string: // "Resource.Attribute", as JSON templates may write it
		id, attr, _ := strings.Cut(ga, ".")
		return id, attr, id != ""
	}
	return "", "", false
}

// Targets returns every logical ID that v refers to anywhere inside it
// (Ref, Fn::GetAtt and ${Name} in Fn::Sub), sorted and without repeats.
func Targets(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		if id, _, ok := Target(v); ok {
			seen[id] = true
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if sub, ok := x["Fn::Sub"]; ok && len(x) == 1 {
				s, _ := sub.(string)
				var vars map[string]any
				if l, ok := sub.([]any); ok && len(l) > 0 {
					s, _ = l[0].(string)
					if len(l) > 1 {
						vars, _ = l[1].(map[string]any)
						walk(l[1])
					}
				}
				for _, name := range subNames(s) {
					if _, isVar := vars[name]; !isVar && !strings.HasPrefix(name, "AWS::") {
						id, _, _ := strings.Cut(name, ".")
						seen[id] = true
					}
				}
				return
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// subNames returns the ${Name} variables of an Fn::Sub string (not ${!Literal}).
func subNames(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		name := s[i+2 : i+j]
		if !strings.HasPrefix(name, "!") {
			out = append(out, name)
		}
		s = s[i+j+1:]
	}
}

// Literal returns v as a string when it is a literal string, an Fn::Join of
// literals (nested joins included), or an Fn::Sub whose variables are all
// given literal values in its own map: {"Fn::Sub": "arn:aws:s3:::bucket"},
// {"Fn::Sub": ["${!version} ${B}", {"B": "x"}]} ("${!Name}" is the literal
// "${Name}"). Pseudo parameters and resources are not literals.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
func Literal(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case map[string]any:
		if len(x) != 1 {
			return "", false
		}
		if sub, ok := x["Fn::Sub"]; ok {
			return subLiteral(sub)
		}
		join, ok := x["Fn::Join"].([]any)
		if !ok || len(join) != 2 {
			return "", false
		}
		sep, ok := join[0].(string)
		parts, ok2 := join[1].([]any)
		if !ok || !ok2 {
			return "", false
		}
		ss := make([]string, len(parts))
		for i, p := range parts {
			s, ok := Literal(p)
			if !ok {
				return "", false
			}
			ss[i] = s
		}
		return strings.Join(ss, sep), true
	}
	return "", false
}

// subLiteral resolves the argument of an Fn::Sub, the string alone or
// [string, variables], when every ${Name} in it is a variable of the map
// with a literal value.
func subLiteral(arg any) (string, bool) {
	s, ok := arg.(string)
	var vars map[string]any
	if l, isList := arg.([]any); isList && len(l) == 2 {
		s, ok = l[0].(string)
		vars, isList = l[1].(map[string]any)
		ok = ok && isList
	}
	if !ok {
		return "", false
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		if lit, isLit := strings.CutPrefix(name, "!"); isLit {
			b.WriteString("${" + lit + "}")
		} else {
			val, isVar := vars[name]
			str, isStr := Literal(val)
			if !isVar || !isStr {
				return "", false
			}
			b.WriteString(str)
		}
		s = s[i+j+1:]
	}
}

// Int returns v as an integer when it is a number or a numeric string
// (CloudFormation accepts both for Integer properties).
func Int(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
	case int:
		return x, true
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

// Bool returns v as a boolean when it is one or is "true"/"false".
func Bool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

// Show renders a property value for people, in Fn::Sub notation: literals as
// they are, Ref as ${Name}, Fn::GetAtt as ${Name.Attr}, Fn::Join and Fn::Sub
// flattened into one string. Anything else is shown as compact JSON.
func Show(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Show(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		if len(x) == 1 {
			if ref, ok := x["Ref"].(string); ok {
				return "${" + ref + "}"
			}
			if id, attr, ok := Target(x); ok && attr != "" {
				return "${" + id + "." + attr + "}"
			}
			if j, ok := x["Fn::Join"].([]any); ok && len(j) == 2 {
				sep, _ := j[0].(string)
				if parts, ok := j[1].([]any); ok {
					ss := make([]string, len(parts))
					for i, p := range parts {
						ss[i] = Show(p)
					}
					return strings.Join(ss, sep)
				}
			}
			switch s := x["Fn::Sub"].(type) {
			case string:
				return s
			case []any:
				if len(s) > 0 {
					str, _ := s[0].(string)
					return str
				}
			}
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Strings returns v as a list of values: a list's elements, or v alone.
func Strings(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}
