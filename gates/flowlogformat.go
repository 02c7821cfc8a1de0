package gates

import (
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// RuleFlowLogFormat is the rule name of [CheckFlowLogFormats] findings.
const RuleFlowLogFormat = "FLOWLOG.FORMAT"

const flowLogRecordsDoc = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html"

// CheckFlowLogFormats parses the LogFormat of every AWS::EC2::FlowLog whose
// ResourceType is VPC, Subnet or NetworkInterface with [flowlog.ParseFormat]:
// an unparsable format is an error. A LogFormat that is not a literal (or an
// Fn::Join of literals) cannot be checked and is an error too. Transit gateway
// flow logs have their own field set, which package flowlog does not model;
// their formats are reported at info severity, unchecked. An absent LogFormat
// means the AWS default format and passes.
func CheckFlowLogFormats(templatePaths []string) ([]Finding, error) {
	tpls, err := loadTemplates(templatePaths)
	if err != nil {
		return nil, err
	}
	var findings []Finding
	for _, t := range tpls {
		for id, r := range t.Resources {
			if r.Type != "AWS::EC2::FlowLog" {
				continue
			}
			raw, ok := r.Properties["LogFormat"]
			if !ok {
				continue
			}
			f := Finding{
				Gate: GateFlowLog, Rule: RuleFlowLogFormat, Severity: SeverityError,
				Template: t.Path, LogicalID: id, ResourceType: r.Type, Path: "Properties.LogFormat",
				DocURL: flowLogRecordsDoc,
			}
			rt, _ := r.Properties["ResourceType"].(string)
			if rt == "TransitGateway" || rt == "TransitGatewayAttachment" {
				f.Severity = SeverityInfo
				f.Message = "transit gateway flow-log format not checked: package flowlog models VPC flow-log fields only"
				f.DocURL = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html"
				findings = append(findings, f)
				continue
			}
			s, ok := literalString(raw)
			if !ok {
				f.Message = fmt.Sprintf("LogFormat is not a literal string (%v); the format cannot be checked offline", raw)
				findings = append(findings, f)
				continue
			}
			if _, err := flowlog.ParseFormat(s); err != nil {
				f.Message = err.Error()
				findings = append(findings, f)
			}
		}
	}
	applyAllowList(findings, tpls)
	sortFindings(findings)
	return findings, nil
}

// literalString resolves a string or an Fn::Join of strings.
func literalString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case map[string]any:
		join, ok := x["Fn::Join"].([]any)
		if !ok || len(x) != 1 || len(join) != 2 {
			return "", false
		}
		sep, ok := join[0].(string)
		parts, ok2 := join[1].([]any)
		if !ok || !ok2 {
			return "", false
		}
		ss := make([]string, len(parts))
		for i, p := range parts {
			s, ok := literalString(p)
			if !ok {
				return "", false
			}
			ss[i] = s
		}
		return strings.Join(ss, sep), true
	}
	return "", false
}
