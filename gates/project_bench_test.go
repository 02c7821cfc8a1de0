package gates

import (
	"path/filepath"
	"testing"
)

// BenchmarkCheckProjectRules measures the project gate (Go rules) over the
// fixture and the golden templates, as the gate tests run it.
func BenchmarkCheckProjectRules(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join("..", "test", "testdata", "*.template.json"))
	fx, _ := TemplatesIn(fixtureDir)
	paths = append(paths, fx...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckProjectRules(paths); err != nil {
			b.Fatal(err)
		}
	}
}
