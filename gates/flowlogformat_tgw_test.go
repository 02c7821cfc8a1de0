package gates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTransitGatewayFormatsAreChecked: transit gateway formats are parsed with their own fields,
// so a VPC-only field is an error and a transit gateway field is not.
func TestTransitGatewayFormatsAreChecked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Tgw.template.json")
	tpl := `{"Resources":{
	  "Good":{"Type":"AWS::EC2::FlowLog","Properties":{"ResourceType":"TransitGateway","LogFormat":"${tgw-id} ${srcaddr} ${packets-lost-blackhole}"}},
	  "Bad":{"Type":"AWS::EC2::FlowLog","Properties":{"ResourceType":"TransitGatewayAttachment","LogFormat":"${tgw-id} ${action}"}},
	  "Vpc":{"Type":"AWS::EC2::FlowLog","Properties":{"ResourceType":"VPC","LogFormat":"${tgw-id}"}}}}`
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := CheckFlowLogFormats([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Finding{}
	for _, f := range findings {
		got[f.LogicalID] = f
	}
	if _, ok := got["Good"]; ok || len(findings) != 2 {
		t.Fatalf("findings = %v, want Bad and Vpc only", findings)
	}
	if f := got["Bad"]; f.Severity != SeverityError || !strings.Contains(f.Message, `"${action}"`) || !strings.Contains(f.DocURL, "/tgw/") {
		t.Errorf("Bad: %+v", f)
	}
	if f := got["Vpc"]; f.Severity != SeverityError || !strings.Contains(f.Message, `"${tgw-id}"`) {
		t.Errorf("Vpc: %+v", f)
	}
}
