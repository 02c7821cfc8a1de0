package gates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// ValidateSchema runs the CloudFormation validator bundled in aws-cdk-lib
// (node gates/cfn-validate.js, one process, one engine) over the templates,
// with no rule excluded. FATAL and ERROR diagnostics become SeverityError, WARN
// SeverityWarning, INFO SeverityInfo; allow-list entries for GateSchema apply.
func ValidateSchema(templatePaths []string) ([]Finding, error) {
	tools, err := FindTools()
	if err != nil {
		return nil, err
	}
	tpls, err := loadTemplates(templatePaths)
	if err != nil {
		return nil, err
	}
	args := []string{tools.ValidateScript}
	args = append(args, templatePaths...)
	cmd := exec.Command(tools.Node, args...)
	cmd.Env = append(cmd.Environ(), "GATES_REPO_ROOT="+tools.Root)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("gates: %s %s: %v\n%s", tools.Node, filepath.Base(tools.ValidateScript), err, stderr.String())
	}
	var out struct {
		Validator string `json:"validator"`
		Templates []struct {
			Path        string `json:"path"`
			Error       string `json:"error"`
			Diagnostics []struct {
				RuleID           string `json:"ruleId"`
				Severity         string `json:"severity"`
				Message          string `json:"message"`
				LogicalID        string `json:"logicalId"`
				ResourceType     string `json:"resourceType"`
				PropertyPath     string `json:"propertyPath"`
				DocumentationURL string `json:"documentationUrl"`
			} `json:"diagnostics"`
		} `json:"templates"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("gates: unexpected output from cfn-validate.js: %w", err)
	}
	var findings []Finding
	for _, t := range out.Templates {
		if t.Error != "" {
			findings = append(findings, Finding{
				Gate: GateSchema, Rule: "VALIDATOR_FAILED", Severity: SeverityError, Template: t.Path,
				Message: "the validator could not process the template: " + t.Error,
			})
		}
		for _, d := range t.Diagnostics {
			f := Finding{
				Gate:         GateSchema,
				Rule:         d.RuleID,
				Severity:     schemaSeverity(d.Severity),
				Template:     t.Path,
				LogicalID:    d.LogicalID,
				ResourceType: d.ResourceType,
				Path:         d.PropertyPath,
				Message:      d.Message,
				DocURL:       cfnDocURL(d.ResourceType),
			}
			if f.DocURL == "" {
				f.DocURL = d.DocumentationURL // the schema's source URL, when there is no AWS:: type
			}
			findings = append(findings, f)
		}
	}
	applyAllowList(findings, tpls)
	sortFindings(findings)
	return findings, nil
}

func schemaSeverity(s string) string {
	switch strings.ToUpper(s) {
	case "FATAL", "ERROR":
		return SeverityError
	case "WARN":
		return SeverityWarning
	default:
		return SeverityInfo
	}
}
