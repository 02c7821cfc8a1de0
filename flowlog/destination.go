package flowlog

import (
	"regexp"
	"slices"
	"strings"
)

// What AWS accepts for a flow log's destination settings: the one place
// these facts are written. The constructs validate their props with them and
// the review rules (which the template gates run) check templates with them.

// FileFormats are the S3 file formats a flow log accepts
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DestinationOptionsRequest.html).
var FileFormats = []string{"plain-text", "parquet"}

// ValidFileFormat reports whether EC2 accepts s as an S3 flow log's FileFormat.
func ValidFileFormat(s string) bool { return slices.Contains(FileFormats, s) }

// LogGroupRetentionDays are the retention periods, in days, CloudWatch Logs
// accepts for a log group
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
var LogGroupRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetentionDays reports whether CloudWatch Logs accepts days as a log group's retention.
func ValidRetentionDays(days int) bool { return slices.Contains(LogGroupRetentionDays, days) }

// keyPrefixPattern holds S3's safe key characters
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
var keyPrefixPattern = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]*$`)

// KeyPrefixProblem says what is wrong with an S3 key prefix ("folder") for
// flow logs, or "" when nothing is: S3-safe characters, at most 512 of them,
// no empty or "."/".." segments, and no "AWSLogs" segment, which flow-log
// delivery reserves
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
func KeyPrefixProblem(prefix string) string {
	trimmed := strings.Trim(prefix, "/")
	if trimmed == "" {
		return ""
	}
	if !keyPrefixPattern.MatchString(trimmed) || len(trimmed) > 512 {
		return "use at most 512 of the S3-safe characters A-Z a-z 0-9 ! _ . * ' ( ) - and /"
	}
	for _, seg := range strings.Split(trimmed, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return `it has an empty, "." or ".." folder`
		case strings.EqualFold(seg, "AWSLogs"):
			return "AWSLogs is a folder name flow-log delivery reserves for itself"
		}
	}
	return ""
}
