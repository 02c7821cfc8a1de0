package gates

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

// AllowEntry is one reviewed exception in gates/allowlist.json. A finding is
// allowed when Gate and Rule are equal, ResourceType (if set) is equal,
// LogicalID (if set) matches the finding's logical ID as a regular expression,
// and the When predicate (if set) holds for the resource in its template.
type AllowEntry struct {
	Gate         string `json:"gate"`
	Rule         string `json:"rule"`
	ResourceType string `json:"resourceType,omitempty"`
	LogicalID    string `json:"logicalId,omitempty"`
	When         string `json:"when,omitempty"`
	Reason       string `json:"reason"`
	Doc          string `json:"doc"`

	re *regexp.Regexp
}

//go:embed allowlist.json
var allowListJSON []byte

// Predicates usable in AllowEntry.When.
var allowPredicates = map[string]func(t *template, logicalID string) bool{
	// The template is of the app's default profile: no flow-log destination (a log group, or a
	// bucket a flow log delivers to) is encrypted with a KMS key. hardened=true encrypts them
	// with a customer managed key and adds versioning, Object Lock and EventBridge
	// notifications. A key that only encrypts the analytics (the alarm topic, Athena query
	// results) does not make a template hardened.
	"default-profile": func(t *template, _ string) bool {
		for _, r := range t.Resources {
			switch r.Type {
			case "AWS::Logs::LogGroup":
				if _, ok := r.Properties["KmsKeyId"]; ok {
					return false
				}
			case "AWS::EC2::FlowLog":
				for _, id := range referencedIDs(r.Properties["LogDestination"]) {
					if b, ok := t.Resources[id]; ok && b.Type == "AWS::S3::Bucket" && bucketUsesKMS(b.Properties) {
						return false
					}
				}
			}
		}
		return true
	},
	// The resource is a Firehose flow log whose stream is given by ARN rather than
	// created by the template: it delivers across accounts (DeliverCrossAccountRole
	// is set), or its LogDestination is a literal ARN that the user supplied.
	"firehose-destination-given-by-arn": func(t *template, id string) bool {
		r := t.Resources[id]
		if r.Type != review.TypeFlowLog || r.Properties["LogDestinationType"] != review.DestFirehose {
			return false
		}
		if _, cross := r.Properties["DeliverCrossAccountRole"]; cross {
			return true
		}
		dest, literal := r.Properties["LogDestination"].(string)
		return literal && strings.HasPrefix(dest, "arn:")
	},
	// The bucket receives S3 server access logs from another bucket of the same template.
	"s3-access-log-target": func(t *template, id string) bool {
		for other, r := range t.Resources {
			if other == id || r.Type != "AWS::S3::Bucket" {
				continue
			}
			lc, _ := r.Properties["LoggingConfiguration"].(map[string]any)
			dest, _ := lc["DestinationBucketName"].(map[string]any)
			if ref, _ := dest["Ref"].(string); ref == id {
				return true
			}
		}
		return false
	},
}

// AllowList returns the reviewed allow-list entries.
func AllowList() ([]AllowEntry, error) { return parseAllowList(allowListJSON) }

func parseAllowList(data []byte) ([]AllowEntry, error) {
	var entries []AllowEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("gates: allowlist.json: %w", err)
	}
	for i := range entries {
		e := &entries[i]
		if e.Gate == "" || e.Rule == "" || e.Reason == "" || e.Doc == "" {
			return nil, fmt.Errorf("gates: allowlist.json entry %d needs gate, rule, reason and doc", i)
		}
		if e.Gate == GateGuard && strings.HasPrefix(e.Rule, "PROJECT.") {
			// Until the project rules moved to Go (package review) they ran in cfn-guard.
			return nil, fmt.Errorf("gates: allowlist.json entry %d: %s is a project rule, checked by the project gate: use \"gate\": %q", i, e.Rule, GateProject)
		}
		if e.When != "" && allowPredicates[e.When] == nil {
			return nil, fmt.Errorf("gates: allowlist.json entry %d: unknown predicate %q", i, e.When)
		}
		if e.LogicalID != "" {
			re, err := regexp.Compile(e.LogicalID)
			if err != nil {
				return nil, fmt.Errorf("gates: allowlist.json entry %d: %w", i, err)
			}
			e.re = re
		}
	}
	return entries, nil
}

func (e *AllowEntry) matches(f Finding, t *template) bool {
	if e.Gate != f.Gate || e.Rule != f.Rule {
		return false
	}
	if e.ResourceType != "" && e.ResourceType != f.ResourceType {
		return false
	}
	if e.re != nil && !e.re.MatchString(f.LogicalID) {
		return false
	}
	if e.When != "" && (t == nil || f.LogicalID == "" || !allowPredicates[e.When](t, f.LogicalID)) {
		return false
	}
	return true
}

// applyAllowList marks the findings that an entry covers. A broken allow-list
// is a programming error caught by the package tests, so it panics.
func applyAllowList(findings []Finding, tpls []*template) {
	entries, err := AllowList()
	if err != nil {
		panic(err)
	}
	byPath := map[string]*template{}
	for _, t := range tpls {
		byPath[t.Path] = t
	}
	for i := range findings {
		f := &findings[i]
		for j := range entries {
			if entries[j].matches(*f, byPath[f.Template]) {
				f.Allowed, f.AllowReason, f.AllowDoc = true, entries[j].Reason, entries[j].Doc
				break
			}
		}
	}
}

// AllowReviewFindings marks the findings of `flowlog review` (package review)
// that an allow-list entry for the project gate covers, exactly as
// [CheckProjectRules] marks its own, so the command and the gate agree.
func AllowReviewFindings(t *review.Template, findings []review.Finding) error {
	entries, err := AllowList()
	if err != nil {
		return err
	}
	tpl := &template{Path: t.Path, Resources: make(map[string]resource, len(t.Resources))}
	for id, r := range t.Resources {
		tpl.Resources[id] = resource{Type: r.Type, Properties: r.Properties}
	}
	for i := range findings {
		rf := &findings[i]
		f := Finding{Gate: GateProject, Rule: rf.Rule, LogicalID: rf.LogicalID, ResourceType: rf.ResourceType}
		for j := range entries {
			if entries[j].matches(f, tpl) {
				rf.Allowed, rf.AllowReason = true, entries[j].Reason+" <"+entries[j].Doc+">"
				break
			}
		}
	}
	return nil
}

// referencedIDs returns the logical IDs v names with Ref or Fn::GetAtt, anywhere inside it.
func referencedIDs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			out = append(out, ref)
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
			if id, ok := ga[0].(string); ok {
				out = append(out, id)
			}
		}
		for _, e := range x {
			out = append(out, referencedIDs(e)...)
		}
	case []any:
		for _, e := range x {
			out = append(out, referencedIDs(e)...)
		}
	}
	return out
}

// bucketUsesKMS reports whether a bucket's default encryption is SSE-KMS (or DSSE-KMS).
func bucketUsesKMS(props map[string]any) bool {
	enc, _ := props["BucketEncryption"].(map[string]any)
	rules, _ := enc["ServerSideEncryptionConfiguration"].([]any)
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		def, _ := rm["ServerSideEncryptionByDefault"].(map[string]any)
		if alg, _ := def["SSEAlgorithm"].(string); strings.HasPrefix(alg, "aws:kms") {
			return true
		}
	}
	return false
}
