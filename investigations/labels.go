package investigations

import (
	"strconv"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// trafficPathLabels name the traffic-path codes of egress records, as the
// VPC user guide lists them
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html,
// "traffic-path"). Code 1 is every resource with a network interface in
// the VPC: NAT gateways and transit gateway attachments alike, so
// traffic-path alone does not tell them apart (see egress-by-traffic-path).
var trafficPathLabels = map[uint64]string{
	1: "1 another resource in the same VPC (NAT gateway, transit gateway attachment, endpoint)",
	2: "2 internet gateway or gateway VPC endpoint",
	3: "3 virtual private gateway",
	4: "4 intra-region VPC peering",
	5: "5 inter-region VPC peering",
	6: "6 local gateway",
	7: "7 gateway VPC endpoint (Nitro)",
	8: "8 internet gateway (Nitro)",
}

// ValueLabels returns the labels of a numeric field's codes, by code, or
// nil for a field without labels. Only traffic-path has them. Each label
// starts with its code, so labels sort as their codes do (for codes 1-9).
func ValueLabels(f flowlog.Field) map[uint64]string {
	if f == flowlog.TrafficPath {
		return trafficPathLabels
	}
	return nil
}

// valueLabel returns the label of code n of field f, or the number.
func valueLabel(f flowlog.Field, n uint64) string {
	if l, ok := ValueLabels(f)[n]; ok {
		return l
	}
	return strconv.FormatUint(n, 10)
}
