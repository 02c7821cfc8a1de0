package review

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// ErrTooLarge is wrapped by errors about a template that is larger than
// [MaxTemplateBytes], or a YAML template whose aliases expand it beyond its
// value budget (a "billion laughs" document).
var ErrTooLarge = errors.New("template too large")

// MaxTemplateBytes is the largest template [Parse] reads: ten times the 1 MB
// CloudFormation accepts for a template body in S3
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
// so every deployable template fits, pretty-printed or not.
const MaxTemplateBytes = 10 << 20

// yamlAliasAllowance is how many values aliases may add to a YAML template
// beyond twice its own node count. CloudFormation templates rarely use
// anchors at all; a document whose aliases multiply it (anchors of anchors,
// the "billion laughs") would otherwise take gigabytes to expand.
const yamlAliasAllowance = 100_000

// parseYAML decodes a YAML template into the shape encoding/json produces,
// turning CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...) into
// their long form ({"Ref": ...}, {"Fn::GetAtt": [...]}, ...).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
// A key repeated in a mapping is an error, as CloudFormation rejects it.
func parseYAML(data []byte) (any, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	d := yamlDecoder{budget: 2*countNodes(&root) + yamlAliasAllowance}
	return d.value(root.Content[0], nil)
}

// countNodes counts the nodes of the document as written, not following aliases.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

// yamlDecoder converts a node tree, counting the values it produces so that
// aliases cannot expand the document without bound.
type yamlDecoder struct {
	budget int // values still allowed
}

// shortForms maps a short-form tag to its long-form key.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
	"!And": "Fn::And", "!Or": "Fn::Or", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64",
	"!Cidr": "Fn::Cidr", "!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs",
	"!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

// value converts node n found at path (e.g. "Resources.Log.Properties").
func (d *yamlDecoder) value(n *yaml.Node, path *docPath) (any, error) {
	if path.level() > MaxNestingDepth {
		return nil, fmt.Errorf("line %d: %w: more than %d levels at %s", n.Line, ErrTooDeep, MaxNestingDepth, path.short(8))
	}
	if d.budget--; d.budget < 0 {
		return nil, fmt.Errorf("%w: line %d: YAML aliases expand the document beyond its value budget (anchors that nest aliases)", ErrTooLarge, n.Line)
	}
	if n.Kind == yaml.AliasNode {
		return d.value(n.Alias, path)
	}
	if long, ok := shortForms[n.Tag]; ok {
		plain := *n
		plain.Tag = ""
		if n.Kind == yaml.ScalarNode {
			plain.Tag = "!!str"
		}
		v, err := d.value(&plain, path.child(long))
		if err != nil {
			return nil, err
		}
		if long == "Fn::GetAtt" {
			if s, ok := v.(string); ok { // !GetAtt Resource.Attribute
				id, attr, _ := strings.Cut(s, ".")
				v = []any{id, attr}
			}
		}
		return map[string]any{long: v}, nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			var k string
			if err := n.Content[i].Decode(&k); err != nil {
				return nil, err
			}
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: duplicate key %q in %s", n.Content[i].Line, k, path)
			}
			v, err := d.value(n.Content[i+1], path.child(k))
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := d.value(c, path.elem(i))
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		switch x := v.(type) { // numbers as encoding/json has them
		case int:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case uint64:
			return float64(x), nil
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}
