package investigations

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildsForOtherArchitectures cross-compiles the package where its
// files differ from amd64's: a 32-bit int (386, arm: a constant that
// overflows int does not compile there), arm64 (prefetch_other.go) and
// the purego tag. Those builds are what a release for them compiles;
// nothing else here runs on them.
func TestBuildsForOtherArchitectures(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the package: skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	// go test caches a pass by the files the test reads, not the child
	// build's: read the sources it compiles that the amd64 test binary
	// leaves out (other architectures' files), so that a change to them
	// runs the test again.
	for _, dir := range []string{".", "../flowlog"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if _, err := os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct{ arch, tags string }{
		{"386", ""}, {"arm", ""}, {"arm64", ""}, {"amd64", "purego"},
	} {
		cmd := exec.Command(gobin, "build", "-tags="+c.tags, ".")
		// GOFLAGS may hold flags of the test's own build (-race) that
		// other architectures do not support.
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+c.arch, "CGO_ENABLED=0", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOARCH=%s -tags=%q: %v\n%s", c.arch, c.tags, err, strings.TrimSpace(string(out)))
		}
	}
}
