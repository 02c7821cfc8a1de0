package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// TestNagAwsSolutions: cdk-nag's AwsSolutions pack, which the app applies at every synth, finds
// nothing in any variant, without a single suppression.
func TestNagAwsSolutions(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := synthApp(t, v.context)
			ann := assertions.Annotations_FromStack(s.stack)
			for kind, found := range map[string]*[]*cxapi.SynthesisMessage{
				"error":   ann.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))),
				"warning": ann.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))),
			} {
				for _, m := range *found {
					t.Errorf("cdk-nag %s at %s: %v", kind, *m.Id, m.Entry.Data)
				}
			}
			if containsValue(s.json, "cdk_nag") {
				t.Errorf("the template carries cdk-nag suppressions; the seed scenario needs none")
			}
		})
	}
}

// TestNagFindsWhatItShould: the pack is really applied, and a finding stops synth: a bucket
// without SSL enforcement added to the stack is reported as AwsSolutions-S10.
func TestNagFindsWhatItShould(t *testing.T) {
	app, cfg, err := newApp(nil)
	if err != nil {
		t.Fatal(err)
	}
	stack := stacks.NewVpcFlowLogsStack(app, jsii.String(cfg.StackName), &stacks.VpcFlowLogsStackProps{Config: &cfg})
	awss3.NewBucket(stack, jsii.String("Insecure"), &awss3.BucketProps{})
	stacks.ApplyNag(stack)
	wantAll(t, mustPanic(t, func() { assertions.Template_FromStack(stack, nil) }), "ValidationFailed", "AwsSolutions-S10", "Insecure")
}
