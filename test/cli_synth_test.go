package test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/gates"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
)

// TestCLISynthMatchesSnapshots runs the real, pinned CDK CLI (`cdk synth`, as the README's first
// command does) and holds its templates to the golden snapshots, so the snapshots are what users
// deploy and review, not an approximation. Then every gate runs over the CLI's output.
func TestCLISynthMatchesSnapshots(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI (go run + synth, about 15 s per variant); not in -short mode")
	}
	root, err := cdktest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cdk := filepath.Join(root, "node_modules", ".bin", "cdk")
	if _, err := os.Stat(cdk); err != nil {
		t.Fatalf("the pinned CDK CLI is not installed (%v): run `npm ci` in %s", err, root)
	}
	base := t.TempDir()      // the parent's: outputs outlive the subtests
	var synthesized []string // every template the CLI wrote, for one run of the gates at the end
	for _, v := range []struct {
		name string
		args []string
	}{
		{"default", nil},
		// Context given on the command line arrives as strings; this variant exercises that path.
		{"custom-format", []string{"-c", "logFormat=" + customFormat, "-c", `tags={"team":"netsec","cost-center":"1234"}`, "-c", "removalPolicy=destroy"}},
	} {
		t.Run(v.name, func(t *testing.T) {
			out := filepath.Join(base, v.name)
			args := append([]string{"synth", "--quiet", "--no-notices", "--output", out}, v.args...)
			cmd := exec.Command(cdk, args...)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true", "CDK_DISABLE_VERSION_CHECK=1",
				"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("cdk %v: %v\n%s", args, err, stderr.String())
			}
			raw, err := os.ReadFile(filepath.Join(out, "VpcFlowLogs.template.json"))
			if err != nil {
				t.Fatal(err)
			}
			var tpl map[string]any
			if err := json.Unmarshal(raw, &tpl); err != nil {
				t.Fatal(err)
			}
			got, err := cdktest.Normalize(tpl)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", v.name+".template.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("cdk synth's template differs from testdata/%s.template.json:\n%s", v.name, cdktest.Diff(want, got))
			}

			paths, err := gates.TemplatesIn(out)
			if err != nil || len(paths) == 0 {
				t.Fatalf("no templates in the CLI's output (%v)", err)
			}
			synthesized = append(synthesized, paths...)
		})
	}
	// One run over all outputs: each gate process pays a fixed start-up cost.
	findings, err := gates.RunAll(synthesized)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range gates.Blocking(findings) {
		t.Errorf("gate: %s", f)
	}
}
