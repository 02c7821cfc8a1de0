package flowlogalarms_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogdashboard"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
)

// Alarms on a flow-log group, with a lower threshold for rejects, no NODATA alarm, an alarm on
// rejected bytes, e-mail subscriptions, and a dashboard that graphs them. (Compiled, not run:
// synthesizing needs the jsii runtime, which the tests in ./test start once for all CDK tests.)
func ExampleNewFlowLogAlarms() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Monitoring"), nil)
	group := loggroup.NewFlowLogGroup(stack, jsii.String("FlowLogGroup"), nil).LogGroup()
	alarms := flowlogalarms.NewFlowLogAlarms(stack, jsii.String("Alarms"), &flowlogalarms.FlowLogAlarmsProps{
		LogGroup: group,
		Alarms: map[string]flowlogalarms.AlarmOptions{
			"rejected":       {Threshold: jsii.Number(200), Period: jsii.Number(300), EvaluationPeriods: jsii.Number(3)},
			"nodata":         {Off: true},
			"rejected-bytes": {Threshold: jsii.Number(1e9)},
		},
		Emails: []string{"secops@example.com"},
	})
	flowlogdashboard.NewFlowLogDashboard(stack, jsii.String("Dashboard"), &flowlogdashboard.FlowLogDashboardProps{
		LogGroup: group,
		Alarms:   alarms,
	})
	app.Synth(nil)
}
