package review

import (
	"strings"
	"testing"
)

// extraCases cover what the rules check beyond the cfn-guard suite: the
// confused-deputy fix of issue 8, the resource types and Firehose of issue 11,
// and the rules added with flowlog review.
var extraCases = []struct {
	name  string
	input string
	want  map[string]Status
}{
	{
		name: "trust with aws:SourceAccount only fails (both keys are required)",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Action: sts:AssumeRole, Effect: Allow, Principal: { Service: vpc-flow-logs.amazonaws.com },
              Condition: { StringEquals: { aws:SourceAccount: "111122223333" } } }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "trust with aws:SourceArn only fails",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Action: sts:AssumeRole, Effect: Allow, Principal: { Service: vpc-flow-logs.amazonaws.com },
              Condition: { ArnLike: { aws:SourceArn: "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" } } }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "condition keys are case-insensitive, as in IAM",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Action: sts:AssumeRole, Effect: Allow, Principal: { Service: [vpc-flow-logs.amazonaws.com] },
              Condition: { StringEquals: { aws:sourceaccount: "111122223333" }, ArnLike: { AWS:SourceArn: "arn:aws:ec2:*:111122223333:vpc-flow-log/*" } } }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusPass},
	},
	{
		name: "subnet and ENI flow logs with the right targets pass; a TGW attachment log at 60 s with no traffic type passes",
		input: `
Resources:
  Subnet: { Type: AWS::EC2::Subnet }
  Eni: { Type: AWS::EC2::NetworkInterface }
  Attachment: { Type: AWS::EC2::TransitGatewayVpcAttachment }
  SubnetLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: Subnet, ResourceId: !Ref Subnet, TrafficType: REJECT, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: arn:aws:s3:::b }
  EniLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: NetworkInterface, ResourceId: !Ref Eni, TrafficType: ALL, MaxAggregationInterval: 600, LogDestinationType: s3, LogDestination: arn:aws:s3:::b }
  TgwLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: TransitGatewayAttachment, ResourceId: !Ref Attachment, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: arn:aws:s3:::b }
`,
		want: map[string]Status{"FLOW_LOG_RESOURCE": StatusPass, "FLOW_LOG_TGW_SETTINGS": StatusPass, "FLOW_LOG_TRAFFIC_TYPE": StatusPass, "FLOW_LOG_DESTINATION": StatusPass, "FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusPass},
	},
	{
		name: "ResourceType Subnet pointing at a VPC fails",
		input: `
Resources:
  Vpc: { Type: AWS::EC2::VPC }
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: Subnet, ResourceId: !Ref Vpc, TrafficType: ALL, MaxAggregationInterval: 60 }
`,
		want: map[string]Status{"FLOW_LOG_RESOURCE": StatusFail},
	},
	{
		name: "an unknown ResourceType fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: Instance, ResourceId: i-0123, MaxAggregationInterval: 60 }
`,
		want: map[string]Status{"FLOW_LOG_RESOURCE": StatusFail, "FLOW_LOG_TRAFFIC_TYPE": StatusSkip},
	},
	{
		name: "same-account Firehose flow log: stream only, no roles",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:111122223333:deliverystream/flow" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusPass},
	},
	{
		name: "cross-account Firehose flow log with both roles passes",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:444455556666:deliverystream/flow",
      DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/source",
      DeliverCrossAccountRole: "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole-x" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusPass},
	},
	{
		name: "cross-account Firehose flow log without DeliverLogsPermissionArn fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:444455556666:deliverystream/flow",
      DeliverCrossAccountRole: "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole-x" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "Firehose flow log with a source role but no cross-account role fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:444455556666:deliverystream/flow",
      DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/source" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "Firehose flow log without a stream or with a log group fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogGroupName: flow }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "bucket policy for log delivery without conditions fails; with both passes",
		input: `
Resources:
  Bad:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: delivery.logs.amazonaws.com }, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*",
              Condition: { StringEquals: { s3:x-amz-acl: bucket-owner-full-control } } }
`,
		want: map[string]Status{"LOG_DELIVERY_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "bucket policy and key policy for log delivery with both conditions pass",
		input: `
Resources:
  Good:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: delivery.logs.amazonaws.com }, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*",
              Condition: { StringEquals: { aws:SourceAccount: "111122223333" }, ArnLike: { aws:SourceArn: "arn:aws:logs:us-east-1:111122223333:*" } } }
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - { Effect: Allow, Principal: { Service: [delivery.logs.amazonaws.com] }, Action: kms:GenerateDataKey*, Resource: "*",
              Condition: { StringEquals: { aws:SourceAccount: ["111122223333"] }, ArnLike: { aws:SourceArn: ["arn:aws:logs:us-east-1:111122223333:*"] } } }
`,
		want: map[string]Status{"LOG_DELIVERY_CONFUSED_DEPUTY": StatusPass},
	},
}

func TestExtraRuleCases(t *testing.T) {
	for _, tc := range extraCases {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse("case.yaml", []byte(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			for short, want := range tc.want {
				r, ok := RuleByID("PROJECT." + short)
				if !ok {
					t.Fatalf("no rule PROJECT.%s", short)
				}
				if got := r.Evaluate(tpl); got != want {
					t.Errorf("%s = %s, want %s; findings: %v", r.ID, got, want, r.Check(tpl))
				}
			}
		})
	}
}

func TestFormatRule(t *testing.T) {
	for _, tc := range []struct {
		format any
		rt     string
		sev    Severity
		msg    string // "" for no finding
	}{
		{"${version} ${srcaddr} ${instance-tag} ${next-hop-vpc-id}", "VPC", 0, ""},
		{"${version} ${src-addr}", "VPC", SeverityError, "field ${src-addr} is not a VPC flow-log field the registry knows (did you mean ${srcaddr}?)"},
		{"${version} ${srcaddr} ${srcaddr}", "Subnet", SeverityError, "duplicate field"},
		{map[string]any{"Ref": "Format"}, "VPC", SeverityMedium, "not a literal"},
		{"${tgw-id} ${srcaddr} ${packets-lost-blackhole}", "TransitGateway", 0, ""},
		{"${tgw-id} ${action}", "TransitGatewayAttachment", SeverityError, "field ${action} is not a transit gateway flow-log field"},
		{"${tgw-id}", "NetworkInterface", SeverityError, "field ${tgw-id} is not a VPC flow-log field"},
	} {
		tpl := &Template{Path: "t", Resources: map[string]Resource{"Log": {Type: TypeFlowLog, Properties: map[string]any{"ResourceType": tc.rt, "LogFormat": tc.format}}}}
		fs := ruleFormat.Check(tpl)
		if tc.msg == "" {
			if len(fs) != 0 {
				t.Errorf("%v: unexpected %v", tc.format, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Severity != tc.sev || !strings.Contains(fs[0].Message, tc.msg) {
			t.Errorf("%v: got %v, want one %s finding containing %q", tc.format, fs, tc.sev, tc.msg)
		}
	}
}

func TestEveryRuleIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if !strings.HasPrefix(r.DocURL, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: DocURL %q is not an AWS documentation page", r.ID, r.DocURL)
		}
		if len(r.Summary) < 30 {
			t.Errorf("%s: summary too short", r.ID)
		}
	}
}
