package gates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Control is one AWS Control Tower proactive control shipped by
// @cdklabs/cdk-validator-cfnguard as a cfn-guard rule file.
type Control struct {
	ID            string   // e.g. "CT.S3.PR.8"
	Name          string   // display name
	File          string   // path of the .guard file
	ResourceTypes []string // EvaluatedResourceTypes from the control's metadata
	Severity      string   // Control Tower severity (LOW..CRITICAL)
	GuardRules    []string // top-level rule names in File
}

// DocURL is the Control Tower control-reference page that lists the control.
func (c Control) DocURL() string { return controlDocURL(c.ID) }

func controlDocURL(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) < 2 {
		return ""
	}
	return "https://docs.aws.amazon.com/controltower/latest/controlreference/" + strings.ToLower(parts[1]) + "-rules.html"
}

var topLevelRule = regexp.MustCompile(`(?m)^rule\s+([A-Za-z0-9_]+)\s+when\b`)

// ControlTowerControls reads every Control Tower control in the package: the
// metadata/<service>/<name>.metadata.json next to cfn-guard/<service>/<name>.guard.
func ControlTowerControls(tools *Tools) ([]Control, error) {
	metas, err := filepath.Glob(filepath.Join(tools.ControlTowerRules, "metadata", "*", "*.metadata.json"))
	if err != nil {
		return nil, err
	}
	if len(metas) == 0 {
		return nil, fmt.Errorf("gates: no Control Tower metadata under %s: %w", tools.ControlTowerRules, ErrToolsMissing)
	}
	var out []Control
	for _, m := range metas {
		data, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		var meta struct {
			ID                     string   `json:"Id"`
			DisplayName            string   `json:"DisplayName"`
			Severity               string   `json:"Severity"`
			EvaluatedResourceTypes []string `json:"EvaluatedResourceTypes"`
		}
		if err := json.Unmarshal(data, &meta); err != nil {
			return nil, fmt.Errorf("gates: %s: %w", m, err)
		}
		svc := filepath.Base(filepath.Dir(m))
		name := strings.TrimSuffix(filepath.Base(m), ".metadata.json")
		guard := filepath.Join(tools.ControlTowerRules, "cfn-guard", svc, name+".guard")
		src, err := os.ReadFile(guard)
		if err != nil {
			continue // metadata without a guard rule: nothing to run
		}
		c := Control{ID: meta.ID, Name: meta.DisplayName, File: guard, ResourceTypes: meta.EvaluatedResourceTypes, Severity: meta.Severity}
		for _, mm := range topLevelRule.FindAllSubmatch(src, -1) {
			c.GuardRules = appendUnique(c.GuardRules, string(mm[1]))
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ApplicableControls returns the Control Tower controls that evaluate at least
// one resource type present in the templates.
func ApplicableControls(templatePaths []string) ([]Control, error) {
	tools, err := FindTools()
	if err != nil {
		return nil, err
	}
	tpls, err := loadTemplates(templatePaths)
	if err != nil {
		return nil, err
	}
	return applicableControls(tools, tpls)
}

func applicableControls(tools *Tools, tpls []*template) ([]Control, error) {
	all, err := ControlTowerControls(tools)
	if err != nil {
		return nil, err
	}
	types := map[string]bool{}
	for _, t := range tpls {
		for _, r := range t.Resources {
			types[r.Type] = true
		}
	}
	var out []Control
	for _, c := range all {
		for _, rt := range c.ResourceTypes {
			if types[rt] {
				out = append(out, c)
				break
			}
		}
	}
	return out, nil
}

// RunGuard runs cfn-guard once over all templates with every applicable
// Control Tower control and returns one finding per failing control and
// resource, by control ID. (The project's own rules are Go code shared with
// `flowlog review`: [CheckProjectRules].) Allow-list entries for GateGuard apply.
func RunGuard(templatePaths []string) ([]Finding, error) {
	tools, err := FindTools()
	if err != nil {
		return nil, err
	}
	return runGuard(tools, templatePaths)
}

func runGuard(tools *Tools, templatePaths []string) ([]Finding, error) {
	tpls, err := loadTemplates(templatePaths)
	if err != nil {
		return nil, err
	}
	controls, err := applicableControls(tools, tpls)
	if err != nil {
		return nil, err
	}
	if len(controls) == 0 {
		return nil, nil // no Control Tower control evaluates these resource types
	}

	ruleID := map[string]string{} // guard rule name -> control ID ("" when ambiguous)
	set := func(name, id string) {
		if old, ok := ruleID[name]; ok && old != id {
			ruleID[name] = ""
			return
		}
		ruleID[name] = id
	}
	args := []string{"validate"}
	for _, c := range controls {
		args = append(args, "--rules", c.File)
		for _, r := range c.GuardRules {
			set(r, c.ID)
		}
	}
	byAbs := map[string]*template{}
	for _, t := range tpls {
		args = append(args, "--data", t.Path)
		abs, _ := filepath.Abs(t.Path)
		byAbs[abs] = t
	}
	args = append(args, "--output-format", "json", "--show-summary", "none", "--structured")

	cmd := exec.Command(tools.CfnGuard, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		// cfn-guard 3 exits 19 when a rule fails. It exits 5 when a rules file does not
		// parse, and still prints PASS for the rules it could read, so 5 is an error here
		// (cdk-validator-cfnguard's plugin.js accepts it as "failures").
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 19 {
			return nil, fmt.Errorf("gates: cfn-guard validate: %v\n%s", err, stderr.String())
		}
	}
	// With failing rules the exit code is 19 even when a rules file did not parse;
	// cfn-guard then says so on stderr, which is otherwise empty.
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		return nil, fmt.Errorf("gates: cfn-guard validate reported errors:\n%s", msg)
	}
	var results []struct {
		Name         string            `json:"name"`
		Status       string            `json:"status"`
		NotCompliant []json.RawMessage `json:"not_compliant"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("gates: unexpected cfn-guard output: %w\n%s", err, stderr.String())
	}

	var findings []Finding
	for _, res := range results {
		tpl := byAbs[res.Name]
		if tpl == nil {
			abs, _ := filepath.Abs(res.Name)
			tpl = byAbs[abs]
		}
		tplPath := res.Name
		if tpl != nil {
			tplPath = tpl.Path
		}
		for _, raw := range res.NotCompliant {
			var nc any
			if err := json.Unmarshal(raw, &nc); err != nil {
				return nil, err
			}
			name, msg := ruleNameAndMessage(nc)
			if msg == "" {
				msg = firstMessage(nc, "error_message")
			}
			id := ruleID[name]
			if id == "" {
				if m := idInMessage.FindStringSubmatch(msg); m != nil {
					id = m[1]
				} else {
					id = name
				}
			}
			var locs []guardLocation
			collectLocations(nc, msg, tpl, &locs)
			if len(locs) == 0 {
				locs = append(locs, guardLocation{message: msg})
			}
			seen := map[string]bool{}
			for _, l := range locs {
				if seen[l.logicalID] {
					continue
				}
				seen[l.logicalID] = true
				text := tidyGuardMessage(l.message)
				f := Finding{
					Gate:      GateGuard,
					Rule:      id,
					GuardRule: name,
					Severity:  SeverityError,
					Template:  tplPath,
					LogicalID: l.logicalID,
					Path:      l.path,
					Message:   text,
				}
				if tpl != nil && l.logicalID != "" {
					f.ResourceType = tpl.Resources[l.logicalID].Type
				}
				if strings.HasPrefix(id, "CT.") {
					f.DocURL = controlDocURL(id)
				}
				findings = append(findings, f)
			}
		}
	}
	applyAllowList(findings, tpls)
	sortFindings(findings)
	return findings, nil
}

var (
	idInMessage = regexp.MustCompile(`\[(CT\.[A-Z0-9_.]+)\]`)
)

type guardLocation struct {
	logicalID, path, message string
}

// ruleNameAndMessage returns the top-level rule name of a not_compliant entry
// and the first custom message anywhere in it.
func ruleNameAndMessage(nc any) (string, string) {
	var name string
	if m, ok := nc.(map[string]any); ok {
		for _, v := range m { // {"Rule": {...}} or {"Clause": ...}
			if r, ok := v.(map[string]any); ok {
				if n, ok := r["name"].(string); ok {
					name = n
				}
			}
		}
	}
	return name, firstCustomMessage(nc)
}

func firstCustomMessage(v any) string { return firstMessage(v, "custom_message") }

// firstMessage returns the first non-blank messages.<key> in a cfn-guard result.
func firstMessage(v any, key string) string {
	switch x := v.(type) {
	case map[string]any:
		if msgs, ok := x["messages"].(map[string]any); ok {
			if s, ok := msgs[key].(string); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
		for _, k := range sortedKeys(x) {
			if s := firstMessage(x[k], key); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range x {
			if s := firstMessage(e, key); s != "" {
				return s
			}
		}
	}
	return ""
}

// collectLocations walks a cfn-guard structured result and records every
// template location it names. For resolved comparisons only "from" (the value
// found in the template) is followed, not "to" (what it was compared with).
func collectLocations(v any, msg string, tpl *template, out *[]guardLocation) {
	switch x := v.(type) {
	case map[string]any:
		if msgs, ok := x["messages"].(map[string]any); ok {
			if s, ok := msgs["custom_message"].(string); ok && strings.TrimSpace(s) != "" {
				msg = s
			}
		}
		if p, ok := x["path"].(string); ok {
			if id, rest := splitResourcePath(p); id != "" {
				*out = append(*out, guardLocation{logicalID: id, path: rest, message: msg})
			} else if p == "/Resources" {
				// A key binding (Resources[ id | ... ]) reports the logical ID as the value.
				if s, ok := x["value"].(string); ok && tpl != nil {
					if _, exists := tpl.Resources[s]; exists {
						*out = append(*out, guardLocation{logicalID: s, message: msg})
					}
				}
			}
		}
		if from, ok := x["from"]; ok {
			if _, hasTo := x["to"]; hasTo {
				collectLocations(from, msg, tpl, out)
				return
			}
		}
		for _, k := range sortedKeys(x) {
			if k == "messages" {
				continue
			}
			collectLocations(x[k], msg, tpl, out)
		}
	case []any:
		for _, e := range x {
			collectLocations(e, msg, tpl, out)
		}
	}
}

func splitResourcePath(p string) (string, string) {
	if !strings.HasPrefix(p, "/Resources/") {
		return "", ""
	}
	rest := strings.TrimPrefix(p, "/Resources/")
	id, tail, _ := strings.Cut(rest, "/")
	return id, tail
}

// tidyGuardMessage turns a Control Tower style custom message
// ("[CT.X]: what\n[FIX]: how") into one line.
func tidyGuardMessage(s string) string {
	var parts []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := idInMessage.FindStringIndex(line); m != nil && m[0] == 0 {
			line = strings.TrimSpace(strings.TrimPrefix(line[m[1]:], ":"))
		}
		if strings.HasPrefix(line, "[FIX]:") {
			line = "Fix:" + strings.TrimPrefix(line, "[FIX]:")
		}
		parts = append(parts, line)
	}
	if len(parts) == 0 {
		return "rule failed"
	}
	return strings.Join(parts, " ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
