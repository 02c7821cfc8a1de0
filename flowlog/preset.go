package flowlog

import "sort"

// Presets. Each is a Format value; see [Preset] for why each exists.
var (
	// defaultFormat is the default format: the 14 version 2 fields in the
	// order of the AWS table. It cannot be changed
	// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html#flow-logs-default).
	defaultFormat = MustFormat(Version, AccountID, InterfaceID, SrcAddr, DstAddr,
		SrcPort, DstPort, Protocol, Packets, Bytes, Start, End, Action, LogStatus)

	allFormat = MustFormat(vpcFields()...)

	// v5Format is every v2..v5 field in table order: exactly the columns of
	// the sample table in the Athena documentation
	// (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html).
	v5Format = MustFormat(fieldsUpTo(5)...)

	// securityFormat answers who talked to whom, through what, whether it was
	// allowed and why not: identity of the interface and its owner
	// (account, VPC, subnet, instance, interface), both address pairs (the
	// interface's and the packet's, which differ behind NAT gateways, transit
	// gateways and EKS pods), ports and protocol, TCP flags (who initiated,
	// SYN scans, RSTs), volumes and times, direction, the verdict and its
	// non-SG/NACL cause (reject-reason: VPC Block Public Access), the AWS
	// service behind public addresses, and log-status so gaps (SKIPDATA)
	// are visible rather than mistaken for silence.
	securityFormat = MustFormat(Version, AccountID, VpcID, SubnetID, InstanceID, InterfaceID,
		FlowDirection, SrcAddr, DstAddr, PktSrcAddr, PktDstAddr, SrcPort, DstPort, Protocol,
		TCPFlags, Packets, Bytes, Start, End, Action, RejectReason,
		PktSrcAWSService, PktDstAWSService, LogStatus)

	// costFormat is for data-transfer cost attribution: where bytes go
	// (traffic-path: IGW, peering, VGW, gateway endpoint), in which
	// direction, between which AZs (az-id vs next-hop-az-id) and to which
	// AWS service, per account/VPC/subnet/interface.
	costFormat = MustFormat(Version, AccountID, VpcID, SubnetID, InterfaceID, AZID,
		SrcAddr, DstAddr, PktDstAddr, Protocol, Packets, Bytes, Start, End,
		FlowDirection, TrafficPath, PktDstAWSService, NextHopAZID, LogStatus)
)

var presets = map[string]Format{
	"default":  defaultFormat,
	"all":      allFormat,
	"v5":       v5Format,
	"security": securityFormat,
	"cost":     costFormat,
	// The transit gateway default format: every field their flow logs
	// record, version 6.
	"transit-gateway": tgwDefaultFormat,
}

// vpcFields returns the fields VPC flow logs record, in registry order.
func vpcFields() []Field {
	var out []Field
	for _, f := range Fields() {
		if f.InVPCFlowLogs() {
			out = append(out, f)
		}
	}
	return out
}

func fieldsUpTo(v int) []Field {
	var out []Field
	for _, f := range vpcFields() {
		if f.Version() <= v {
			out = append(out, f)
		}
	}
	return out
}

// DefaultFormat returns the default flow-log format: the 14 version 2
// fields, ${version} ${account-id} ... ${log-status}.
func DefaultFormat() Format { return defaultFormat }

// AllFields returns the format of every field VPC flow logs record, in
// registry order. (No format has every field of the registry: the fields
// only transit gateway flow logs record have a format of their own,
// [DefaultTransitGatewayFormat].)
func AllFields() Format { return allFormat }

// Preset returns a named format. The presets are:
//
//   - "default": the 14 version 2 fields of the default format.
//   - "all": every VPC flow-log field AWS documents (v2..v11), in registry order. Some
//     need extra setup to be filled: ECS fields need ECS permissions and
//     the tag fields need TagFieldSpecifications.
//   - "v5": every v2..v5 field in table order, the columns of the sample
//     Athena table in the AWS documentation; a good general-purpose format.
//   - "security": what an investigation needs: who (account, VPC,
//     subnet, instance, interface), to whom (both address pairs, as NAT and
//     transit gateways rewrite them), how (ports, protocol, TCP flags,
//     direction), whether allowed and why not (action, reject-reason), the
//     AWS service behind public addresses, and log-status so SKIPDATA gaps
//     are visible.
//   - "cost": data-transfer attribution: bytes by path (traffic-path),
//     direction, AZ and next-hop AZ, and destination AWS service.
//   - "transit-gateway": the default format of transit gateway flow logs,
//     all 36 fields they record (version 6), in AWS's order.
func Preset(name string) (Format, bool) {
	f, ok := presets[name]
	return f, ok
}

// PresetNames returns the names of the presets, sorted.
func PresetNames() []string {
	out := make([]string, 0, len(presets))
	for k := range presets {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
