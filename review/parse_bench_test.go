package review

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseJSON compares the duplicate-key-checking JSON decoder with
// encoding/json's Unmarshal on the largest golden template.
func BenchmarkParseJSON(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "test", "testdata", "hardened.template.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parseJSON", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := parseJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
