package flowlog

import (
	"slices"
	"strconv"
	"strings"
)

// What EC2 accepts for a flow log's capture settings: the one place these
// facts are written. The flow-log construct validates its props with them
// and the review rules (which the template gates run) check templates with
// them.
//
// Sources:
//   - EC2 API Reference, CreateFlowLogs (TrafficType "ACCEPT | REJECT |
//     ALL"; MaxAggregationInterval "60 seconds (1 minute) or 600 seconds
//     (10 minutes) ... must be 60 seconds for transit gateway resource
//     types", default 600):
//     https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
//   - Amazon VPC Transit Gateways, "Create a flow log" (no traffic type, and
//     a 60-second interval, for transit gateways and their attachments):
//     https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html

// TrafficTypes are the values of TrafficType a VPC, subnet or
// network-interface flow log accepts, and nothing else: which traffic the
// flow log captures (ALL, the construct's default, first). A transit gateway
// flow log takes no traffic type.
var TrafficTypes = []string{"ALL", "ACCEPT", "REJECT"}

// AggregationIntervals are the values of MaxAggregationInterval, in seconds,
// that EC2 accepts, and nothing else. (There is no 300: the console's "every
// 5 minutes" is S3's publishing interval, not an aggregation interval.)
var AggregationIntervals = []int{60, 600}

// TransitGatewayAggregationInterval is the only MaxAggregationInterval, in
// seconds, EC2 accepts for a TransitGateway or TransitGatewayAttachment flow log.
const TransitGatewayAggregationInterval = 60

// DefaultAggregationInterval is the MaxAggregationInterval EC2 uses when none is given.
const DefaultAggregationInterval = 600

// ValidTrafficType reports whether EC2 accepts s as a flow log's TrafficType.
func ValidTrafficType(s string) bool { return slices.Contains(TrafficTypes, s) }

// ValidAggregationInterval reports whether EC2 accepts seconds as a
// (non-transit-gateway) flow log's MaxAggregationInterval.
func ValidAggregationInterval(seconds int) bool {
	return slices.Contains(AggregationIntervals, seconds)
}

// TrafficTypesText lists TrafficTypes for messages: "ALL, ACCEPT or REJECT".
func TrafficTypesText() string { return orList(TrafficTypes) }

// AggregationIntervalsText lists AggregationIntervals for messages: "60 or 600".
func AggregationIntervalsText() string {
	s := make([]string, len(AggregationIntervals))
	for i, v := range AggregationIntervals {
		s[i] = strconv.Itoa(v)
	}
	return orList(s)
}

func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
