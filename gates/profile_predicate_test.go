package gates

import "testing"

// The default profile is "no flow-log destination is KMS-encrypted": a key that only encrypts
// the analytics (alarm topic, Athena results) keeps a template in it; a KMS-encrypted log group
// or delivery bucket takes it out.
func TestDefaultProfilePredicate(t *testing.T) {
	p := allowPredicates["default-profile"]
	kms := map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
		map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "aws:kms"}}}}}
	s3 := map[string]any{"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
		map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}}
	flowLogTo := func(bucket string) resource {
		return resource{Type: "AWS::EC2::FlowLog", Properties: map[string]any{
			"LogDestination": map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{bucket, "Arn"}}, "/prefix/"}}}}}
	}
	for _, tc := range []struct {
		name string
		res  map[string]resource
		want bool
	}{
		{"no key", map[string]resource{"B": {Type: "AWS::S3::Bucket", Properties: s3}, "F": flowLogTo("B")}, true},
		{"a key for the analytics only", map[string]resource{
			"K": {Type: "AWS::KMS::Key"}, "B": {Type: "AWS::S3::Bucket", Properties: s3}, "F": flowLogTo("B"),
			"R": {Type: "AWS::S3::Bucket", Properties: kms}, // query results, no flow log delivers here
		}, true},
		{"KMS-encrypted delivery bucket", map[string]resource{"K": {Type: "AWS::KMS::Key"}, "B": {Type: "AWS::S3::Bucket", Properties: kms}, "F": flowLogTo("B")}, false},
		{"KMS-encrypted log group", map[string]resource{"G": {Type: "AWS::Logs::LogGroup", Properties: map[string]any{"KmsKeyId": "arn"}}}, false},
	} {
		if got := p(&template{Resources: tc.res}, ""); got != tc.want {
			t.Errorf("%s: default-profile = %v, want %v", tc.name, got, tc.want)
		}
	}
}
