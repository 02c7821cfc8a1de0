package investigations

import (
	"net/netip"
	"strconv"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// AdminPorts are the destination ports of remote administration that
// "admin-port-traffic" looks at: SSH (22), Telnet (23), RDP (3389), VNC
// (5900) and WinRM over HTTP/HTTPS (5985, 5986). AWS does not publish the
// list its VpcFlowLogsAdminPortTraffic query uses.
var AdminPorts = []uint16{22, 23, 3389, 5900, 5985, 5986}

// SSHRDPPorts are the ports of SSH (22) and RDP (3389).
var SSHRDPPorts = []uint16{22, 3389}

func ports(ps []uint16) Cond {
	vals := make([]string, len(ps))
	for i, p := range ps {
		vals[i] = strconv.Itoa(int(p))
	}
	return OneOf(fl.DstPort, vals...)
}

var (
	accepted = Equal(fl.Action, "ACCEPT")
	rejected = Equal(fl.Action, "REJECT")
	tcp      = Equal(fl.Protocol, "6")
	all3     = []Measure{Records, Packets, Bytes}

	egress = Equal(fl.FlowDirection, "egress")

	paramSrc = Param{Name: "srcaddr", Field: fl.SrcAddr, Description: "the source address (IPv4 or IPv6)"}
	paramDst = Param{Name: "dstaddr", Field: fl.DstAddr, Description: "the destination address (IPv4 or IPv6)"}
)

// PrivateRanges are the address ranges that are not public destinations:
// RFC 1918, the RFC 6598 shared space (VPCs may use 100.64.0.0/10) and IPv6
// unique local addresses (RFC 4193). Egress on traffic-path 1 to any other
// address left through a NAT gateway or another in-VPC appliance.
var PrivateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
}

func inRanges(f fl.Field, ps []netip.Prefix) Cond {
	cs := make([]Cond, len(ps))
	for i, p := range ps {
		cs[i] = InPrefix(f, p)
	}
	return Or(cs...)
}

// catalogue is the one list of investigations. The first block answers
// every named query of the AWS Athena integration
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-run-athena-query.html);
// AWS does not publish their SQL, so each is our reading of its
// description, as an aggregation.
var catalogue = []Investigation{
	{
		Name: "accepted-tcp-traffic", Title: "Accepted TCP traffic", AWSName: "VpcFlowLogsAcceptedTraffic",
		Question: "Which TCP connections did security groups and network ACLs allow, by source, destination and port?",
		Where:    And(accepted, tcp),
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstAddr), By(fl.DstPort)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "rejected-traffic", Title: "Rejected traffic", AWSName: "VpcFlowLogsRejectedTraffic",
		Question: "Which traffic was rejected, by source, destination, port and protocol?",
		Where:    rejected,
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstAddr), By(fl.DstPort), By(fl.Protocol)},
		Measures: all3, OrderBy: Records, Limit: 50,
	},
	{
		Name: "rejected-tcp-traffic", Title: "Rejected TCP traffic", AWSName: "VpcFlowLogsRejectedTCPTraffic",
		Question: "Which sources had TCP connections rejected, on which ports?",
		Where:    And(rejected, tcp),
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstPort)},
		Measures: all3, OrderBy: Records, Limit: 50,
	},
	{
		Name: "admin-port-traffic", Title: "Traffic to administrative ports", AWSName: "VpcFlowLogsAdminPortTraffic",
		Question: "Which 10 source addresses sent the most traffic to remote-administration ports (SSH, Telnet, RDP, VNC, WinRM)?",
		Where:    ports(AdminPorts),
		GroupBy:  []Key{By(fl.SrcAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 10,
	},
	{
		Name: "ssh-rdp-traffic", Title: "SSH and RDP traffic", AWSName: "VpcFlowLogsSshRdpTraffic",
		Question: "Who connected to SSH (22) or RDP (3389), to which address, and was it accepted?",
		Where:    ports(SSHRDPPorts),
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstAddr), By(fl.DstPort), By(fl.Action)},
		Measures: all3, OrderBy: Records, Limit: 50,
	},
	{
		Name: "rejected-ssh-rdp", Title: "Rejected SSH and RDP attempts",
		Question: "Which sources were rejected on SSH (22) or RDP (3389)?",
		Where:    And(rejected, ports(SSHRDPPorts)),
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstPort)},
		Measures: all3, OrderBy: Records, Limit: 50,
	},
	{
		Name: "ipv4-vs-ipv6-bytes", Title: "IPv4 vs IPv6 bytes", AWSName: "VpcFlowLogsIPv4Traffic, VpcFlowLogsIPv6Traffic",
		Question: "How many bytes, packets and flows were IPv4 and how many IPv6?",
		Where:    Present(fl.SrcAddr),
		GroupBy:  []Key{FamilyOf(fl.SrcAddr)},
		Measures: all3,
	},
	{
		Name: "top-talkers", Title: "Top talkers", AWSName: "VpcFlowLogsTopTalkers",
		Question: "Which 50 source addresses sent the most bytes?",
		GroupBy:  []Key{By(fl.SrcAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "top-talkers-packet-level", Title: "Top talkers (packet-level addresses)", AWSName: "VpcFlowLogsTopTalkersPacketLevel",
		Question: "Which 50 original (packet-level) source addresses sent the most bytes, seen through NAT and transit gateways?",
		GroupBy:  []Key{By(fl.PktSrcAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "top-talking-instances", Title: "Top talking instances", AWSName: "VpcFlowLogsTopTalkingInstances",
		Question: "Which 50 instances had the most bytes on their network interfaces?",
		Where:    Present(fl.InstanceID),
		GroupBy:  []Key{By(fl.InstanceID)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "top-talking-subnets", Title: "Top talking subnets", AWSName: "VpcFlowLogsTopTalkingSubnets",
		Question: "Which 50 subnets had the most bytes?",
		Where:    Present(fl.SubnetID),
		GroupBy:  []Key{By(fl.SubnetID)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		// AWS's third-party reproduction sorts these ascending, which lists
		// the smallest pairs; the question is about the largest.
		Name: "top-pairs-by-bytes", Title: "Top source/destination pairs by bytes", AWSName: "VpcFlowLogsTotalBytesTransferred",
		Question: "Which 50 source/destination pairs transferred the most bytes?",
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "top-pairs-by-bytes-packet-level", Title: "Top source/destination pairs by bytes (packet-level addresses)", AWSName: "VpcFlowLogsTotalBytesTransferredPacketLevel",
		Question: "Which 50 original (packet-level) source/destination pairs transferred the most bytes?",
		GroupBy:  []Key{By(fl.PktSrcAddr), By(fl.PktDstAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "traffic-from-address", Title: "Traffic from an address", AWSName: "VpcFlowLogsTrafficFrmSrcAddr",
		Question: "Where did a given source address send traffic, on which ports, and was it accepted?",
		Where:    ParamEqual(paramSrc),
		GroupBy:  []Key{By(fl.DstAddr), By(fl.DstPort), By(fl.Protocol), By(fl.Action)},
		Measures: all3, OrderBy: Bytes, Limit: 100,
	},
	{
		Name: "traffic-to-address", Title: "Traffic to an address", AWSName: "VpcFlowLogsTrafficToDstAddr",
		Question: "Who sent traffic to a given destination address, on which ports, and was it accepted?",
		Where:    ParamEqual(paramDst),
		GroupBy:  []Key{By(fl.SrcAddr), By(fl.DstPort), By(fl.Protocol), By(fl.Action)},
		Measures: all3, OrderBy: Bytes, Limit: 100,
	},
	{
		Name: "tcp-traffic-from-address", Title: "TCP traffic from an address", AWSName: "VpcFlowLogsTopTCPTraffic",
		Question: "Which TCP destinations and ports did a given source address talk to?",
		Where:    And(ParamEqual(paramSrc), tcp),
		GroupBy:  []Key{By(fl.DstAddr), By(fl.DstPort)},
		Measures: all3, OrderBy: Bytes, Limit: 100,
	},

	// Beyond the AWS integration.
	{
		Name: "rejected-by-dst-port", Title: "Rejected traffic by destination port",
		Question: "Which destination ports and protocols had the most rejected flows?",
		Where:    rejected,
		GroupBy:  []Key{By(fl.DstPort), By(fl.Protocol)},
		Measures: all3, OrderBy: Records, Limit: 50,
	},
	{
		Name: "traffic-to-aws-services", Title: "Traffic to AWS services",
		Question: "How much traffic went to each AWS service (by the ip-ranges code of the packet-level destination)?",
		Where:    Present(fl.PktDstAWSService),
		GroupBy:  []Key{By(fl.PktDstAWSService)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "traffic-from-aws-services", Title: "Traffic from AWS services",
		Question: "How much traffic came from each AWS service (by the ip-ranges code of the packet-level source)?",
		Where:    Present(fl.PktSrcAWSService),
		GroupBy:  []Key{By(fl.PktSrcAWSService)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		Name: "traffic-by-direction", Title: "Traffic by flow direction",
		Question: "How much traffic was ingress and how much egress, accepted and rejected?",
		Where:    Present(fl.FlowDirection),
		GroupBy:  []Key{By(fl.FlowDirection), By(fl.Action)},
		Measures: all3,
	},
	{
		// traffic-path is set on egress records only
		// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html);
		// its codes and labels are in labels.go.
		Name: "egress-by-traffic-path", Title: "Egress traffic by path",
		Question: "Which way did egress traffic leave: another resource in the VPC (NAT gateway, transit gateway attachment, endpoint), internet gateway, virtual private gateway, peering, local gateway or gateway endpoint?",
		Where:    And(egress, Present(fl.TrafficPath)),
		GroupBy:  []Key{LabelOf(fl.TrafficPath)},
		Measures: all3, OrderBy: Bytes,
	},
	{
		// NAT gateways and transit gateway attachments are both path 1 (a
		// resource with a network interface in the VPC), so the path alone
		// cannot separate them; the destination can: NAT gateway egress
		// goes to public addresses, transit gateway egress to private ones.
		Name: "egress-destinations-by-path", Title: "Egress destinations by path",
		Question: "Which 100 destinations received the most egress bytes, on which path (on path 1, public destinations are reached through a NAT gateway, private ones through a transit gateway or inside the VPC)?",
		Where:    And(egress, Present(fl.TrafficPath)),
		GroupBy:  []Key{LabelOf(fl.TrafficPath), By(fl.DstAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 100,
	},
	{
		// The instance's own egress record names the internet host as
		// dstaddr and path 1 (the NAT gateway's interface is in the VPC);
		// NAT gateways bill per GB processed (https://aws.amazon.com/vpc/pricing/).
		Name: "nat-gateway-egress-by-source", Title: "NAT gateway egress by source",
		Question: "Which 50 sources sent the most bytes to public addresses through another resource in the VPC (path 1: a NAT gateway, or an appliance such as a firewall)?",
		Where:    And(egress, Equal(fl.TrafficPath, "1"), Not(inRanges(fl.DstAddr, PrivateRanges))),
		GroupBy:  []Key{By(fl.SrcAddr)},
		Measures: all3, OrderBy: Bytes, Limit: 50,
	},
	{
		// reject-reason is "-" for security-group and network-ACL rejects.
		Name: "rejected-by-reason", Title: "Rejected traffic by reason",
		Question: "Why was traffic rejected: by security groups or network ACLs (no reason given), VPC Block Public Access (BPA) or encryption controls (EC)?",
		Where:    rejected,
		GroupBy:  []Key{By(fl.RejectReason), By(fl.FlowDirection)},
		Measures: all3, OrderBy: Records,
	},
	{
		Name: "traffic-by-encryption-status", Title: "Traffic by encryption status",
		Question: "How much traffic was cleartext (0), encrypted by Nitro (1), by the application (2) or both (3)?",
		Where:    Present(fl.EncryptionStatus),
		GroupBy:  []Key{By(fl.EncryptionStatus)},
		Measures: all3,
	},
	{
		Name: "nodata-skipdata-by-interface", Title: "NODATA and SKIPDATA by interface",
		Question: "Which network interfaces logged no data (NODATA) or skipped records (SKIPDATA), and how often?",
		Where:    OneOf(fl.LogStatus, "NODATA", "SKIPDATA"),
		GroupBy:  []Key{By(fl.InterfaceID), By(fl.LogStatus)},
		Measures: []Measure{Records}, OrderBy: Records, Limit: 100,
	},
	{
		Name: "bytes-per-hour", Title: "Bytes per hour, accepted vs rejected",
		Question: "How many bytes, packets and flows were accepted and rejected in each hour (by the start of the flow)?",
		Where:    Present(fl.Action),
		GroupBy:  []Key{HourOf(fl.Start), By(fl.Action)},
		Measures: all3,
	},
}

// Catalogue returns every investigation, in a stable order. The slice is
// a copy; the investigations share no mutable state.
func Catalogue() []Investigation { return append([]Investigation(nil), catalogue...) }
