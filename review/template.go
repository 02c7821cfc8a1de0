package review

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// ErrNotTemplate is wrapped by errors about input that is not a CloudFormation
// template (no Resources section, or neither JSON nor YAML).
var ErrNotTemplate = errors.New("not a CloudFormation template")

// ErrNoTemplates is returned by [Load] for a directory without templates.
var ErrNoTemplates = errors.New("no CloudFormation templates found")

// Template is a parsed CloudFormation template. Values are what encoding/json
// produces (map[string]any, []any, string, float64, bool, nil); YAML templates
// are converted to the same shape, short-form tags to their long form.
type Template struct {
	Path     string         // where it was read from, as given
	Metadata map[string]any // the template's Metadata section
	// Parameters is the template's Parameters section (name -> declaration),
	// used to resolve a Ref to a parameter's AllowedValues or Default.
	Parameters map[string]any
	Resources  map[string]Resource // by logical ID

	// box caches the index review builds on first use. Review reads
	// Resources; to change it after a review, assign a new map (or change its
	// size): a rename in place is not seen by the cached index.
	box *indexBox
}

// Resource is one entry of a template's Resources section.
type Resource struct {
	Type                string
	Properties          map[string]any
	Metadata            map[string]any
	DeletionPolicy      string // as written; "" when absent
	UpdateReplacePolicy string
	DependsOn           []string
}

// Prop returns the property at a dotted path ("DestinationOptions.FileFormat").
func (r Resource) Prop(path string) (any, bool) {
	var v any = r.Properties
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// Str returns a property that is a literal string, or "".
func (r Resource) Str(path string) string {
	v, _ := r.Prop(path)
	s, _ := v.(string)
	return s
}

// IDs returns the logical IDs of the resources of the given type, sorted.
// All resources for "". The slice is shared: do not modify it.
func (t *Template) IDs(resourceType string) []string {
	x := t.index()
	if resourceType == "" {
		return slices.Clip(x.all)
	}
	return slices.Clip(x.byType[resourceType])
}

// Parse parses a JSON or YAML template. name is used in errors and as Path.
func Parse(name string, data []byte) (*Template, error) {
	if len(data) > MaxTemplateBytes {
		return nil, fmt.Errorf("%s: %w: more than %d bytes, the most review reads (CloudFormation accepts 1 MB)", name, ErrTooLarge, MaxTemplateBytes)
	}
	var doc any
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		var err error
		if doc, err = parseJSON(data); errors.Is(err, ErrTooDeep) {
			return nil, fmt.Errorf("%s: %w", name, err)
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrNotTemplate, err)
		}
	} else {
		var err error
		if doc, err = parseYAML(data); errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooDeep) {
			return nil, fmt.Errorf("%s: %w", name, err)
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", name, ErrNotTemplate, err)
		}
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: %w: the document is not a mapping", name, ErrNotTemplate)
	}
	res, ok := top["Resources"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: %w: no Resources section", name, ErrNotTemplate)
	}
	t := &Template{Path: name, Resources: make(map[string]Resource, len(res)), box: &indexBox{}}
	t.Metadata, _ = top["Metadata"].(map[string]any)
	t.Parameters, _ = top["Parameters"].(map[string]any)
	for id, raw := range res {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: resource %s is not a mapping", name, id)
		}
		r := Resource{}
		r.Type, _ = m["Type"].(string)
		r.Properties, _ = m["Properties"].(map[string]any)
		if r.Properties == nil {
			r.Properties = map[string]any{}
		}
		r.Metadata, _ = m["Metadata"].(map[string]any)
		r.DeletionPolicy, _ = m["DeletionPolicy"].(string)
		r.UpdateReplacePolicy, _ = m["UpdateReplacePolicy"].(string)
		switch d := m["DependsOn"].(type) {
		case string:
			r.DependsOn = []string{d}
		case []any:
			for _, x := range d {
				if s, ok := x.(string); ok {
					r.DependsOn = append(r.DependsOn, s)
				}
			}
		}
		t.Resources[id] = r
	}
	expandPolicyParameters(t)
	return t, nil
}

// ReadFile reads and parses one template file.
// A file larger than [MaxTemplateBytes] is an error wrapping [ErrTooLarge],
// found without reading it all.
func ReadFile(path string) (*Template, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only: Close cannot lose data
	data, err := io.ReadAll(io.LimitReader(f, MaxTemplateBytes+1))
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Load reads a template file, or every template in a directory such as a cdk.out
// cloud assembly (*.template.json, *.template.yaml, *.yaml, *.yml, *.json that
// have a Resources section; nested assemblies included), sorted by path.
// In a directory, JSON files that are not templates (manifest.json, *.assets.json)
// are skipped; an explicitly named file that is not a template is an error.
func Load(path string) ([]*Template, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		t, err := ReadFile(path)
		if err != nil {
			return nil, err
		}
		return []*Template{t}, nil
	}
	var out []*Template
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".template") {
			return nil
		}
		if strings.HasSuffix(name, ".assets.json") || name == "manifest.json" || name == "tree.json" || name == "cdk.out" {
			return nil
		}
		t, err := ReadFile(p)
		if errors.Is(err, ErrNotTemplate) {
			return nil
		}
		if errors.Is(err, ErrTooLarge) && !strings.Contains(name, ".template.") {
			return nil // a large data file, such as one of an asset's, is no template
		}
		if err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrNoTemplates)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
