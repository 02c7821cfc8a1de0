package flowlog_test

import (
	"fmt"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func TestCaptureSettings(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{{"ACCEPT", true}, {"REJECT", true}, {"ALL", true}, {"all", false}, {"", false}, {"DENY", false}} {
		if got := flowlog.ValidTrafficType(c.s); got != c.want {
			t.Errorf("ValidTrafficType(%q) = %v", c.s, got)
		}
	}
	for _, c := range []struct {
		s    int
		want bool
	}{{60, true}, {600, true}, {300, false}, {0, false}, {3600, false}} {
		if got := flowlog.ValidAggregationInterval(c.s); got != c.want {
			t.Errorf("ValidAggregationInterval(%d) = %v", c.s, got)
		}
	}
	if !flowlog.ValidAggregationInterval(flowlog.TransitGatewayAggregationInterval) || !flowlog.ValidAggregationInterval(flowlog.DefaultAggregationInterval) {
		t.Error("the transit gateway and default intervals are not among AggregationIntervals")
	}
}

func ExampleValidAggregationInterval() {
	fmt.Println(flowlog.ValidAggregationInterval(300), flowlog.AggregationIntervalsText())
	fmt.Println(flowlog.ValidTrafficType("ALL"), flowlog.TrafficTypesText())
	// Output:
	// false 60 or 600
	// true ALL, ACCEPT or REJECT
}
