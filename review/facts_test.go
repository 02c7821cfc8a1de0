package review

import (
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// The flow-log rules take the accepted intervals and traffic types from
// package flowlog, not from a copy: changing the facts there changes what
// the rules accept.
func TestRulesUseFlowlogCaptureFacts(t *testing.T) {
	check := func(rule Rule, props map[string]any) int {
		tpl := &Template{Path: "t", Resources: map[string]Resource{"Log": {Type: TypeFlowLog, Properties: props}}}
		return len(rule.Check(tpl))
	}
	vpc := func(interval any, traffic string) map[string]any {
		return map[string]any{"ResourceType": "VPC", "ResourceId": "vpc-1", "MaxAggregationInterval": interval, "TrafficType": traffic}
	}
	if check(ruleInterval, vpc(600.0, "ALL")) != 0 || check(ruleTrafficType, vpc(600.0, "REJECT")) != 0 {
		t.Fatal("600 s or REJECT is rejected with the real facts")
	}
	if check(ruleInterval, vpc(300.0, "ALL")) != 1 || check(ruleTrafficType, vpc(600.0, "DENY")) != 1 {
		t.Fatal("300 s or DENY is accepted with the real facts")
	}
	intervals, traffic := flowlog.AggregationIntervals, flowlog.TrafficTypes
	t.Cleanup(func() { flowlog.AggregationIntervals, flowlog.TrafficTypes = intervals, traffic })
	flowlog.AggregationIntervals, flowlog.TrafficTypes = []int{60}, []string{"ALL", "ACCEPT"}
	if check(ruleInterval, vpc(600.0, "ALL")) != 1 {
		t.Error("the interval rule does not follow flowlog.AggregationIntervals")
	}
	if check(ruleTrafficType, vpc(60.0, "REJECT")) != 1 {
		t.Error("the traffic type rule does not follow flowlog.TrafficTypes")
	}
}
