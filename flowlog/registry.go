package flowlog

// This file is the single source of truth for what a flow-log field is, for
// VPC, subnet and network-interface flow logs and for transit gateway flow logs.
//
// Sources (every fact below was taken from one of these):
//
//   - Amazon VPC User Guide, "Flow log records", Available fields table:
//     https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
//     (names, versions, descriptions, special values, Parquet data types;
//     the v2..v5 rows were checked against the archived source of the same
//     table in github.com/awsdocs/amazon-vpc-user-guide, doc_source/flow-logs.md).
//   - Amazon Athena User Guide, "Create a table for Amazon VPC flow logs":
//     https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html
//     (Athena column types for v2..v5).
//   - AWS Networking blog, "Introducing VPC Flow Logs for Elastic Container
//     Services" (the ten v7 ECS fields):
//     https://aws.amazon.com/blogs/networking-and-content-delivery/introducing-vpc-flow-logs-for-elastic-container-services
//
//   - Amazon VPC User Guide, "Enforce VPC encryption in transit" (the
//     encryption-status field and VPC Encryption Controls):
//     https://docs.aws.amazon.com/vpc/latest/userguide/vpc-encryption-controls.html
//
// Known gaps, stated rather than guessed silently:
//   - The encryption-status codes 0..3 and reject-reason "EC" were confirmed
//     only by secondary sources that quote the user guide; the stored copy
//     of the fields table did not include the v8+ rows.
//   - AWS publishes no Athena DDL for v7+ fields; they are "string" here,
//     except encryption-status, a small integer code, which is "int".
//   - The Parquet types of v8+ fields were not found in the stored copy of
//     the user guide; they are "STRING", except encryption-status ("INT_32").
//   - The v11 tag field names and the interface-type values come from
//     secondary sources that cite the user guide (the CreateFlowLogs
//     TagFieldSpecifications API change of 2026-06-09 and a 2026-06-12
//     classmethod walkthrough); verify against the live page when possible.
//   - Amazon VPC Transit Gateways guide, "Transit Gateway Flow Log records"
//     (the 18 fields only transit gateway flow logs have, version 6, their
//     Parquet types, and the default format of all 36 fields, whose order
//     is tgwDefaultFields in tgw.go):
//     https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
//     (checked against the archived source, github.com/awsdocs/aws-transit-gateway-guide
//     doc_source/tgw-flow-logs.md). fieldOn says which flow logs record
//     each field; a Format holds fields of one kind of flow log only.
//   - The guide gives no Athena DDL for transit gateway fields; they are
//     "string" here, except the packets-lost-* counters ("bigint", as
//     packets). It has no example record either. Its table gives protocol
//     the Parquet type INT_64 where the VPC table says INT_32; a field has
//     one type here, the VPC table's (ParquetReader accepts either width).

const (
	srcRecords    = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html"
	srcTGWRecords = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records"
	srcECSBlog    = "https://aws.amazon.com/blogs/networking-and-content-delivery/introducing-vpc-flow-logs-for-elastic-container-services"
)

type fieldInfo struct {
	name    string
	version uint8
	kind    Kind
	athena  string
	parquet string
	desc    string
	special []string
	source  string

	token  string // filled by init
	column string // filled by init
}

// Which flow logs record a field (fieldOn).
const (
	onVPC uint8 = 1 << iota // VPC, subnet and network-interface flow logs
	onTGW                   // transit gateway and attachment flow logs
)

// fieldOn says which flow logs record each field: VPC flow logs the fields
// of the VPC table (those before ResourceType), transit gateway flow logs
// the fields of their default format, which has them all. It is a variable
// rather than part of init so that formats made while the package's
// variables are initialized (the presets) see it.
var fieldOn = func() (on [numFields]uint8) {
	for f := Field(1); f < ResourceType; f++ {
		on[f] |= onVPC
	}
	for _, f := range tgwDefaultFields {
		on[f] |= onTGW
	}
	return on
}()

const (
	athInt    = "int"
	athBigint = "bigint"
	athString = "string"
	pqInt32   = "INT_32"
	pqInt64   = "INT_64"
	pqString  = "STRING"
)

func str(name string, v uint8, desc string, special ...string) fieldInfo {
	return fieldInfo{name: name, version: v, kind: KindString, athena: athString, parquet: pqString, desc: desc, special: special, source: srcRecords}
}

var registry = [numFields]fieldInfo{
	0: {},

	Version: {name: "version", version: 2, kind: KindUint8, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc:    "Flow-log version: 2 for the default format, otherwise the highest version among the format's fields.",
		special: []string{"2..11: the highest version of any field in the format"}},
	AccountID: str("account-id", 2,
		"AWS account ID of the owner of the source network interface.",
		"unknown: the interface was created by an AWS service (e.g. a VPC endpoint or Network Load Balancer)"),
	InterfaceID: str("interface-id", 2,
		"ID of the network interface whose traffic is recorded.",
		"-: traffic associated with a regional NAT gateway has no interface"),
	SrcAddr: {name: "srcaddr", version: 2, kind: KindAddr, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Source address of incoming traffic, or the interface's IPv4/IPv6 address for outgoing traffic (always the primary private IPv4; see pkt-srcaddr)."},
	DstAddr: {name: "dstaddr", version: 2, kind: KindAddr, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Destination address of outgoing traffic, or the interface's IPv4/IPv6 address for incoming traffic (always the primary private IPv4; see pkt-dstaddr)."},
	SrcPort: {name: "srcport", version: 2, kind: KindUint16, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc: "Source port of the traffic (0 for protocols without ports, e.g. ICMP)."},
	DstPort: {name: "dstport", version: 2, kind: KindUint16, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc: "Destination port of the traffic (0 for protocols without ports, e.g. ICMP)."},
	Protocol: {name: "protocol", version: 2, kind: KindUint8, athena: athBigint, parquet: pqInt32, source: srcRecords,
		desc:    "IANA protocol number of the traffic.",
		special: []string{"1: ICMP", "6: TCP", "17: UDP", "58: ICMPv6"}},
	Packets: {name: "packets", version: 2, kind: KindUint64, athena: athBigint, parquet: pqInt64, source: srcRecords,
		desc: "Number of packets transferred during the flow."},
	Bytes: {name: "bytes", version: 2, kind: KindUint64, athena: athBigint, parquet: pqInt64, source: srcRecords,
		desc: "Number of bytes transferred during the flow."},
	Start: {name: "start", version: 2, kind: KindTime, athena: athBigint, parquet: pqInt64, source: srcRecords,
		desc: "Unix seconds when the first packet of the flow was received in the aggregation interval (up to 60 s after it crossed the interface)."},
	End: {name: "end", version: 2, kind: KindTime, athena: athBigint, parquet: pqInt64, source: srcRecords,
		desc: "Unix seconds when the last packet of the flow was received in the aggregation interval (up to 60 s after it crossed the interface)."},
	Action: {name: "action", version: 2, kind: KindEnum, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Action associated with the traffic.",
		special: []string{
			"ACCEPT: the traffic was accepted",
			"REJECT: the traffic was rejected (security group or network ACL, or packets arriving after the connection closed)",
			"-: with NODATA or SKIPDATA",
		}},
	LogStatus: {name: "log-status", version: 2, kind: KindEnum, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Logging status of the flow log.",
		special: []string{
			"OK: data is logging normally",
			"NODATA: no traffic to or from the interface during the aggregation interval",
			"SKIPDATA: records were skipped during the aggregation interval (internal capacity or error); one line may stand for many flows",
		}},

	VpcID:    str("vpc-id", 3, "ID of the VPC that contains the network interface."),
	SubnetID: str("subnet-id", 3, "ID of the subnet that contains the network interface."),
	InstanceID: str("instance-id", 3,
		"ID of the instance associated with the network interface, if you own it.",
		"-: requester-managed interface, e.g. of a NAT gateway or transit gateway"),
	TCPFlags: {name: "tcp-flags", version: 3, kind: KindUint8, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc: "Bitmask of TCP flags seen, OR-ed over the aggregation interval.",
		special: []string{
			"1: FIN", "2: SYN", "4: RST", "18: SYN-ACK",
			"0: no supported flag recorded (ACK or PSH alone)",
			"3: SYN and FIN in one interval (short connection)",
			"19: SYN-ACK and FIN in one interval (short connection)",
		}},
	Type: {name: "type", version: 3, kind: KindEnum, athena: athString, parquet: pqString, source: srcRecords,
		desc:    "Type of traffic.",
		special: []string{"IPv4", "IPv6", "EFA: Elastic Fabric Adapter"}},
	PktSrcAddr: {name: "pkt-srcaddr", version: 3, kind: KindAddr, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Packet-level (original) source address; differs from srcaddr behind an intermediate layer such as a NAT gateway or an EKS pod."},
	PktDstAddr: {name: "pkt-dstaddr", version: 3, kind: KindAddr, athena: athString, parquet: pqString, source: srcRecords,
		desc: "Packet-level (original) destination address; differs from dstaddr behind an intermediate layer such as a NAT gateway or an EKS pod."},

	Region: str("region", 4, "Region that contains the network interface."),
	AZID: str("az-id", 4,
		"ID of the Availability Zone that contains the network interface.",
		"-: the traffic is from a sublocation"),
	SublocationType: str("sublocation-type", 4,
		"Type of the sublocation named in sublocation-id.",
		"wavelength", "outpost", "localzone", "-: the traffic is not from a sublocation"),
	SublocationID: str("sublocation-id", 4,
		"ID of the sublocation that contains the network interface.",
		"-: the traffic is not from a sublocation"),

	PktSrcAWSService: str("pkt-src-aws-service", 5,
		"AWS ip-ranges service code of pkt-srcaddr, if it belongs to an AWS service.",
		"an ip-ranges.json service code, e.g. AMAZON, S3, EC2, ROUTE53, CLOUDFRONT, DYNAMODB; only one is shown for overlapping ranges"),
	PktDstAWSService: str("pkt-dst-aws-service", 5,
		"AWS ip-ranges service code of pkt-dstaddr, if it belongs to an AWS service.",
		"an ip-ranges.json service code, as for pkt-src-aws-service"),
	FlowDirection: {name: "flow-direction", version: 5, kind: KindEnum, athena: athString, parquet: pqString, source: srcRecords,
		desc:    "Direction of the flow relative to the interface where traffic is captured.",
		special: []string{"ingress", "egress"}},
	TrafficPath: {name: "traffic-path", version: 5, kind: KindUint8, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc: "Path egress traffic takes to its destination.",
		special: []string{
			"1: through another resource in the same VPC, including resources that create a network interface",
			"2: through an internet gateway or a gateway VPC endpoint",
			"3: through a virtual private gateway",
			"4: through an intra-region VPC peering connection",
			"5: through an inter-region VPC peering connection",
			"6: through a local gateway",
			"7: through a gateway VPC endpoint (Nitro-based instances only)",
			"8: through an internet gateway (Nitro-based instances only)",
			"-: ingress traffic, or none of the above",
		}},

	ECSClusterARN:           ecs("ecs-cluster-arn", "ARN of the ECS cluster of the task that sent or received the traffic."),
	ECSClusterName:          ecs("ecs-cluster-name", "Name of the ECS cluster of the task."),
	ECSContainerInstanceARN: ecs("ecs-container-instance-arn", "ARN of the ECS container instance running the task.", "-: task on Fargate"),
	ECSContainerInstanceID:  ecs("ecs-container-instance-id", "ID of the ECS container instance running the task.", "-: task on Fargate"),
	ECSContainerID:          ecs("ecs-container-id", "Docker runtime ID of a container of the task."),
	ECSSecondContainerID:    ecs("ecs-second-container-id", "Docker runtime ID of a second container of the task, if there is one."),
	ECSServiceName:          ecs("ecs-service-name", "Name of the ECS service the task belongs to.", "-: the task was not started by a service"),
	ECSTaskDefinitionARN:    ecs("ecs-task-definition-arn", "ARN of the task definition of the task."),
	ECSTaskARN:              ecs("ecs-task-arn", "ARN of the ECS task."),
	ECSTaskID:               ecs("ecs-task-id", "ID of the ECS task."),

	RejectReason: str("reject-reason", 8,
		"Why the traffic was rejected, when the reason is not a security group or network ACL.",
		"BPA: blocked by VPC Block Public Access", "EC: blocked by VPC encryption controls", "-: any other case"),
	ResourceID: str("resource-id", 9,
		"ID of the resource the traffic is recorded for when it has no network interface of its own, e.g. a regional NAT gateway."),
	EncryptionStatus: {name: "encryption-status", version: 10, kind: KindUint8, athena: athInt, parquet: pqInt32, source: srcRecords,
		desc: "Whether the traffic was encrypted in transit.",
		special: []string{
			"0: cleartext",
			"1: encrypted by the Nitro system (layer 3)",
			"2: encrypted by the application (e.g. TLS on port 443 to an interface endpoint, encrypted Redshift)",
			"3: encrypted by both Nitro and the application",
			"-: unknown, or encryption controls are off",
		}},

	InstanceTag:   str("instance-tag", 11, "Value of the first instance tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded; may be stale during the first hour after a tag changes"),
	InstanceTag2:  str("instance-tag-2", 11, "Value of the second instance tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded"),
	InterfaceTag:  str("interface-tag", 11, "Value of the first network-interface tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded"),
	InterfaceTag2: str("interface-tag-2", 11, "Value of the second network-interface tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded"),
	ASGTag:        str("asg-tag", 11, "Value of the first Auto Scaling group tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded"),
	ASGTag2:       str("asg-tag-2", 11, "Value of the second Auto Scaling group tag key named in the flow log's TagFieldSpecifications.", "UTF-8 percent-encoded"),
	InterfaceType: str("interface-type", 11,
		"Type of the network interface whose traffic is recorded, for AWS-managed interfaces.",
		"nat_gateway", "network_load_balancer", "regional_nat_gateway", "transit_gateway", "vpc_endpoint"),
	NextHopInterfaceID:   str("next-hop-interface-id", 11, "ID of the next-hop network interface: the receiver of egress traffic, the sender of ingress traffic."),
	NextHopSubnetID:      str("next-hop-subnet-id", 11, "Subnet of the next-hop network interface."),
	NextHopAZID:          str("next-hop-az-id", 11, "Availability Zone ID of the next-hop network interface."),
	NextHopVpcID:         str("next-hop-vpc-id", 11, "VPC of the next-hop network interface."),
	NextHopInterfaceType: str("next-hop-interface-type", 11, "Type of the next-hop network interface, with the values of interface-type.", "e.g. regional_nat_gateway"),

	ResourceType: tgw("resource-type", "Type of the resource the flow log is on.", "TransitGateway", "TransitGatewayAttachment"),
	TGWID:        tgw("tgw-id", "ID of the transit gateway whose traffic is recorded."),
	TGWAttachmentID: tgw("tgw-attachment-id",
		"ID of the transit gateway attachment whose traffic is recorded."),
	TGWSrcVpcAccountID: tgw("tgw-src-vpc-account-id", "AWS account ID of the source VPC's traffic."),
	TGWDstVpcAccountID: tgw("tgw-dst-vpc-account-id", "AWS account ID of the destination VPC's traffic."),
	TGWSrcVpcID:        tgw("tgw-src-vpc-id", "ID of the source VPC of the traffic through the transit gateway."),
	TGWDstVpcID:        tgw("tgw-dst-vpc-id", "ID of the destination VPC of the traffic through the transit gateway."),
	TGWSrcSubnetID:     tgw("tgw-src-subnet-id", "ID of the subnet of the transit gateway's source traffic."),
	TGWDstSubnetID:     tgw("tgw-dst-subnet-id", "ID of the subnet of the transit gateway's destination traffic."),
	TGWSrcENI:          tgw("tgw-src-eni", "ID of the source transit gateway attachment's network interface for the flow."),
	TGWDstENI:          tgw("tgw-dst-eni", "ID of the destination transit gateway attachment's network interface for the flow."),
	TGWSrcAZID: tgw("tgw-src-az-id", "ID of the Availability Zone of the source transit gateway whose traffic is recorded.",
		"-: the traffic is from a sublocation"),
	TGWDstAZID: tgw("tgw-dst-az-id", "ID of the Availability Zone of the destination transit gateway whose traffic is recorded."),
	TGWPairAttachmentID: tgw("tgw-pair-attachment-id",
		"The flow's other attachment: the egress attachment of ingress traffic, the ingress attachment of egress traffic."),
	PacketsLostNoRoute:     lost("packets-lost-no-route", "Packets lost because no route matched."),
	PacketsLostBlackhole:   lost("packets-lost-blackhole", "Packets lost to a blackhole route."),
	PacketsLostMTUExceeded: lost("packets-lost-mtu-exceeded", "Packets lost because they exceeded the MTU."),
	PacketsLostTTLExpired:  lost("packets-lost-ttl-expired", "Packets lost because their time to live expired."),
}

// tgw is a string field only transit gateway flow logs record.
func tgw(name, desc string, special ...string) fieldInfo {
	fi := str(name, 6, desc, special...)
	fi.source = srcTGWRecords
	return fi
}

// lost is a transit gateway drop counter: INT_64 in Parquet, as packets.
func lost(name, desc string) fieldInfo {
	return fieldInfo{name: name, version: 6, kind: KindUint64, athena: athBigint, parquet: pqInt64, source: srcTGWRecords, desc: desc}
}

func ecs(name, desc string, special ...string) fieldInfo {
	fi := str(name, 7, desc+" Set for traffic of a running ECS task.", special...)
	fi.source = srcECSBlog
	return fi
}
