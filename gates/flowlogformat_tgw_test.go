package gates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTransitGatewayFormatsAreChecked: transit gateway formats are parsed with their own fields,
// so a VPC-only field is an error and a transit gateway field is not. (The check is the project
// gate's FLOWLOG.FORMAT rule, in package review.)
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
	all, err := CheckProjectRules([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Finding{}
	var findings []Finding
	for _, f := range all {
		if f.Rule == RuleFlowLogFormat {
			got[f.LogicalID] = f
			findings = append(findings, f)
		}
	}
	if _, ok := got["Good"]; ok || len(findings) != 2 {
		t.Fatalf("findings = %v, want Bad and Vpc only", findings)
	}
	if f := got["Bad"]; f.Gate != GateProject || f.Severity != SeverityError || !strings.Contains(f.Message, "${action}") || !strings.Contains(f.DocURL, "flow-log-records") {
		t.Errorf("Bad: %+v", f)
	}
	if f := got["Vpc"]; f.Severity != SeverityError || !strings.Contains(f.Message, "${tgw-id}") {
		t.Errorf("Vpc: %+v", f)
	}
}
