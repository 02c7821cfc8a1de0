package test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// TestDuplicateRoleNamesAreRejected: IAM role names are unique per account, so two roles of one
// app with the same fixed name in the same (or an unknown) account stop synth, naming the first.
func TestDuplicateRoleNamesAreRejected(t *testing.T) {
	eni := func(id string) *flowlogs.Resource { return flowlogs.FromNetworkInterfaceId(jsii.String(id)) }
	cross := func(name string) []flowlogs.Destination {
		return []flowlogs.Destination{&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(crossStream),
			CrossAccountRoleArn: jsii.String(crossRole), SourceRoleName: jsii.String(name)}}
	}
	t.Run("two FlowLogs with one SourceRoleName", func(t *testing.T) {
		stack := regionalStack(t)
		flowlogs.NewFlowLogs(stack, jsii.String("A"), &flowlogs.FlowLogsProps{Resource: eni("eni-0123456789abcdef0"), Destinations: cross("Src")})
		got := mustPanic(t, func() {
			flowlogs.NewFlowLogs(stack, jsii.String("B"), &flowlogs.FlowLogsProps{Resource: eni("eni-0123456789abcdef1"), Destinations: cross("Src")})
		})
		want := `flowlogs: FirehoseDestination.SourceRoleName "Src" is already the name of role Test/A/Firehose/SourceRole/Resource in this app; ` +
			"IAM role names are unique per account (in every Region), so give each its own name"
		if got != want {
			t.Errorf("message\n got  %s\n want %s", got, want)
		}
	})
	t.Run("two destinations of one FlowLogs with one SourceRoleName", func(t *testing.T) {
		stack := regionalStack(t)
		second := cross("Src")[0].(*flowlogs.FirehoseDestination)
		second.Id = jsii.String("Again")
		got := mustPanic(t, func() {
			flowlogs.NewFlowLogs(stack, jsii.String("A"), &flowlogs.FlowLogsProps{Resource: eni("eni-0123456789abcdef0"), Destinations: append(cross("Src"), second)})
		})
		wantAll(t, got, `FirehoseDestination.SourceRoleName "Src" is already the name of role Test/A/Firehose/SourceRole/Resource`)
	})
	t.Run("two destination roles for one source", func(t *testing.T) {
		stack := newStack(t)
		props := &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"), SourceRoleName: jsii.String("Src"),
			DeliveryStreamArns: &[]*string{jsii.String(crossStream)}}
		flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("A"), props)
		got := mustPanic(t, func() { flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("B"), props) })
		wantAll(t, got, `flowlogs: CrossAccountDeliveryRole's role name "`+flowlogs.CrossAccountRoleName("111111111111", "Src")+`" is already the name of role Test/A/Role/Resource`)
	})
	t.Run("same name in two known accounts is fine", func(t *testing.T) {
		app := regionalStack(t).Node().Root().(awscdk.App)
		for i, account := range []string{"111111111111", "333333333333"} {
			s := awscdk.NewStack(app, jsii.String("S"+account), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String("eu-west-1")}})
			flowlogs.NewFlowLogs(s, jsii.String("F"), &flowlogs.FlowLogsProps{Resource: eni("eni-0123456789abcdef" + string(rune('0'+i))),
				Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(crossStream),
					CrossAccountRoleArn: jsii.String("arn:aws:iam::222222222222:role/" + flowlogs.CrossAccountRolePrefix), SourceRoleName: jsii.String("Src")}}})
		}
	})
}

// TestDefaultSourceRoleNameIsPerStackAndRegion: the app's default source role name differs per
// stack name (one per VPC in a Region) and per Region, and fits IAM's 64 characters.
func TestDefaultSourceRoleNameIsPerStackAndRegion(t *testing.T) {
	long := strings.Repeat("A", 128)
	for _, tc := range []struct{ stack, region, want string }{
		{"VpcFlowLogs", "eu-west-1", "VpcFlowLogs-FirehoseSource-eu-west-1"},
		{"VpcFlowLogs", "us-east-1", "VpcFlowLogs-FirehoseSource-us-east-1"},
		{"Shared", "eu-west-1", "Shared-FirehoseSource-eu-west-1"},
		{"VpcFlowLogs", "", "VpcFlowLogs-FirehoseSource"},
	} {
		if got := stacks.DefaultFirehoseSourceRoleName(tc.stack, tc.region); got != tc.want {
			t.Errorf("DefaultFirehoseSourceRoleName(%q, %q) = %q, want %q", tc.stack, tc.region, got, tc.want)
		}
	}
	a, b := stacks.DefaultFirehoseSourceRoleName(long+"1", "eu-west-1"), stacks.DefaultFirehoseSourceRoleName(long+"2", "eu-west-1")
	if len(a) != 64 || len(b) != 64 || a == b {
		t.Errorf("long stack names: %q (%d), %q (%d): want 64 characters each, distinct", a, len(a), b, len(b))
	}
}

// TestDestinationTrustNamesTheSourceRolePath: aws:PrincipalArn is the role's ARN with its path, so
// a source role under /team/ is trusted as role/team/NAME, not role/NAME.
func TestDestinationTrustNamesTheSourceRolePath(t *testing.T) {
	stack := newStack(t)
	flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("R"), &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"),
		SourceRoleName: jsii.String("Src"), SourceRolePath: jsii.String("/team/"), DeliveryStreamArns: &[]*string{jsii.String(crossStream)}})
	assertions.Template_FromStack(stack, nil).HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
		"AssumeRolePolicyDocument": map[string]any{"Statement": []any{assertions.Match_ObjectLike(&map[string]any{
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:PrincipalArn": map[string]any{
				"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":iam::111111111111:role/team/Src"}}}}},
		})}},
	})
	got := mustPanic(t, func() {
		flowlogs.NewCrossAccountDeliveryRole(stack, jsii.String("Bad"), &flowlogs.CrossAccountDeliveryRoleProps{SourceAccount: jsii.String("111111111111"),
			SourceRoleName: jsii.String("Src2"), SourceRolePath: jsii.String("team"), DeliveryStreamArns: &[]*string{jsii.String(crossStream)}})
	})
	if want := `flowlogs: CrossAccountDeliveryRoleProps.SourceRolePath "team" is not allowed; give an IAM path that starts and ends with "/", e.g. "/team/"`; got != want {
		t.Errorf("message\n got  %s\n want %s", got, want)
	}
}

// TestImportedSourceRoleWithAPathIsExplained: the source side cannot see the destination's
// trust, so it says which SourceRolePath the destination role needs.
func TestImportedSourceRoleWithAPathIsExplained(t *testing.T) {
	stack := regionalStack(t)
	src := awsiam.Role_FromRoleArn(stack, jsii.String("Src"), jsii.String("arn:aws:iam::111111111111:role/team/Src"), nil)
	flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{Resource: flowlogs.FromNetworkInterfaceId(jsii.String("eni-0123456789abcdef0")),
		Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{DeliveryStreamArn: jsii.String(crossStream), CrossAccountRoleArn: jsii.String(crossRole), SourceRole: src}}})
	infos := assertions.Annotations_FromStack(stack).FindInfo(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(`SourceRole has the path /team/.*SourceRolePath "/team/"`)))
	if len(*infos) != 1 {
		t.Errorf("want one info naming SourceRolePath /team/, got %d", len(*infos))
	}
}
