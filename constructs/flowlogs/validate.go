package flowlogs

import (
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// FileFormats are the S3 file formats a flow log accepts (flowlog.FileFormats).
var FileFormats = flowlog.FileFormats

// ValidateTrafficType checks a traffic type against flowlog.TrafficTypes, the values EC2
// accepts; setting names the setting in the message.
func ValidateTrafficType(setting, v string) error {
	if flowlog.ValidTrafficType(v) {
		return nil
	}
	return fmt.Errorf("%s %q is not allowed; use %s", setting, v, flowlog.TrafficTypesText())
}

// ValidateMaxAggregationInterval checks an aggregation interval in seconds against
// flowlog.AggregationIntervals, the values EC2 accepts.
func ValidateMaxAggregationInterval(setting string, v float64) error {
	for _, i := range flowlog.AggregationIntervals {
		if v == float64(i) {
			return nil
		}
	}
	return fmt.Errorf("%s %v is not allowed; use %s (seconds): EC2 accepts no other value", setting, v, flowlog.AggregationIntervalsText())
}

// ValidateFileFormat checks an S3 file format against flowlog.FileFormats.
func ValidateFileFormat(setting, v string) error {
	if flowlog.ValidFileFormat(v) {
		return nil
	}
	return fmt.Errorf("%s %q is not allowed; use plain-text or parquet", setting, v)
}

// ValidateKeyPrefix checks an S3 key prefix ("folder") for flow logs with
// flowlog.KeyPrefixProblem: S3-safe characters, no empty or "."/".." segments,
// and no "AWSLogs" segment, which flow-log delivery reserves.
func ValidateKeyPrefix(setting, v string) error {
	if p := flowlog.KeyPrefixProblem(v); p != "" {
		return fmt.Errorf("%s %q is not allowed; %s", setting, v, p)
	}
	return nil
}
