package loggroup

import (
	"maps"
	"slices"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Every retention CloudWatch Logs accepts has its CDK name, and no other:
// the enum follows the one list of facts (flowlog.LogGroupRetentionDays).
func TestRetentionEnumIsTheFacts(t *testing.T) {
	if got := slices.Sorted(maps.Keys(retentionEnum)); !slices.Equal(got, flowlog.LogGroupRetentionDays) {
		t.Errorf("retentionEnum days %v; flowlog.LogGroupRetentionDays %v", got, flowlog.LogGroupRetentionDays)
	}
	if ValidateRetentionDays("RetentionDays", 366) == nil || ValidateRetentionDays("RetentionDays", 365) != nil {
		t.Error("ValidateRetentionDays: 366 accepted or 365 refused")
	}
}
