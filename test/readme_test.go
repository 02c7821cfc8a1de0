package test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// The README is documentation users act on; these tests keep it true.

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	root, err := cdktest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadmeTestCommandIsCI: .ci/run runs exactly the README's test command.
func TestReadmeTestCommandIsCI(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	m := regexp.MustCompile("(?s)Run every test.*?```sh\n(.*?)\n```").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README has no test command block after \"Run every test\"")
	}
	if !strings.Contains(readRepoFile(t, ".ci/run"), "\n"+m[1]+"\n") {
		t.Errorf(".ci/run does not run the README's test command %q", m[1])
	}
}

// TestReadmeConfigurationTableListsEverySetting: every context key the app reads is documented.
func TestReadmeConfigurationTableListsEverySetting(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	for _, s := range stacks.Settings() {
		if !strings.Contains(readme, "`"+s[0]+"`") {
			t.Errorf("README's configuration table lacks the context key %q", s[0])
		}
	}
}

// TestReadmeSnippetIsTheExample: the import snippet is ExampleNewFlowLogs' body, which compiles
// and runs as a test.
func TestReadmeSnippetIsTheExample(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	m := regexp.MustCompile("(?s)## Using the constructs.*?```go\n(.*?)```").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README has no Go snippet under \"Using the constructs\"")
	}
	example := readRepoFile(t, "constructs/flowlogs/example_test.go")
	if !strings.Contains(example, "func ExampleNewFlowLogs() {\n"+m[1]) {
		t.Errorf("README's snippet is not the start of ExampleNewFlowLogs in constructs/flowlogs/example_test.go")
	}
}

// TestReadmeListsEverySuppression: every reviewed cdk-nag exception is in the README.
func TestReadmeListsEverySuppression(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	cfg := stacks.DefaultConfig()
	for _, s := range stacks.Suppressions(cfg) {
		if !strings.Contains(readme, "`"+s.Rule+"`") {
			t.Errorf("README does not list the suppressed rule %s", s.Rule)
		}
	}
}

// TestReadmeHasNoMergeMarkers: a merge left ">>>>>>> branch" in the README once; no test saw it.
func TestReadmeHasNoMergeMarkers(t *testing.T) {
	for i, line := range strings.Split(readRepoFile(t, "README.md"), "\n") {
		for _, m := range []string{"<<<<<<< ", "=======", ">>>>>>> "} {
			if strings.HasPrefix(line, m) {
				t.Errorf("README.md:%d: merge marker %q", i+1, line)
			}
		}
	}
}
