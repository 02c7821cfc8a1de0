package review

import (
	"errors"
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// CloudFormation and EC2 facts the flow-log rules rest on.
const (
	TypeFlowLog = "AWS::EC2::FlowLog"

	DestCloudWatchLogs = "cloud-watch-logs"
	DestS3             = "s3"
	DestFirehose       = "kinesis-data-firehose"

	docFlowLogCFN   = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html"
	docFlowLogBasic = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html#flow-logs-basics"
	docTGWCLI       = "https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html"
	docCreateFlow   = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html"
	docFirehose     = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html"
	docRecords      = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html"
	docTGWRecords   = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records"
)

// resourceTypes maps a flow log's ResourceType to the CloudFormation types its
// ResourceId may name (docFlowLogCFN lists the five ResourceType values).
var resourceTypes = map[string][]string{
	"VPC":              {"AWS::EC2::VPC"},
	"Subnet":           {"AWS::EC2::Subnet"},
	"NetworkInterface": {"AWS::EC2::NetworkInterface"},
	"TransitGateway":   {"AWS::EC2::TransitGateway"},
	"TransitGatewayAttachment": {"AWS::EC2::TransitGatewayAttachment", "AWS::EC2::TransitGatewayVpcAttachment",
		"AWS::EC2::TransitGatewayPeeringAttachment", "AWS::EC2::TransitGatewayConnect"},
}

// IsTransitGateway reports whether a flow-log ResourceType is a transit gateway type.
func IsTransitGateway(resourceType string) bool {
	return resourceType == "TransitGateway" || resourceType == "TransitGatewayAttachment"
}

// DestinationType returns a flow log's LogDestinationType, defaulting as EC2
// does to cloud-watch-logs.
func DestinationType(r Resource) string {
	if v, ok := r.Properties["LogDestinationType"]; ok {
		return Show(v)
	}
	return DestCloudWatchLogs
}

func flowLogIDs(t *Template, pred func(Resource) bool) []string {
	var ids []string
	for _, id := range t.IDs(TypeFlowLog) {
		if pred == nil || pred(t.Resources[id]) {
			ids = append(ids, id)
		}
	}
	return ids
}

func hasFlowLog(pred func(Resource) bool) func(*Template) bool {
	return func(t *Template) bool { return len(flowLogIDs(t, pred)) > 0 }
}

func networkFlowLog(r Resource) bool {
	rt := r.Str("ResourceType")
	return rt == "VPC" || rt == "Subnet" || rt == "NetworkInterface"
}

func tgwFlowLog(r Resource) bool { return IsTransitGateway(r.Str("ResourceType")) }

var ruleInterval = Rule{
	ID: "PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL", Severity: SeverityError, DocURL: docFlowLogBasic,
	Summary: "every AWS::EC2::FlowLog sets MaxAggregationInterval to " + flowlog.AggregationIntervalsText() + " seconds",
	applies: hasFlowLog(nil),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, nil) {
			v, ok := t.Resources[id].Properties["MaxAggregationInterval"]
			if !ok {
				emit(id, "MaxAggregationInterval", "MaxAggregationInterval is not set (AWS then uses its default); set "+flowlog.AggregationIntervalsText()+" explicitly", SeverityMedium)
				continue
			}
			vals, known := t.Values(v)
			if !known {
				emit(id, "MaxAggregationInterval", uncheckable("MaxAggregationInterval", v), SeverityInfo)
			}
			for _, x := range vals {
				if n, ok := Int(x.V); x.V != nil && (!ok || !flowlog.ValidAggregationInterval(n)) {
					emit(id, "MaxAggregationInterval", fmt.Sprintf("MaxAggregationInterval %s is rejected by EC2: only %s seconds", x.describe(), flowlog.AggregationIntervalsText()))
				}
			}
		}
	},
}

var ruleTrafficType = Rule{
	ID: "PROJECT.FLOW_LOG_TRAFFIC_TYPE", Severity: SeverityError, DocURL: docCreateFlow,
	Summary: "every VPC, subnet or network-interface flow log sets TrafficType to " + flowlog.TrafficTypesText(),
	applies: hasFlowLog(networkFlowLog),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, networkFlowLog) {
			v, ok := t.Resources[id].Properties["TrafficType"]
			if !ok {
				emit(id, "TrafficType", "TrafficType is not set; EC2 requires "+flowlog.TrafficTypesText()+" for a "+t.Resources[id].Str("ResourceType")+" flow log")
				continue
			}
			vals, known := t.Values(v)
			if !known {
				emit(id, "TrafficType", uncheckable("TrafficType", v), SeverityInfo)
			}
			for _, x := range vals {
				if s, _ := x.V.(string); !flowlog.ValidTrafficType(s) {
					emit(id, "TrafficType", fmt.Sprintf("TrafficType %s is rejected by EC2: %s", x.describe(), flowlog.TrafficTypesText()))
				}
			}
		}
	},
}

var ruleTGW = Rule{
	ID: "PROJECT.FLOW_LOG_TGW_SETTINGS", Severity: SeverityError, DocURL: docTGWCLI,
	Summary: fmt.Sprintf("a TransitGateway or TransitGatewayAttachment flow log uses MaxAggregationInterval %d, no TrafficType and no TagFieldSpecifications", flowlog.TransitGatewayAggregationInterval),
	applies: hasFlowLog(tgwFlowLog),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, tgwFlowLog) {
			r := t.Resources[id]
			v, ok := r.Properties["MaxAggregationInterval"]
			vals, known := t.Values(v)
			if ok && !known {
				emit(id, "MaxAggregationInterval", uncheckable("MaxAggregationInterval", v), SeverityInfo)
			}
			if !ok {
				vals = []Value{{}}
			}
			for _, x := range vals {
				if n, isInt := Int(x.V); !isInt || n != flowlog.TransitGatewayAggregationInterval {
					emit(id, "MaxAggregationInterval", fmt.Sprintf("a transit gateway flow log must set MaxAggregationInterval %d, the only value EC2 accepts for it (found %s)", flowlog.TransitGatewayAggregationInterval, orDefault(x.describe(), "none")))
				}
			}
			if tt, ok := r.Properties["TrafficType"]; ok {
				emit(id, "TrafficType", fmt.Sprintf("TrafficType %s on a transit gateway flow log: EC2 rejects TrafficType for transit gateway resource types", Show(tt)))
			}
			// TagFieldSpecifications name the tag keys of the version-11 tag fields
			// (instance, network interface, Auto Scaling group:
			// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TagFieldSpecificationRequest.html),
			// which are VPC flow-log fields; transit gateway records have none
			// (docTGWRecords), so the keys would record nothing.
			if _, ok := r.Properties["TagFieldSpecifications"]; ok {
				emit(id, "TagFieldSpecifications", "TagFieldSpecifications on a transit gateway flow log: tag fields are VPC flow-log fields that transit gateway records do not have ("+docTGWRecords+")", SeverityMedium)
			}
		}
	},
}

var ruleResource = Rule{
	ID: "PROJECT.FLOW_LOG_RESOURCE", Severity: SeverityError, DocURL: docFlowLogCFN,
	Summary: "every flow log names a ResourceType EC2 knows and a ResourceId of that type",
	applies: hasFlowLog(nil),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, nil) {
			r := t.Resources[id]
			rt := r.Str("ResourceType")
			want, known := resourceTypes[rt]
			if !known {
				emit(id, "ResourceType", fmt.Sprintf("ResourceType %s is not one of VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment", Show(r.Properties["ResourceType"])))
				continue
			}
			rid, ok := r.Properties["ResourceId"]
			if !ok {
				emit(id, "ResourceId", "ResourceId is not set")
				continue
			}
			target, _, isRef := Target(rid)
			res, inTemplate := t.Resources[target]
			if !isRef || !inTemplate {
				continue // an ID, a parameter or an import: nothing to compare with
			}
			match := false
			for _, w := range want {
				match = match || res.Type == w
			}
			if !match {
				emit(id, "ResourceId", fmt.Sprintf("ResourceType %s but ResourceId names %s, a %s", rt, target, res.Type))
			}
		}
	},
}

var ruleDestination = Rule{
	ID: "PROJECT.FLOW_LOG_DESTINATION", Severity: SeverityError, DocURL: docCreateFlow,
	Summary: "each flow log's destination settings fit its LogDestinationType (CloudWatch Logs: log group and role; S3: bucket, no role, FileFormat plain-text or parquet, a key prefix S3 and flow-log delivery accept (no AWSLogs folder); Firehose: stream ARN, no log group, no DestinationOptions, and DeliverLogsPermissionArn and DeliverCrossAccountRole both or neither; DeliverCrossAccountRole only for Firehose)",
	applies: hasFlowLog(nil),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, nil) {
			r := t.Resources[id]
			p := r.Properties
			_, hasRole := p["DeliverLogsPermissionArn"]
			_, hasCross := p["DeliverCrossAccountRole"]
			_, hasGroup := p["LogGroupName"]
			_, hasDest := p["LogDestination"]
			_, hasOptions := p["DestinationOptions"]
			dt := DestinationType(r)
			if hasCross && (dt == DestCloudWatchLogs || dt == DestS3) {
				// DeliverCrossAccountRole is for cross-account Firehose delivery only (docFirehoseCross).
				emit(id, "DeliverCrossAccountRole", fmt.Sprintf("DeliverCrossAccountRole on a flow log with LogDestinationType %s: it is the destination-account role of cross-account Firehose delivery only", dt))
			}
			switch dt {
			case DestCloudWatchLogs:
				if !hasRole {
					emit(id, "DeliverLogsPermissionArn", "a CloudWatch Logs flow log needs the role it delivers with (DeliverLogsPermissionArn)")
				}
				if !hasGroup && !hasDest {
					emit(id, "LogGroupName", "a CloudWatch Logs flow log names its log group (LogGroupName or LogDestination)")
				}
			case DestS3:
				if !hasDest {
					emit(id, "LogDestination", "an S3 flow log names its bucket ARN in LogDestination")
				}
				if hasRole {
					emit(id, "DeliverLogsPermissionArn", "an S3 flow log takes no DeliverLogsPermissionArn: delivery is authorised by the bucket policy")
				}
				if hasGroup {
					emit(id, "LogGroupName", "an S3 flow log takes no LogGroupName")
				}
				if ff, ok := r.Prop("DestinationOptions.FileFormat"); ok {
					if s, lit := ff.(string); lit && !flowlog.ValidFileFormat(s) {
						emit(id, "DestinationOptions.FileFormat", fmt.Sprintf("FileFormat %q is rejected by EC2: use %s", s, strings.Join(flowlog.FileFormats, " or ")))
					}
				}
				if p, known := s3PrefixOf(r.Properties["LogDestination"]); known && !strings.Contains(p, "${") {
					if problem := flowlog.KeyPrefixProblem(p); problem != "" {
						emit(id, "LogDestination", fmt.Sprintf("the S3 prefix %q is not allowed: %s", p, problem))
					}
				}
			case DestFirehose:
				// DeliverLogsPermissionArn "is required if the destination type is
				// kinesis-data-firehose and the delivery stream and the resources to
				// monitor are in different accounts" (docCreateFlow); cross-account
				// delivery also needs DeliverCrossAccountRole (docFirehose).
				if !hasDest {
					emit(id, "LogDestination", "a Firehose flow log names its delivery stream ARN in LogDestination")
				}
				if hasGroup {
					emit(id, "LogGroupName", "a Firehose flow log takes no LogGroupName")
				}
				if hasOptions {
					// DestinationOptions are the S3 file format and partitioning (docCreateFlow).
					emit(id, "DestinationOptions", "a Firehose flow log takes no DestinationOptions: they set the file format and partitions of S3 delivery; Firehose receives plain-text records")
				}
				if hasCross && !hasRole {
					emit(id, "DeliverLogsPermissionArn", "cross-account Firehose delivery (DeliverCrossAccountRole set) also needs the source-account role in DeliverLogsPermissionArn")
				}
				if hasRole && !hasCross {
					emit(id, "DeliverCrossAccountRole", "a Firehose flow log with DeliverLogsPermissionArn delivers cross-account and also needs the destination-account role in DeliverCrossAccountRole")
				}
			default:
				emit(id, "LogDestinationType", fmt.Sprintf("LogDestinationType %s is not cloud-watch-logs, s3 or kinesis-data-firehose", dt))
			}
		}
	},
}

var ruleEveryVPC = Rule{
	ID: "PROJECT.FLOW_LOG_EVERY_VPC", Severity: SeverityMedium, DocURL: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
	Summary: "every AWS::EC2::VPC in the template has an AWS::EC2::FlowLog with ResourceType VPC and ResourceId Ref to it",
	applies: has("AWS::EC2::VPC"),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		logged := map[string]bool{}
		for _, id := range flowLogIDs(t, func(r Resource) bool { return r.Str("ResourceType") == "VPC" }) {
			if target, attr, ok := Target(t.Resources[id].Properties["ResourceId"]); ok && attr == "" {
				logged[target] = true
			}
		}
		for _, vpc := range t.IDs("AWS::EC2::VPC") {
			if !logged[vpc] {
				emit(vpc, "", "this VPC has no VPC-level flow log in the template (a flow log with ResourceType VPC and ResourceId Ref to it)")
			}
		}
	},
}

var ruleFormat = Rule{
	ID: "FLOWLOG.FORMAT", Severity: SeverityError, DocURL: docRecords,
	Summary: "every flow log's LogFormat parses with the flowlog field registry (transit gateways with their own fields): known fields, no repeats, ${field} tokens separated by single spaces",
	applies: hasFlowLog(func(r Resource) bool { _, ok := r.Properties["LogFormat"]; return ok }),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogIDs(t, nil) {
			r := t.Resources[id]
			raw, ok := r.Properties["LogFormat"]
			if !ok {
				continue
			}
			s, ok := Literal(raw)
			if !ok {
				emit(id, "LogFormat", fmt.Sprintf("LogFormat is not a literal string (%s); the format cannot be checked offline", Show(raw)), SeverityMedium)
				continue
			}
			// Transit gateways record their own fields (docTGWRecords).
			var err error
			if tgwFlowLog(r) {
				_, err = flowlog.ParseTransitGatewayFormat(s)
			} else {
				_, err = flowlog.ParseVPCFormat(s)
			}
			if err != nil {
				var fe *flowlog.FormatError
				msg := err.Error()
				if errors.As(err, &fe) && errors.Is(err, flowlog.ErrUnknownField) {
					kind := "a VPC"
					if tgwFlowLog(r) {
						kind = "a transit gateway"
					}
					msg = fmt.Sprintf("field %s is not %s flow-log field the registry knows", fe.Token, kind)
					if fe.Suggest != "" {
						msg += " (did you mean " + fe.Suggest + "?)"
					}
				}
				emit(id, "LogFormat", strings.TrimPrefix(msg, "flowlog: format: "))
			}
		}
	},
}
