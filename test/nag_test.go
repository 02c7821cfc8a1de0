package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// TestNagPacks: the AwsSolutions, NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1 packs,
// which the app applies at every synth, leave no unsuppressed error or warning in any variant,
// and every suppression in the template is a reviewed one from stacks.Suppressions, with its reason.
func TestNagPacks(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			s := synthApp(t, v.context)
			assertNagClean(t, s.stack, s.json, stacks.Suppressions(s.stack.Config()))
		})
	}
}

// assertNagClean holds a synthesized stack to the four packs: no unsuppressed error or warning,
// and every suppression in its template one of reviewed, with its reason.
func assertNagClean(t *testing.T, stack awscdk.Stack, template map[string]any, reviewedList []stacks.Suppression) {
	t.Helper()
	packs := assertions.Match_StringLikeRegexp(jsii.String("^(AwsSolutions|NIST\\.800\\.53\\.R5|HIPAA\\.Security|PCI\\.DSS\\.321)-"))
	ann := assertions.Annotations_FromStack(stack)
	for kind, found := range map[string]*[]*cxapi.SynthesisMessage{
		"error":   ann.FindError(jsii.String("*"), packs),
		"warning": ann.FindWarning(jsii.String("*"), packs),
	} {
		for _, m := range *found {
			t.Errorf("cdk-nag %s at %s: %v", kind, *m.Id, m.Entry.Data)
		}
	}
	reviewed := map[[2]string]bool{} // rule ID and reason
	for _, sup := range reviewedList {
		for _, id := range sup.RuleIDs() {
			reviewed[[2]string{id, sup.Reason}] = true
		}
	}
	for logicalID, r := range template["Resources"].(map[string]any) {
		meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
		nag, _ := meta["cdk_nag"].(map[string]any)
		rules, _ := nag["rules_to_suppress"].([]any)
		for _, rule := range rules {
			rm := rule.(map[string]any)
			id, _ := rm["id"].(string)
			reason, _ := rm["reason"].(string)
			if reason == "" || !reviewed[[2]string{id, reason}] {
				t.Errorf("%s: suppression %v is not a reviewed one with its reason", logicalID, rm)
			}
		}
	}
}

// TestHardenedProfileNeedsFewerSuppressions: the hardened profile removes every default-only
// exception, leaving only those no setting can meet.
func TestHardenedProfileNeedsFewerSuppressions(t *testing.T) {
	def, hard := stacks.DefaultConfig(), stacks.DefaultConfig()
	hard.Hardened = true
	if len(stacks.Suppressions(hard)) >= len(stacks.Suppressions(def)) {
		t.Errorf("hardened has %d suppressions, default %d", len(stacks.Suppressions(hard)), len(stacks.Suppressions(def)))
	}
	for _, s := range stacks.Suppressions(hard) {
		if s.DefaultOnly {
			t.Errorf("hardened profile keeps default-only suppression %s", s.Rule)
		}
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
