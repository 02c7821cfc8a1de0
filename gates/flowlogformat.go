package gates

import (
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// RuleFlowLogFormat is the rule name of [CheckFlowLogFormats] findings.
const RuleFlowLogFormat = "FLOWLOG.FORMAT"

const flowLogRecordsDoc = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html"

// CheckFlowLogFormats parses the LogFormat of every AWS::EC2::FlowLog: with
// [flowlog.ParseFormat] when its ResourceType is VPC, Subnet or
// NetworkInterface, with [flowlog.ParseTransitGatewayFormat] for a transit
// gateway or attachment, whose records have their own fields. An unparsable
// format is an error. A LogFormat that is not a literal (or an Fn::Join of
// literals) cannot be checked and is an error too. An absent LogFormat means
// the AWS default format and passes.
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
			tgw := rt == "TransitGateway" || rt == "TransitGatewayAttachment"
			if tgw {
				f.DocURL = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records"
			}
			s, ok := literalString(raw)
			if !ok {
				f.Message = fmt.Sprintf("LogFormat is not a literal string (%v); the format cannot be checked offline", raw)
				findings = append(findings, f)
				continue
			}
			// Transit gateway flow logs record their own fields (flowlog.TransitGatewayFields).
			var err error
			if tgw {
				_, err = flowlog.ParseTransitGatewayFormat(s)
			} else {
				_, err = flowlog.ParseFormat(s)
			}
			if err != nil {
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
