package review

import (
	"reflect"
	"strings"
	"testing"
)

// What pins a confused-deputy condition to one account, and what does not:
// wildcard accounts (literal or in the account field of an ARN) under any
// operator, non-account literals, and lists with one loose value.
func TestDeputyGaps(t *testing.T) {
	ref := func(s string) any { return map[string]any{"Ref": s} }
	sub := func(s string) any { return map[string]any{"Fn::Sub": s} }
	pinnedArn := map[string]any{"ArnLike": map[string]any{"aws:SourceArn": "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*"}}
	pinnedAccount := map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"}}
	cond := func(a, b map[string]any) map[string]any {
		out := map[string]any{}
		for _, m := range []map[string]any{a, b} {
			for op, kv := range m {
				if out[op] == nil {
					out[op] = map[string]any{}
				}
				for k, v := range kv.(map[string]any) {
					out[op].(map[string]any)[k] = v
				}
			}
		}
		return out
	}
	account := func(op string, v any) map[string]any {
		return cond(map[string]any{op: map[string]any{"aws:SourceAccount": v}}, pinnedArn)
	}
	arn := func(op string, v any) map[string]any {
		return cond(pinnedAccount, map[string]any{op: map[string]any{"aws:SourceArn": v}})
	}
	for _, c := range []struct {
		name string
		cond map[string]any
		want []string // reasons, "" for pinned
	}{
		{"account ID", account("StringEquals", "111122223333"), nil},
		{"Ref AWS::AccountId", account("StringEquals", ref("AWS::AccountId")), nil},
		{"Fn::Sub AWS::AccountId", account("StringEquals", sub("${AWS::AccountId}")), nil},
		{"parameter", account("StringEquals", ref("TrustedAccount")), nil},
		{"account list", account("StringEquals", []any{"111122223333", "444455556666"}), nil},
		{"lower-case operator and key", cond(map[string]any{"stringequals": map[string]any{"AWS:SourceAccount": "111122223333"}}, pinnedArn), nil},
		{"star account", account("StringEquals", "*"), []string{"aws:SourceAccount * does not pin an account"}},
		{"StringLike star account", account("StringLike", "*"), []string{"aws:SourceAccount * does not pin an account"}},
		{"StringLike partial account", account("StringLike", "1111222233??"), []string{"aws:SourceAccount 1111222233?? does not pin an account"}},
		{"not an account", account("StringEquals", "my-account"), []string{"aws:SourceAccount my-account does not pin an account"}},
		{"list with a star", account("StringEquals", []any{"111122223333", "*"}), []string{"aws:SourceAccount 111122223333, * does not pin an account"}},
		{"Fn::Sub with a wildcard", account("StringLike", sub("${AWS::AccountId}*")), []string{"aws:SourceAccount ${AWS::AccountId}* does not pin an account"}},
		{"IfExists does not count", account("StringEqualsIfExists", "111122223333"), []string{"no aws:SourceAccount condition"}},
		{"ARN with account and wildcard resource", arn("ArnLike", "arn:aws:logs:us-east-1:111122223333:*"), nil},
		{"ARN with AWS::AccountId", arn("ArnLike", sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")), nil},
		{"ARN joined with AWS::AccountId", arn("ArnLike", map[string]any{"Fn::Join": []any{"", []any{"arn:", ref("AWS::Partition"), ":ec2:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":vpc-flow-log/*"}}}), nil},
		{"specific ARN", arn("ArnEquals", "arn:aws:s3:::flow-bucket"), nil},
		{"GetAtt ARN", arn("ArnEquals", map[string]any{"Fn::GetAtt": []any{"Stream", "Arn"}}), nil},
		{"star ARN", arn("ArnLike", "*"), []string{"aws:SourceArn * does not pin an account"}},
		{"wildcard account ARN", arn("ArnLike", "arn:aws:logs:*:*:*"), []string{"aws:SourceArn arn:aws:logs:*:*:* does not pin an account"}},
		{"StringLike wildcard account ARN", arn("StringLike", "arn:aws:logs:us-east-1:*:*"), []string{"aws:SourceArn arn:aws:logs:us-east-1:*:* does not pin an account"}},
		{"ArnLike partial account ARN", arn("ArnLike", "arn:aws:ec2:us-east-1:11112222333?:vpc-flow-log/*"), []string{"aws:SourceArn arn:aws:ec2:us-east-1:11112222333?:vpc-flow-log/* does not pin an account"}},
		{"Fn::Sub ARN with a wildcard account", arn("ArnLike", sub("arn:${AWS::Partition}:logs:${AWS::Region}:*:*")), []string{"aws:SourceArn arn:${AWS::Partition}:logs:${AWS::Region}:*:* does not pin an account"}},
		{"a pinned and a loose occurrence", cond(account("StringLike", "*"), map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"}}), nil},
		{"neither", map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control"}}, []string{"no aws:SourceAccount condition", "no aws:SourceArn condition"}},
	} {
		s := Statement{Condition: c.cond}
		if got := s.DeputyGaps(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: DeputyGaps = %q; want %q", c.name, got, c.want)
		}
	}
}

// The rules report a wildcard deputy condition, and --base reports a change
// from a pinned value to a wildcard as a weakening.
func TestDeputyWildcardRulesAndDiff(t *testing.T) {
	tpl := func(account, arn string) *Template {
		t.Helper()
		doc := strings.NewReplacer("ACCOUNT", account, "SOURCEARN", arn).Replace(`
Resources:
  Log:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 600,
      LogGroupName: !Ref Group, DeliverLogsPermissionArn: !GetAtt Role.Arn }
  ToS3:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-1, TrafficType: ALL, MaxAggregationInterval: 600,
      LogDestinationType: s3, LogDestination: !GetAtt Bucket.Arn }
  Group:
    Type: AWS::Logs::LogGroup
    Properties: { RetentionInDays: 30 }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: vpc-flow-logs.amazonaws.com }, Action: sts:AssumeRole,
              Condition: { StringEquals: { aws:SourceAccount: ACCOUNT }, ArnLike: { aws:SourceArn: "SOURCEARN" } } }
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: delivery.logs.amazonaws.com }, Action: s3:PutObject, Resource: "arn:aws:s3:::b/*",
              Condition: { StringEquals: { aws:SourceAccount: ACCOUNT }, ArnLike: { aws:SourceArn: "SOURCEARN" } } }
`)
		p, err := Parse("t.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := tpl(`!Ref AWS::AccountId`, "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*")
	for _, c := range []struct{ name, account, arn string }{
		{"star account", `"*"`, "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/*"},
		{"wildcard ARN account", `!Ref AWS::AccountId`, "arn:aws:ec2:*:*:*"},
	} {
		bad := tpl(c.account, c.arn)
		for _, rule := range []Rule{ruleTrust, ruleDeliveryDeputy} {
			if got := rule.Evaluate(good); got != StatusPass {
				t.Errorf("%s on the pinned template: %s, %v", rule.ID, got, rule.Check(good))
			}
			if fs := rule.Check(bad); len(fs) != 1 || !strings.Contains(fs[0].Message, "does not pin an account") {
				t.Errorf("%s: %s: findings %v; want one that says the value does not pin an account", c.name, rule.ID, fs)
			}
		}
		kinds := map[string]bool{}
		for _, ch := range Compare(good, bad).Changes {
			if ch.Weakening {
				kinds[ch.Kind] = true
			}
		}
		if !kinds[KindTrustUnpinned] || !kinds[KindDeliveryUnpinned] {
			t.Errorf("%s: weakening changes %v; want %s and %s", c.name, kinds, KindTrustUnpinned, KindDeliveryUnpinned)
		}
		for _, ch := range Compare(bad, good).Changes {
			if ch.Weakening {
				t.Errorf("%s: pinning again is reported as a weakening: %+v", c.name, ch)
			}
		}
	}
}
