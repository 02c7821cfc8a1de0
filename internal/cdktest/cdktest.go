// Package cdktest helps tests synthesize the app exactly as `cdk synth` does and compare the
// templates with golden files. It is test support only; production synth never uses it.
package cdktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// RepoRoot walks up from the working directory to the directory holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("cdktest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// cliContext is what the CDK CLI adds to the context of every `cdk synth` (path metadata on
// resources, asset metadata), so that tests synthesize the same template.
var cliContext = map[string]any{
	"aws:cdk:enable-path-metadata":  true,
	"aws:cdk:enable-asset-metadata": true,
	// Not from the CLI, and no effect on templates: when strict validation fails synth, put the
	// whole report in the panic message instead of only on stderr, so tests can assert on it.
	"@aws-cdk/core:appMode": "inmemory",
}

// Context returns the context `cdk synth` gives the app: cdk.json's "context" block (the feature
// flags and the app's settings) plus what the CLI adds, then overrides on top. Without this,
// feature flags are not applied in tests and snapshots would differ from what `cdk synth` writes.
func Context(overrides map[string]any) (map[string]any, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(root, "cdk.json"))
	if err != nil {
		return nil, err
	}
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(raw, &cdkJSON); err != nil {
		return nil, fmt.Errorf("cdktest: cdk.json: %w", err)
	}
	ctx := map[string]any{}
	for k, v := range cdkJSON.Context {
		ctx[k] = v
	}
	for k, v := range cliContext {
		ctx[k] = v
	}
	for k, v := range overrides {
		ctx[k] = v
	}
	return ctx, nil
}

var assetHash = regexp.MustCompile(`\b[a-f0-9]{64}\b`)

// Normalize removes what changes without the template changing meaning: asset hashes (they
// follow the bundled code of CDK's own custom resources) and the bootstrap-version parameter and
// rule every template carries. It returns the template as indented JSON with sorted keys and a
// trailing newline, ready to compare byte for byte.
func Normalize(template map[string]any) ([]byte, error) {
	t := map[string]any{}
	for k, v := range template {
		t[k] = v
	}
	if params, ok := t["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
		if len(params) == 0 {
			delete(t, "Parameters")
		}
	}
	if rules, ok := t["Rules"].(map[string]any); ok {
		delete(rules, "CheckBootstrapVersion")
		if len(rules) == 0 {
			delete(t, "Rules")
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return assetHash.ReplaceAll(buf.Bytes(), []byte("[ASSET HASH]")), nil
}

// Diff gives a short, line-based description of where two texts first differ.
func Diff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("first difference at line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "no difference"
}
