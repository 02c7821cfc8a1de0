package flowlogs

import (
	"fmt"
	"regexp"
	"strings"
)

// The values EC2 accepts for a flow log
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html).
var (
	// TrafficTypes are the traffic types a flow log can capture.
	TrafficTypes = []string{"ALL", "ACCEPT", "REJECT"}
	// MaxAggregationIntervals are the only aggregation intervals, in seconds, EC2 accepts. There is
	// no 300: the console walkthrough's "every 5 minutes" is S3's publishing interval.
	MaxAggregationIntervals = []float64{60, 600}
	// FileFormats are the S3 file formats.
	FileFormats = []string{"plain-text", "parquet"}
)

// ValidateTrafficType checks a traffic type; setting names the setting in the message.
func ValidateTrafficType(setting, v string) error {
	for _, t := range TrafficTypes {
		if v == t {
			return nil
		}
	}
	return fmt.Errorf("%s %q is not allowed; use ALL, ACCEPT or REJECT", setting, v)
}

// ValidateMaxAggregationInterval checks an aggregation interval in seconds.
func ValidateMaxAggregationInterval(setting string, v float64) error {
	for _, i := range MaxAggregationIntervals {
		if v == i {
			return nil
		}
	}
	return fmt.Errorf("%s %v is not allowed; use 60 or 600 (seconds): EC2 accepts no other value", setting, v)
}

// ValidateFileFormat checks an S3 file format.
func ValidateFileFormat(setting, v string) error {
	for _, f := range FileFormats {
		if v == f {
			return nil
		}
	}
	return fmt.Errorf("%s %q is not allowed; use plain-text or parquet", setting, v)
}

// keyPrefixPattern holds S3's safe key characters
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
var keyPrefixPattern = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]*$`)

// ValidateKeyPrefix checks an S3 key prefix ("folder") for flow logs: S3-safe characters, no
// empty or "."/".." segments, and no "AWSLogs" segment, which flow-log delivery reserves
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
func ValidateKeyPrefix(setting, v string) error {
	trimmed := strings.Trim(v, "/")
	if trimmed == "" {
		return nil
	}
	if !keyPrefixPattern.MatchString(trimmed) || len(trimmed) > 512 {
		return fmt.Errorf("%s %q is not allowed; use at most 512 of the S3-safe characters A-Z a-z 0-9 ! _ . * ' ( ) - and /", setting, v)
	}
	for _, seg := range strings.Split(trimmed, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return fmt.Errorf("%s %q is not allowed; it has an empty, \".\" or \"..\" folder", setting, v)
		case strings.EqualFold(seg, "AWSLogs"):
			return fmt.Errorf("%s %q is not allowed; AWSLogs is a folder name flow-log delivery reserves for itself", setting, v)
		}
	}
	return nil
}
