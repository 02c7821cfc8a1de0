package review

import "testing"

// guardCases are the 36 cfn-guard unit tests that gates/rules/tests/flowlog_project_tests.yaml
// held before the project rules moved to Go, kept case for case: the same
// input templates (YAML, as cfn-guard read them) and the same PASS/FAIL/SKIP
// per rule (rule names without the "PROJECT." prefix, as the .guard file had them).
// One input changed with the rule (issue 8): the trust rule now requires both
// aws:SourceAccount and aws:SourceArn, so "a second, unrelated trust statement"
// gives the flow-log statement both; extraCases shows either one alone failing.
// One verdict changed after the issue 12 audit: that second statement lets
// the account's root (any of its principals allowed by IAM) assume the
// delivery role, which only the log delivery service should assume, so the
// trust rule now FAILs it.
var guardCases = []struct {
	name  string
	input string
	want  map[string]Status
}{
	{
		name: "no flow logs, buckets, log groups or IAM: every rule skips",
		input: `
Resources:
  Topic:
    Type: AWS::SNS::Topic
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusSkip, "FLOW_LOG_TRAFFIC_TYPE": StatusSkip, "FLOW_LOG_TGW_SETTINGS": StatusSkip, "LOG_GROUP_RETENTION": StatusSkip, "IAM_NO_WILDCARD_RESOURCE": StatusSkip, "FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusSkip, "FLOW_LOG_DESTINATION": StatusSkip, "FLOW_LOG_EVERY_VPC": StatusSkip, "NO_CHECKER_SUPPRESSIONS": StatusSkip},
	},
	{
		name: "good VPC flow log to CloudWatch Logs",
		input: `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: { Ref: Vpc }
      TrafficType: ALL
      MaxAggregationInterval: 60
      LogDestinationType: cloud-watch-logs
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusPass, "FLOW_LOG_TRAFFIC_TYPE": StatusPass, "FLOW_LOG_TGW_SETTINGS": StatusSkip},
	},
	{
		name: "interval 120 fails",
		input: `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      TrafficType: ALL
      MaxAggregationInterval: 120
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusFail, "FLOW_LOG_TRAFFIC_TYPE": StatusPass},
	},
	{
		name: "interval left to the default fails (must be explicit)",
		input: `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: Subnet
      TrafficType: REJECT
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusFail, "FLOW_LOG_TRAFFIC_TYPE": StatusPass},
	},
	{
		name: "missing traffic type on a VPC flow log fails",
		input: `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: NetworkInterface
      MaxAggregationInterval: 600
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusPass, "FLOW_LOG_TRAFFIC_TYPE": StatusFail},
	},
	{
		name: "unknown traffic type fails",
		input: `
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      TrafficType: EVERYTHING
      MaxAggregationInterval: 600
`,
		want: map[string]Status{"FLOW_LOG_TRAFFIC_TYPE": StatusFail},
	},
	{
		name: "good transit gateway flow log",
		input: `
Resources:
  TgwFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: TransitGateway
      MaxAggregationInterval: 60
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusPass, "FLOW_LOG_TRAFFIC_TYPE": StatusSkip, "FLOW_LOG_TGW_SETTINGS": StatusPass},
	},
	{
		name: "transit gateway attachment flow log at 600 s fails",
		input: `
Resources:
  TgwFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: TransitGatewayAttachment
      MaxAggregationInterval: 600
`,
		want: map[string]Status{"FLOW_LOG_MAX_AGGREGATION_INTERVAL": StatusPass, "FLOW_LOG_TGW_SETTINGS": StatusFail},
	},
	{
		name: "transit gateway flow log with a traffic type fails",
		input: `
Resources:
  TgwFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: TransitGateway
      MaxAggregationInterval: 60
      TrafficType: ALL
`,
		want: map[string]Status{"FLOW_LOG_TGW_SETTINGS": StatusFail},
	},
	{
		name: "log group with retention passes",
		input: `
Resources:
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 365
`,
		want: map[string]Status{"LOG_GROUP_RETENTION": StatusPass},
	},
	{
		name: "log group without retention fails",
		input: `
Resources:
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupClass: STANDARD
`,
		want: map[string]Status{"LOG_GROUP_RETENTION": StatusFail},
	},
	{
		name: "log group without properties fails",
		input: `
Resources:
  LogGroup:
    Type: AWS::Logs::LogGroup
`,
		want: map[string]Status{"LOG_GROUP_RETENTION": StatusFail},
	},
	{
		name: "every bucket has an SSL-only policy",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Bucket }
      PolicyDocument:
        Statement:
          - Action: s3:*
            Condition: { Bool: { aws:SecureTransport: "false" } }
            Effect: Deny
            Principal: { AWS: "*" }
            Resource:
              - { Fn::GetAtt: [Bucket, Arn] }
              - { Fn::Join: ["", [{ Fn::GetAtt: [Bucket, Arn] }, "/*"]] }
  Logs:
    Type: AWS::S3::Bucket
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Logs }
      PolicyDocument:
        Statement:
          - Action: "*"
            Condition: { Bool: { aws:SecureTransport: false } }
            Effect: Deny
            Principal: "*"
            Resource: "*"
`,
		want: map[string]Status{},
	},
	{
		name: "a bucket without any bucket policy fails",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`,
		want: map[string]Status{},
	},
	{
		name: "a second bucket without the SSL deny fails",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Bucket }
      PolicyDocument:
        Statement:
          - Action: s3:*
            Condition: { Bool: { aws:SecureTransport: "false" } }
            Effect: Deny
            Principal: { AWS: "*" }
            Resource: "*"
  Other:
    Type: AWS::S3::Bucket
  OtherPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Other }
      PolicyDocument:
        Statement:
          - Action: s3:PutObject
            Effect: Allow
            Principal: { Service: delivery.logs.amazonaws.com }
            Resource: arn:aws:s3:::other/*
`,
		want: map[string]Status{},
	},
	{
		name: "an SSL statement that allows instead of denies fails",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Bucket }
      PolicyDocument:
        Statement:
          - Action: s3:*
            Condition: { Bool: { aws:SecureTransport: "true" } }
            Effect: Allow
            Principal: { AWS: "*" }
            Resource: "*"
`,
		want: map[string]Status{},
	},
	{
		name: "scoped IAM policy and inline role policy pass",
		input: `
Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      PolicyDocument:
        Statement:
          - Action: [logs:CreateLogStream, logs:PutLogEvents]
            Effect: Allow
            Resource: { Fn::GetAtt: [LogGroup, Arn] }
          - Action: "*"
            Effect: Deny
            Resource: "*"
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - Action: ec2:RevokeSecurityGroupIngress
                Effect: Allow
                Resource: [arn:aws:ec2:eu-west-1:111122223333:security-group/sg-1]
`,
		want: map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusPass},
	},
	{
		name: "IAM policy with Resource * fails",
		input: `
Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      PolicyDocument:
        Statement:
          - Action: [logs:CreateLogStream]
            Effect: Allow
            Resource: "*"
`,
		want: map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name: "managed policy with * inside a resource list fails",
		input: `
Resources:
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Action: s3:GetObject
            Effect: Allow
            Resource: [arn:aws:s3:::b/*, "*"]
`,
		want: map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name: "inline role policy with NotResource fails",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement:
              - Action: s3:GetObject
                Effect: Allow
                NotResource: arn:aws:s3:::secret/*
`,
		want: map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name: "flow-log role with confused-deputy conditions passes",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { Service: vpc-flow-logs.amazonaws.com }
            Condition:
              StringEquals: { aws:SourceAccount: "111122223333" }
              ArnLike: { aws:SourceArn: "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusPass},
	},
	{
		name: "flow-log role without conditions fails",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { Service: vpc-flow-logs.amazonaws.com }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "CDK metadata is not a suppression",
		input: `
Metadata:
  cdk_nag: { rules_to_suppress: [] }
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      aws:cdk:path: Stack/Bucket/Resource
`,
		want: map[string]Status{"NO_CHECKER_SUPPRESSIONS": StatusPass},
	},
	{
		name: "cfn-guard SuppressedRules on a resource fails",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      guard:
        SuppressedRules: [S3_BUCKET_SSL_ONLY]
`,
		want: map[string]Status{"NO_CHECKER_SUPPRESSIONS": StatusFail},
	},
	{
		name: "cfn-lint ignore_checks on a resource fails",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      cfn-lint:
        config:
          ignore_checks: [E3002]
`,
		want: map[string]Status{"NO_CHECKER_SUPPRESSIONS": StatusFail},
	},
	{
		name: "template-level cfn-lint ignore_checks fails",
		input: `
Metadata:
  cfn-lint:
    config:
      ignore_checks: [W3005]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`,
		want: map[string]Status{"NO_CHECKER_SUPPRESSIONS": StatusFail},
	},
	{
		name: "single-statement policy (Statement as an object) with Resource * fails",
		input: `
Resources:
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      PolicyDocument:
        Statement:
          Action: logs:PutLogEvents
          Effect: Allow
          Resource: "*"
`,
		want: map[string]Status{"IAM_NO_WILDCARD_RESOURCE": StatusFail},
	},
	{
		name: "single-statement bucket policy with the SSL deny passes",
		input: `
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: { Ref: Bucket }
      PolicyDocument:
        Statement:
          Action: s3:*
          Condition: { Bool: { aws:SecureTransport: "false" } }
          Effect: Deny
          Principal: "*"
          Resource: "*"
`,
		want: map[string]Status{},
	},
	{
		name: "single-statement trust policy without conditions fails",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          Action: sts:AssumeRole
          Effect: Allow
          Principal: { Service: [vpc-flow-logs.amazonaws.com] }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "a second trust statement for another principal: the delivery role is not the service's alone",
		input: `
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { Service: vpc-flow-logs.amazonaws.com }
            Condition:
              StringEquals: { aws:SourceAccount: "111122223333" }
              ArnLike: { aws:SourceArn: "arn:aws:ec2:eu-west-1:111122223333:vpc-flow-log/*" }
          - Action: sts:AssumeRole
            Effect: Allow
            Principal: { AWS: arn:aws:iam::111122223333:root }
`,
		want: map[string]Status{"FLOW_LOG_ROLE_CONFUSED_DEPUTY": StatusFail},
	},
	{
		name: "CloudWatch Logs flow log with role and log group, S3 flow log with bucket",
		input: `
Resources:
  Cwl:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: { Ref: Vpc }
      TrafficType: ALL
      MaxAggregationInterval: 60
      LogDestinationType: cloud-watch-logs
      LogGroupName: { Ref: LogGroup }
      DeliverLogsPermissionArn: { Fn::GetAtt: [Role, Arn] }
  S3:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: { Ref: Vpc }
      TrafficType: ALL
      MaxAggregationInterval: 600
      LogDestinationType: s3
      LogDestination: { Fn::GetAtt: [Bucket, Arn] }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusPass, "FLOW_LOG_EVERY_VPC": StatusPass},
	},
	{
		name: "CloudWatch Logs flow log without a role fails (destination type defaults to CloudWatch Logs)",
		input: `
Resources:
  Cwl:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      LogGroupName: flow-logs
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "S3 flow log with a delivery role fails",
		input: `
Resources:
  S3:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::b
      DeliverLogsPermissionArn: arn:aws:iam::111122223333:role/r
`,
		want: map[string]Status{"FLOW_LOG_DESTINATION": StatusFail},
	},
	{
		name: "a VPC with only a subnet flow log fails",
		input: `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: Subnet
      ResourceId: { Ref: Subnet }
`,
		want: map[string]Status{"FLOW_LOG_EVERY_VPC": StatusFail},
	},
	{
		name: "a second VPC without a flow log fails",
		input: `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Other:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.1.0.0/16 }
  Log:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: { Ref: Vpc }
`,
		want: map[string]Status{"FLOW_LOG_EVERY_VPC": StatusFail},
	},
	{
		name: "a VPC without any flow log fails",
		input: `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
`,
		want: map[string]Status{"FLOW_LOG_EVERY_VPC": StatusFail},
	},
}

func TestPortedGuardCases(t *testing.T) {
	if len(guardCases) != 36 {
		t.Fatalf("%d ported cases, want the 36 cfn-guard test cases", len(guardCases))
	}
	for _, tc := range guardCases {
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
