package review

import (
	"path/filepath"
	"strings"
	"testing"
)

// firehoseCases cover the rules for Firehose delivery (issue 11): the source
// and destination roles of cross-account delivery, the stream, the Firehose
// branch of FLOW_LOG_DESTINATION, the TGW settings, and the actions that may
// take Resource "*". Each names the rules it expects and their outcome.
var firehoseCases = []struct {
	name  string
	input string
	want  map[string]Status
}{
	// FLOW_LOG_DESTINATION
	{
		name: "Firehose flow log with DestinationOptions fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: "arn:aws:firehose:us-east-1:111122223333:deliverystream/flow",
      DestinationOptions: { FileFormat: parquet } }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "CloudWatch Logs flow log with DeliverCrossAccountRole fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogGroupName: flow, DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/r",
      DeliverCrossAccountRole: "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "S3 flow log with DeliverCrossAccountRole fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: s3, LogDestination: "arn:aws:s3:::b",
      DeliverCrossAccountRole: "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "CloudWatch Logs flow log with its role and no cross-account role passes",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogGroupName: flow, DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/r" }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusPass},
	},
	// FLOW_LOG_TGW_SETTINGS
	{
		name: "transit gateway flow log with TagFieldSpecifications fails",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: TransitGateway, ResourceId: tgw-1, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: "arn:aws:s3:::b",
      TagFieldSpecifications: [ { ResourceType: instance, TagKeys: [Name] } ] }
`,
		want: map[string]Status{"FLOW_LOG_TGW_SETTINGS": StatusFail},
	},
	{
		name: "VPC flow log with TagFieldSpecifications is not the TGW rule's business",
		input: `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: "arn:aws:s3:::b",
      LogFormat: "${version} ${instance-tag}", TagFieldSpecifications: [ { ResourceType: instance, TagKeys: [Name] } ] }
`,
		want: map[string]Status{"FLOW_LOG_TGW_SETTINGS": StatusSkip, "FLOW_LOG_DESTINATION": StatusPass},
	},
	// FIREHOSE_SOURCE_ROLE
	{
		name: "source role as AWS documents it passes, and its log-delivery actions may take *",
		input: sourceRole(`
            Condition:
              StringEquals: { iam:PassedToService: delivery.logs.amazonaws.com }
              StringLike: { iam:AssociatedResourceARN: ["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1"] }`),
		want: map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusPass, "IAM_NO_WILDCARD_RESOURCE": StatusPass},
	},
	{
		name:  "source role passing itself without conditions fails",
		input: sourceRole(""),
		want:  map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusFail},
	},
	{
		name: "source role passing itself to any service fails",
		input: sourceRole(`
            Condition:
              StringLike: { iam:AssociatedResourceARN: ["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1"] }`),
		want: map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusFail},
	},
	{
		name: "source role passing itself to another service fails",
		input: sourceRole(`
            Condition:
              StringEquals: { iam:PassedToService: ec2.amazonaws.com }
              StringLike: { iam:AssociatedResourceARN: ["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1"] }`),
		want: map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusFail},
	},
	{
		name: "source role passing itself for any resource fails",
		input: sourceRole(`
            Condition:
              StringEquals: { iam:PassedToService: delivery.logs.amazonaws.com }`),
		want: map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusFail},
	},
	{
		name: "iam:* in an inline policy of a delivery-trusted role counts as iam:PassRole",
		input: `
Resources:
  Source:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [ { Effect: Allow, Principal: { Service: delivery.logs.amazonaws.com }, Action: sts:AssumeRole } ]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement: [ { Effect: Allow, Action: "iam:*", Resource: "arn:aws:iam::111122223333:role/source" } ]
`,
		want: map[string]Status{"FIREHOSE_SOURCE_ROLE": StatusFail},
	},
	// IAM_NO_WILDCARD_RESOURCE
	{
		name:  "log-delivery actions mixed with another action on * fail",
		input: wildcardPolicy(`[logs:CreateLogDelivery, logs:PutLogEvents]`),
		want:  map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name:  "a wildcard action that covers the log-delivery actions on * fails",
		input: wildcardPolicy(`"logs:*LogDelivery"`),
		want:  map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name:  "ecs:ListClusters and ecs:ListTaskDefinitions on * pass",
		input: wildcardPolicy(`[ecs:ListClusters, ecs:listtaskdefinitions]`),
		want:  map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusPass},
	},
	{
		name:  "ecs:ListServices on * fails (it has a resource type)",
		input: wildcardPolicy(`[ecs:ListClusters, ecs:ListServices]`),
		want:  map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name:  "an ECS and a log-delivery action together on * fail (one group per statement)",
		input: wildcardPolicy(`[ecs:ListClusters, logs:GetLogDelivery]`),
		want:  map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	// FIREHOSE_DESTINATION_ROLE
	{
		name:  "destination role as AWS documents it, narrowed, passes",
		input: destinationRole(`{ AWS: "arn:aws:iam::111122223333:role/source" }`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusPass, "FIREHOSE_STREAM": StatusPass},
	},
	{
		name:  "destination role trusted by * fails",
		input: destinationRole(`"*"`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name:  "destination role trusted by an account root fails",
		input: destinationRole(`{ AWS: "arn:aws:iam::111122223333:root" }`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name:  "destination role trusted by the source account narrowed to its role by aws:PrincipalArn passes",
		input: destinationRole(`{ AWS: "arn:aws:iam::111122223333:root" }, Condition: { ArnEquals: { aws:PrincipalArn: "arn:aws:iam::111122223333:role/source" } }`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusPass},
	},
	{
		name:  "destination role trusted by an account narrowed by a wildcard aws:PrincipalArn fails",
		input: destinationRole(`{ AWS: "arn:aws:iam::111122223333:root" }, Condition: { ArnLike: { aws:PrincipalArn: "arn:aws:iam::111122223333:*" } }`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name:  "destination role trusted by a service fails",
		input: destinationRole(`{ Service: delivery.logs.amazonaws.com }`, ""),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name:  "destination role trusted by a role of the template (GetAtt Arn) passes",
		input: destinationRole(`{ AWS: !GetAtt Source.Arn }`, "  Source: { Type: AWS::IAM::Role }\n"),
		want:  map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusPass},
	},
	{
		name: "destination role granted another action fails",
		input: strings.Replace(destinationRole(`{ AWS: "arn:aws:iam::111122223333:role/source" }`, ""),
			"Action: firehose:TagDeliveryStream", "Action: [firehose:TagDeliveryStream, firehose:PutRecord]", 1),
		want: map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name: "destination role creating any service-linked role fails",
		input: strings.Replace(destinationRole(`{ AWS: "arn:aws:iam::111122223333:role/source" }`, ""),
			"Condition: { StringLike: { iam:AWSServiceName: delivery.logs.amazonaws.com } }", "Condition: {}", 1),
		want: map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	{
		name: "destination role without firehose:TagDeliveryStream fails",
		input: strings.Replace(destinationRole(`{ AWS: "arn:aws:iam::111122223333:role/source" }`, ""),
			"Action: firehose:TagDeliveryStream", "Action: iam:CreateServiceLinkedRole", 1),
		want: map[string]Status{"FIREHOSE_DESTINATION_ROLE": StatusFail},
	},
	// FIREHOSE_STREAM
	{
		name:  "stream read from a Kinesis data stream fails",
		input: firehoseStream("DeliveryStreamType: KinesisStreamAsSource", "LogDeliveryEnabled", "true", "sts:ExternalId"),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusFail},
	},
	{
		name:  "stream without DeliveryStreamType (DirectPut) passes",
		input: firehoseStream("", "LogDeliveryEnabled", "true", "sts:ExternalId"),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusPass},
	},
	{
		name:  "stream without encryption at rest fails",
		input: strings.Replace(firehoseStream("", "LogDeliveryEnabled", "true", "sts:ExternalId"), "DeliveryStreamEncryptionConfigurationInput: { KeyType: AWS_OWNED_CMK }", "", 1),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusFail},
	},
	{
		name:  "stream tagged LogDeliveryEnabled=false fails",
		input: firehoseStream("", "LogDeliveryEnabled", "false", "sts:ExternalId"),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusFail},
	},
	{
		name:  "stream without the LogDeliveryEnabled tag fails",
		input: firehoseStream("", "Name", "flow", "sts:ExternalId"),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusFail},
	},
	{
		name:  "stream role trusted by Firehose without sts:ExternalId fails",
		input: firehoseStream("", "LogDeliveryEnabled", "true", "aws:SourceAccount"),
		want:  map[string]Status{"FIREHOSE_STREAM": StatusFail},
	},
	{
		name: "a stream no flow log or destination role names is not checked",
		input: `
Resources:
  Stream: { Type: AWS::KinesisFirehose::DeliveryStream, Properties: { DeliveryStreamType: KinesisStreamAsSource } }
`,
		want: map[string]Status{"FIREHOSE_STREAM": StatusSkip},
	},
}

// sourceRole is a source-account role of cross-account delivery whose
// iam:PassRole statement has the given Condition block.
func sourceRole(condition string) string {
	return `
Resources:
  Source:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [ { Effect: Allow, Principal: { Service: delivery.logs.amazonaws.com }, Action: sts:AssumeRole } ]
  SourcePolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [ !Ref Source ]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: !GetAtt Source.Arn` + condition + `
          - { Effect: Allow, Action: [logs:CreateLogDelivery, logs:DeleteLogDelivery, logs:ListLogDeliveries, logs:GetLogDelivery], Resource: "*" }
          - { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::444455556666:role/AWSLogDeliveryFirehoseCrossAccountRole" }
`
}

func wildcardPolicy(actions string) string {
	return `
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement: [ { Effect: Allow, Action: ` + actions + `, Resource: "*" } ]
`
}

// destinationRole is a destination-account role with the given trust
// principal, its policy, and the stream it may tag; extra adds resources.
func destinationRole(principal, extra string) string {
	return `
Resources:
` + extra + `  Dest:
    Type: AWS::IAM::Role
    Properties:
      RoleName: AWSLogDeliveryFirehoseCrossAccountRole-flow
      AssumeRolePolicyDocument:
        Statement: [ { Effect: Allow, Principal: ` + principal + `, Action: sts:AssumeRole } ]
  DestPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [ !Ref Dest ]
      PolicyDocument:
        Statement:
          - { Effect: Allow, Action: iam:CreateServiceLinkedRole, Resource: "*", Condition: { StringLike: { iam:AWSServiceName: delivery.logs.amazonaws.com } } }
          - { Effect: Allow, Action: firehose:TagDeliveryStream, Resource: !GetAtt Stream.Arn }
  Stream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: DirectPut
      DeliveryStreamEncryptionConfigurationInput: { KeyType: AWS_OWNED_CMK }
      Tags: [ { Key: LogDeliveryEnabled, Value: "true" } ]
`
}

// firehoseStream is a same-account Firehose flow log with its stream and the
// stream's role, whose Firehose trust has a StringEquals condition on conditionKey.
func firehoseStream(streamType, tagKey, tagValue, conditionKey string) string {
	return `
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 60,
      LogDestinationType: kinesis-data-firehose, LogDestination: !GetAtt Stream.Arn }
  Stream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      ` + streamType + `
      DeliveryStreamEncryptionConfigurationInput: { KeyType: AWS_OWNED_CMK }
      ExtendedS3DestinationConfiguration: { BucketARN: "arn:aws:s3:::b", RoleARN: !GetAtt StreamRole.Arn }
      Tags: [ { Key: ` + tagKey + `, Value: "` + tagValue + `" } ]
  StreamRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: firehose.amazonaws.com }, Action: sts:AssumeRole,
              Condition: { StringEquals: { ` + conditionKey + `: !Ref AWS::AccountId } } }
`
}

func TestFirehoseRuleCases(t *testing.T) {
	for _, tc := range firehoseCases {
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

// The Firehose goldens exercise the new rules and pass them: the rules apply
// (not SKIP) to the same-account stream, the cross-account source role and the
// destination account's role and stream.
func TestFirehoseGoldensPass(t *testing.T) {
	for _, tc := range []struct {
		golden string
		rules  []string
	}{
		{"firehose.template.json", []string{"FIREHOSE_STREAM", "FLOW_LOG_DESTINATION"}},
		{"firehose-cross-account.template.json", []string{"FIREHOSE_SOURCE_ROLE", "FLOW_LOG_DESTINATION", "IAM_NO_WILDCARD_RESOURCE"}},
		{"firehose-destination-account.template.json", []string{"FIREHOSE_DESTINATION_ROLE", "FIREHOSE_STREAM"}},
		{"ecs-fields.template.json", []string{"IAM_NO_WILDCARD_RESOURCE"}},
		{"transit-gateway.template.json", []string{"FLOW_LOG_TGW_SETTINGS"}},
	} {
		tpl := load(t, filepath.Join("..", "test", "testdata", tc.golden))
		for _, short := range tc.rules {
			r, _ := RuleByID("PROJECT." + short)
			if got := r.Evaluate(tpl); got != StatusPass {
				t.Errorf("%s: %s = %s, want PASS; findings: %v", tc.golden, r.ID, got, r.Check(tpl))
			}
		}
	}
}

func TestActionMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, action string
		want            bool
	}{
		{"iam:PassRole", "iam:PassRole", true},
		{"IAM:passrole", "iam:PassRole", true},
		{"iam:*", "iam:PassRole", true},
		{"*", "iam:PassRole", true},
		{"iam:Pass?ole", "iam:PassRole", true},
		{"iam:Get*", "iam:PassRole", false},
		{"iam:PassRole.", "iam:PassRoleX", false},
	} {
		if got := actionMatches(tc.pattern, tc.action); got != tc.want {
			t.Errorf("actionMatches(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}
