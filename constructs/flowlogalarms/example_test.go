package flowlogalarms_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogdashboard"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// Alarms on a flow-log group that logs only rejected traffic, with a lower threshold for
// rejects, no NODATA alarm, an alarm on rejected bytes, e-mail subscriptions, and a dashboard
// that graphs them. Counters of accepted traffic get no metric filter: a REJECT flow log never
// delivers such records.
func ExampleNewFlowLogAlarms() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Monitoring"), nil)
	group := loggroup.NewFlowLogGroup(stack, jsii.String("FlowLogGroup"), nil).LogGroup()
	alarms := flowlogalarms.NewFlowLogAlarms(stack, jsii.String("Alarms"), &flowlogalarms.FlowLogAlarmsProps{
		LogGroup:    group,
		TrafficType: jsii.String("REJECT"),
		Alarms: map[string]flowlogalarms.AlarmOptions{
			"rejected":       {Threshold: jsii.Number(200), Period: jsii.Number(300), EvaluationPeriods: jsii.Number(3)},
			"nodata":         {Off: true},
			"rejected-bytes": {Threshold: jsii.Number(1e9)},
		},
		Emails: []string{"secops@example.com"},
	})
	flowlogdashboard.NewFlowLogDashboard(stack, jsii.String("Dashboard"), &flowlogdashboard.FlowLogDashboardProps{
		LogGroup:    group,
		TrafficType: jsii.String("REJECT"),
		Alarms:      alarms,
	})
	app.Synth(nil)

	for _, c := range alarms.Counters() {
		alarm := "no alarm"
		if a, ok := alarms.Alarms()[c.Name]; ok {
			alarm = "alarm " + *a.Node().Path()
		}
		fmt.Printf("%s: metric value %s, %s\n", c.Name, c.MetricValue(), alarm)
	}
	for _, d := range alarms.Dropped() {
		fmt.Println("left out:", d)
	}
	// Output:
	// rejected-ssh-rdp: metric value 1, alarm Monitoring/Alarms/RejectedSshRdp/Alarm
	// rejected: metric value 1, alarm Monitoring/Alarms/Rejected/Alarm
	// nodata: metric value 1, no alarm
	// skipdata: metric value 1, alarm Monitoring/Alarms/Skipdata/Alarm
	// rejected-bytes: metric value $bytes, alarm Monitoring/Alarms/RejectedBytes/Alarm
	// left out: accepted-bytes (counts only ACCEPT records; trafficType is REJECT)
}
