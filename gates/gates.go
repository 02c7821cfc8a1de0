// Package gates runs the offline checks that every synthesized CloudFormation
// template of this project must pass before anyone deploys it. Nothing here
// talks to AWS; every checker comes from `npm ci` (see package.json).
//
// Three gates, each one process over all templates:
//
//   - Schema ([ValidateSchema]): the CloudFormation validator that aws-cdk-lib
//     bundles (@aws/cloudformation-validate, under
//     node_modules/aws-cdk-lib/node_modules), built the way aws-cdk-lib's
//     CloudFormationValidatePlugin builds it, but with no excluded rules and no
//     construct-level acknowledgements, at severity INFO and above.
//   - Guard ([RunGuard]): cfn-guard 3 from @cdklabs/cdk-validator-cfnguard, with
//     every AWS Control Tower proactive control whose evaluated resource types
//     occur in the templates.
//   - Project ([CheckProjectRules]): the project's own rules, [review.Rules]
//     (Go, shared with `flowlog review`), among them FLOWLOG.FORMAT, which
//     parses every AWS::EC2::FlowLog LogFormat with the flowlog field registry.
//
// Findings that a reviewed entry of gates/allowlist.json covers are kept, marked
// Allowed with the entry's reason and doc link; [Blocking] returns the rest at
// warning or error severity. [RunAll] runs the three gates.
package gates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Module is the Go module path of this repository; [RepoRoot] looks for its go.mod.
const Module = "github.com/seed-e6b90e5a/vpc-flow-logs"

// Gate names used in [Finding.Gate] and in allow-list entries.
const (
	GateSchema  = "schema"
	GateGuard   = "guard"
	GateProject = "project"
)

// Severities used in [Finding.Severity].
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding is one result of one gate about one template (and usually one resource).
type Finding struct {
	Gate         string `json:"gate"`                // GateSchema, GateGuard or GateProject
	Rule         string `json:"rule"`                // e.g. "E3002", "CT.S3.PR.8", "PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", "FLOWLOG.FORMAT"
	GuardRule    string `json:"guardRule,omitempty"` // the cfn-guard rule name, for GateGuard
	Severity     string `json:"severity"`            // SeverityError, SeverityWarning or SeverityInfo
	Template     string `json:"template"`            // template path as given
	LogicalID    string `json:"logicalId,omitempty"`
	ResourceType string `json:"resourceType,omitempty"`
	Path         string `json:"path,omitempty"` // property path, when known
	Message      string `json:"message"`
	DocURL       string `json:"docUrl,omitempty"`
	Allowed      bool   `json:"allowed,omitempty"` // covered by an allow-list entry
	AllowReason  string `json:"allowReason,omitempty"`
	AllowDoc     string `json:"allowDoc,omitempty"`
}

// Blocks reports whether f fails the gate: warning or error severity and not allow-listed.
func (f Finding) Blocks() bool {
	return !f.Allowed && (f.Severity == SeverityError || f.Severity == SeverityWarning)
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s %s %s", f.Gate, f.Severity, f.Rule, filepath.Base(f.Template))
	if f.LogicalID != "" {
		fmt.Fprintf(&b, " %s", f.LogicalID)
		if f.ResourceType != "" {
			fmt.Fprintf(&b, " (%s)", f.ResourceType)
		}
	}
	if f.Path != "" {
		fmt.Fprintf(&b, " at %s", f.Path)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	if f.DocURL != "" {
		fmt.Fprintf(&b, " <%s>", f.DocURL)
	}
	if f.Allowed {
		fmt.Fprintf(&b, " [allowed: %s <%s>]", f.AllowReason, f.AllowDoc)
	}
	return b.String()
}

// Blocking returns the findings that fail the gates (see [Finding.Blocks]).
func Blocking(findings []Finding) []Finding {
	var out []Finding
	for _, f := range findings {
		if f.Blocks() {
			out = append(out, f)
		}
	}
	return out
}

// ErrToolsMissing is wrapped by errors about checkers that `npm ci` installs.
var ErrToolsMissing = errors.New("template gate tools are missing: run `npm ci` in the repository root")

// Tools are the checkers the gates run, all from the repository's node_modules.
type Tools struct {
	Root              string // repository root (holds go.mod and package.json)
	Node              string // node executable
	ValidateScript    string // gates/cfn-validate.js
	AWSCDKLib         string // node_modules/aws-cdk-lib
	CfnGuard          string // cfn-guard binary shipped by @cdklabs/cdk-validator-cfnguard
	ControlTowerRules string // .../rules/control-tower (cfn-guard/ and metadata/)
}

// RepoRoot returns the repository root: $GATES_REPO_ROOT if set, else the
// nearest directory above the working directory (or above this source file)
// whose go.mod declares [Module].
func RepoRoot() (string, error) {
	if r := os.Getenv("GATES_REPO_ROOT"); r != "" {
		return filepath.Abs(r)
	}
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		for {
			data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && bytes.Contains(data, []byte("module "+Module+"\n")) {
				return dir, nil
			}
			up := filepath.Dir(dir)
			if up == dir {
				break
			}
			dir = up
		}
	}
	return "", fmt.Errorf("gates: cannot find the repository root (a go.mod for %s); set GATES_REPO_ROOT", Module)
}

// FindTools locates node, the bundled CloudFormation validator, cfn-guard and
// the Control Tower rules. Its error wraps [ErrToolsMissing] when `npm ci` has not run.
func FindTools() (*Tools, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	t := &Tools{
		Root:           root,
		ValidateScript: filepath.Join(root, "gates", "cfn-validate.js"),
		AWSCDKLib:      filepath.Join(root, "node_modules", "aws-cdk-lib"),
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("gates: node not found on PATH (Node 20+ is required): %w", ErrToolsMissing)
	}
	t.Node = node
	cfv := filepath.Join(t.AWSCDKLib, "node_modules", "@aws", "cloudformation-validate", "package.json")
	if _, err := os.Stat(cfv); err != nil {
		return nil, fmt.Errorf("gates: %s not found: %w", cfv, ErrToolsMissing)
	}
	// The same platform/arch layout cdk-validator-cfnguard's plugin.js uses.
	plat := map[string]string{"linux": "ubuntu", "darwin": "macos"}[runtime.GOOS]
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if plat == "" || arch == "" {
		return nil, fmt.Errorf("gates: cdk-validator-cfnguard ships no cfn-guard for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	pkg := filepath.Join(root, "node_modules", "@cdklabs", "cdk-validator-cfnguard")
	t.CfnGuard = filepath.Join(pkg, "bin", plat, arch, "cfn-guard")
	if st, err := os.Stat(t.CfnGuard); err != nil || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("gates: %s not found or not executable: %w", t.CfnGuard, ErrToolsMissing)
	}
	t.ControlTowerRules = filepath.Join(pkg, "rules", "control-tower")
	if _, err := os.Stat(filepath.Join(t.ControlTowerRules, "metadata")); err != nil {
		return nil, fmt.Errorf("gates: %s not found: %w", t.ControlTowerRules, ErrToolsMissing)
	}
	return t, nil
}

// TemplatesIn returns the *.template.json files under dir (recursively, so
// nested cloud assemblies in cdk.out are included), sorted.
func TemplatesIn(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".template.json") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// RunAll runs every gate over the templates, the three side by side, and
// returns all findings (allowed ones included) in gate order. It fails only
// when a checker cannot run.
func RunAll(templatePaths []string) ([]Finding, error) {
	gates := []func([]string) ([]Finding, error){ValidateSchema, RunGuard, CheckProjectRules}
	results := make([][]Finding, len(gates))
	errs := make([]error, len(gates))
	var wg sync.WaitGroup
	for i, gate := range gates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = gate(templatePaths)
		}()
	}
	wg.Wait()
	var all []Finding
	for i := range gates {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, results[i]...)
	}
	return all, nil
}

// template is a parsed CloudFormation template, enough for the gates.
type template struct {
	Path      string
	Resources map[string]resource
}

type resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

func loadTemplates(paths []string) ([]*template, error) {
	if len(paths) == 0 {
		return nil, errors.New("gates: no templates given")
	}
	out := make([]*template, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Resources map[string]resource `json:"Resources"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("gates: %s: %w", p, err)
		}
		out = append(out, &template{Path: p, Resources: doc.Resources})
	}
	return out, nil
}

// cfnDocURL is the CloudFormation template reference page of an AWS:: resource type.
func cfnDocURL(resourceType string) string {
	parts := strings.Split(resourceType, "::")
	if len(parts) != 3 || parts[0] != "AWS" {
		return ""
	}
	return "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-" +
		strings.ToLower(parts[1]) + "-" + strings.ToLower(parts[2]) + ".html"
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Template != b.Template {
			return a.Template < b.Template
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.LogicalID != b.LogicalID {
			return a.LogicalID < b.LogicalID
		}
		return a.Path < b.Path
	})
}
