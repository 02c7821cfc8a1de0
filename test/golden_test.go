package test

import (
	"encoding/json"
	"os"
	"testing"
)

// goldenLogFormats returns the LogFormat of every AWS::EC2::FlowLog in a golden template.
func goldenLogFormats(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]string{}
	for id, r := range tpl.Resources {
		if r.Type != "AWS::EC2::FlowLog" {
			continue
		}
		if rt, _ := r.Properties["ResourceType"].(string); rt == "TransitGateway" || rt == "TransitGatewayAttachment" {
			continue // transit gateway fields: TestGoldenTransitGatewayFormats
		}
		f, ok := r.Properties["LogFormat"].(string)
		if !ok {
			t.Errorf("%s %s: LogFormat is missing or not a string", path, id)
			continue
		}
		out[id] = f
	}
	return out
}
