package flowlogs

import (
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// The validators take the accepted intervals and traffic types from package
// flowlog, not from a copy: changing the facts there changes what they accept.
func TestValidatorsUseFlowlogCaptureFacts(t *testing.T) {
	if ValidateMaxAggregationInterval("I", 600) != nil || ValidateTrafficType("T", "REJECT") != nil {
		t.Fatal("600 s or REJECT is rejected with the real facts")
	}
	if ValidateMaxAggregationInterval("I", 300) == nil || ValidateTrafficType("T", "all") == nil {
		t.Fatal("300 s or all is accepted with the real facts")
	}
	intervals, traffic := flowlog.AggregationIntervals, flowlog.TrafficTypes
	t.Cleanup(func() { flowlog.AggregationIntervals, flowlog.TrafficTypes = intervals, traffic })
	flowlog.AggregationIntervals, flowlog.TrafficTypes = []int{60}, []string{"ALL", "ACCEPT"}
	if err := ValidateMaxAggregationInterval("I", 600); err == nil || err.Error() != "I 600 is not allowed; use 60 (seconds): EC2 accepts no other value" {
		t.Errorf("ValidateMaxAggregationInterval does not follow flowlog.AggregationIntervals: %v", err)
	}
	if err := ValidateTrafficType("T", "REJECT"); err == nil || err.Error() != `T "REJECT" is not allowed; use ALL or ACCEPT` {
		t.Errorf("ValidateTrafficType does not follow flowlog.TrafficTypes: %v", err)
	}
}
