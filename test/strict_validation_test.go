package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// TestStrictValidationIsArmed shows that cdk.json's validateAgainstDefaultRules and
// strictCfnValidateErrors really fail synth on a schema error in our flow logs. CDK suppresses
// such errors inside its own ec2.FlowLog construct; our constructs use CfnFlowLog directly, so
// nothing is hidden.
func TestStrictValidationIsArmed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		property string
		value    any
	}{
		{"misspelled property", "MaxAggregationIntervall", 60},
		{"wrong type", "MaxAggregationInterval", "ten minutes"},
		{"unknown destination option", "DestinationOptions.FileFormatt", "parquet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, cfg, err := newApp(nil)
			if err != nil {
				t.Fatal(err)
			}
			stack := stacks.NewVpcFlowLogsStack(app, jsii.String(cfg.StackName), &stacks.VpcFlowLogsStackProps{Config: &cfg})
			fl := stack.FlowLogs().FlowLogs()
			fl[len(fl)-1].AddPropertyOverride(jsii.String(tc.property), tc.value)
			wantAll(t, mustPanic(t, func() { assertions.Template_FromStack(stack, nil) }), "ValidationFailed", "FlowLogsS3FlowLog")
		})
	}
}
