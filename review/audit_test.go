package review

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode"
)

// variant returns good.yaml with each old text replaced (once) by its new text.
func variant(t *testing.T, pairs ...string) *Template {
	t.Helper()
	data, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("good.yaml lacks %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	tpl, err := Parse("variant.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// Texts of good.yaml the audit cases change.
const (
	goodTrustPrincipal = "            Principal: { Service: vpc-flow-logs.amazonaws.com }\n"
	goodTrustCondition = `            Condition:
              StringEquals: { aws:SourceAccount: !Ref AWS::AccountId }
              ArnLike: { aws:SourceArn: !Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*" }
      Policies:`
	goodBucketWrite = "          - Sid: AWSLogDeliveryWrite\n"
)

// Gaps the issue 12 audit found in the rules: each variant of good.yaml
// must give exactly the finding named (good.yaml gives none).
func TestAuditedRuleGaps(t *testing.T) {
	if fs := Check(variant(t)); len(fs) != 0 {
		t.Fatalf("good.yaml: %v", fs)
	}
	for _, c := range []struct {
		name      string
		pairs     []string
		rule, id  string
		wantWords string
	}{
		{"trust Principal * without conditions",
			[]string{goodTrustPrincipal, "            Principal: \"*\"\n", goodTrustCondition, "      Policies:"},
			"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", "may be assumed by *"},
		{"trust AWS * without conditions",
			[]string{goodTrustPrincipal, "            Principal: { AWS: \"*\" }\n", goodTrustCondition, "      Policies:"},
			"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", "may be assumed by *"},
		{"a second trust statement for AWS *",
			[]string{goodTrustCondition, strings.Replace(goodTrustCondition, "      Policies:", "          - Effect: Allow\n            Principal: { AWS: \"*\" }\n            Action: sts:AssumeRole\n      Policies:", 1)},
			"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", "may be assumed by *"},
		{"trust for the service and another account",
			[]string{goodTrustPrincipal, "            Principal: { Service: vpc-flow-logs.amazonaws.com, AWS: \"arn:aws:iam::444455556666:root\" }\n"},
			"PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", "DeliveryRole", "AWS arn:aws:iam::444455556666:root"},
		{"public read of the bucket",
			[]string{goodBucketWrite, "          - Effect: Allow\n            Principal: \"*\"\n            Action: s3:GetObject\n            Resource: !Sub \"${Bucket.Arn}/*\"\n" + goodBucketWrite,
				"      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }\n", ""},
			"PROJECT.FLOW_LOGS_NOT_PUBLIC", "BucketPolicy", "anyone s3:GetObject"},
		{"anyone may read the log group",
			[]string{`"Principal":{"AWS":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/SecurityAudit"}`, `"Principal":{"AWS":"*"}`},
			"PROJECT.FLOW_LOGS_NOT_PUBLIC", "LogGroupReaders", "anyone logs:GetLogEvents"},
		{"SSL-only deny on the bucket ARN only",
			[]string{`            Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]`, `            Resource: !GetAtt Bucket.Arn`},
			"PROJECT.S3_BUCKET_SSL_ONLY", "Bucket", "bucket and its objects"},
		{"SSL-only deny on the objects only",
			[]string{`            Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]`, `            Resource: !Sub "${Bucket.Arn}/*"`},
			"PROJECT.S3_BUCKET_SSL_ONLY", "Bucket", "bucket and its objects"},
		{"delivery role granted Action * on every bucket",
			[]string{"                Resource: !GetAtt LogGroup.Arn\n", "                Resource: !GetAtt LogGroup.Arn\n              - Effect: Allow\n                Action: \"*\"\n                Resource: !Sub \"arn:${AWS::Partition}:s3:::*\"\n"},
			"PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole", `Action "*"`},
		{"delivery role granted s3:GetObject on every bucket",
			[]string{"                Resource: !GetAtt LogGroup.Arn\n", "                Resource: !GetAtt LogGroup.Arn\n              - Effect: Allow\n                Action: s3:GetObject\n                Resource: !Sub \"arn:${AWS::Partition}:s3:::*\"\n"},
			"PROJECT.IAM_NO_WILDCARD_RESOURCE", "DeliveryRole", "every resource of the service"},
		// The constructs' validation facts (package flowlog), checked in templates too.
		{"S3 file format EC2 rejects",
			[]string{"FileFormat: parquet", "FileFormat: csv"},
			"PROJECT.FLOW_LOG_DESTINATION", "S3FlowLog", `FileFormat "csv" is rejected`},
		{"S3 prefix in the reserved AWSLogs folder",
			[]string{`"/flow/"]]`, `"/AWSLogs/"]]`},
			"PROJECT.FLOW_LOG_DESTINATION", "S3FlowLog", "AWSLogs is a folder name flow-log delivery reserves"},
		{"retention CloudWatch Logs rejects",
			[]string{"RetentionInDays: 365", "RetentionInDays: 366"},
			"PROJECT.LOG_GROUP_RETENTION", "LogGroup", "366 is rejected by CloudWatch Logs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := Check(variant(t, c.pairs...))
			if len(fs) != 1 || fs[0].Rule != c.rule || fs[0].LogicalID != c.id || !strings.Contains(fs[0].Message, c.wantWords) {
				t.Errorf("findings %v; want one %s on %s saying %q", fs, c.rule, c.id, c.wantWords)
			}
		})
	}
}

// The JSON output's keys are camelCase throughout, the bucket lifecycle's too.
func TestJSONKeysAreCamelCase(t *testing.T) {
	data, err := json.Marshal(Explain(variant(t)))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k != "" && unicode.IsUpper(rune(k[0])) {
					t.Errorf("JSON key %q is not camelCase", k)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	walk(doc)
	if !strings.Contains(string(data), `"expirationDays":365`) {
		t.Errorf("no lifecycle expirationDays in %s", data)
	}
}
