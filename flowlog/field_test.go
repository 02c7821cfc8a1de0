package flowlog

import (
	"strings"
	"testing"
)

func TestRegistryComplete(t *testing.T) {
	fs := Fields()
	if len(fs) != NumFields {
		t.Fatalf("Fields() has %d fields, want %d", len(fs), NumFields)
	}
	athena := map[string]bool{"int": true, "bigint": true, "string": true}
	parquet := map[string]bool{"INT_32": true, "INT_64": true, "STRING": true}
	for i, f := range fs {
		if f != Field(i+1) {
			t.Errorf("Fields()[%d] = %v, want registry order", i, f)
		}
		if f.Name() == "" || f.Description() == "" || f.Source() == "" || f.Kind() == KindInvalid {
			t.Errorf("%d: incomplete registry entry %+v", f, *f.info())
		}
		// Version 6 is the transit gateway fields' alone.
		if v := f.Version(); v < 2 || v > 11 || (v == 6) != (f >= ResourceType) {
			t.Errorf("%s: version %d", f, v)
		}
		if f.InVPCFlowLogs() == (f >= ResourceType) || (f >= ResourceType && !f.InTransitGatewayFlowLogs()) {
			t.Errorf("%s: VPC %v, transit gateway %v", f, f.InVPCFlowLogs(), f.InTransitGatewayFlowLogs())
		}
		if !athena[f.AthenaType()] || !parquet[f.ParquetType()] {
			t.Errorf("%s: types %q %q", f, f.AthenaType(), f.ParquetType())
		}
		if f.Token() != "${"+f.Name()+"}" || f.Column() != strings.ReplaceAll(f.Name(), "-", "_") || f.String() != f.Name() {
			t.Errorf("%s: token %q column %q", f, f.Token(), f.Column())
		}
		if g, ok := FieldByName(f.Name()); !ok || g != f {
			t.Errorf("FieldByName(%q) = %v, %v", f.Name(), g, ok)
		}
		if g, ok := FieldByColumn(f.Column()); !ok || g != f {
			t.Errorf("FieldByColumn(%q) = %v, %v", f.Column(), g, ok)
		}
	}
	fs[0] = End
	if Fields()[0] != Version {
		t.Error("Fields() is not a copy")
	}
	if Field(0).Valid() || Field(numFields).Valid() || Field(0).Name() != "" || Field(200).String() != "Field(200)" {
		t.Error("invalid fields")
	}
}

// TestRegistryFacts pins every field of the registry (name, version, kind,
// Athena type, Parquet type) to the AWS pages, transcribed from them rather
// than from registry.go:
//
//   - versions and Parquet data types: the Available fields table of
//     https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
//     ("Parquet data type: INT_32" etc. in each v2..v5 row);
//   - Athena types: the CREATE EXTERNAL TABLE statement of
//     https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html
//     (v2..v5 columns; note protocol is bigint there but INT_32 in Parquet);
//   - the ten v7 ECS fields: the whats-new post
//     https://aws.amazon.com/about-aws/whats-new/2024/05/amazon-vpc-flow-logs-extends-support-ecs/;
//   - v8..v11: the fields table as quoted by secondary sources (see
//     registry.go's known gaps). AWS publishes no Athena DDL for v7+ and
//     no Parquet types for v8+ in what we could read; for those the
//     table states the project's choice (string / STRING, int / INT_32
//     for the numeric encryption-status), marked "choice".
//
// Kinds follow the documented values: ports are 0..65535 (uint16), the
// small codes (version 2..11, IANA protocol numbers 0..255, the tcp-flags
// bitmask of FIN 1, SYN 2, RST 4, SYN-ACK 18, traffic-path 1..8,
// encryption-status 0..3) fit uint8, packets and bytes are counters, start
// and end Unix seconds, the four closed sets of words (ACCEPT|REJECT,
// OK|NODATA|SKIPDATA, IPv4|IPv6|EFA, ingress|egress) enums, and IDs, ARNs,
// names, tags and open sets of words (pkt-*-aws-service, interface-type,
// reject-reason) strings.
func TestRegistryFacts(t *testing.T) {
	const (
		u8, u16, u64, tm, addr, enum, str = KindUint8, KindUint16, KindUint64, KindTime, KindAddr, KindEnum, KindString
	)
	tests := []struct {
		f       Field
		name    string
		version int
		kind    Kind
		athena  string
		parquet string
	}{
		{Version, "version", 2, u8, "int", "INT_32"},
		{AccountID, "account-id", 2, str, "string", "STRING"},
		{InterfaceID, "interface-id", 2, str, "string", "STRING"},
		{SrcAddr, "srcaddr", 2, addr, "string", "STRING"},
		{DstAddr, "dstaddr", 2, addr, "string", "STRING"},
		{SrcPort, "srcport", 2, u16, "int", "INT_32"},
		{DstPort, "dstport", 2, u16, "int", "INT_32"},
		{Protocol, "protocol", 2, u8, "bigint", "INT_32"},
		{Packets, "packets", 2, u64, "bigint", "INT_64"},
		{Bytes, "bytes", 2, u64, "bigint", "INT_64"},
		{Start, "start", 2, tm, "bigint", "INT_64"},
		{End, "end", 2, tm, "bigint", "INT_64"},
		{Action, "action", 2, enum, "string", "STRING"},
		{LogStatus, "log-status", 2, enum, "string", "STRING"},

		{VpcID, "vpc-id", 3, str, "string", "STRING"},
		{SubnetID, "subnet-id", 3, str, "string", "STRING"},
		{InstanceID, "instance-id", 3, str, "string", "STRING"},
		{TCPFlags, "tcp-flags", 3, u8, "int", "INT_32"},
		{Type, "type", 3, enum, "string", "STRING"},
		{PktSrcAddr, "pkt-srcaddr", 3, addr, "string", "STRING"},
		{PktDstAddr, "pkt-dstaddr", 3, addr, "string", "STRING"},

		{Region, "region", 4, str, "string", "STRING"},
		{AZID, "az-id", 4, str, "string", "STRING"},
		{SublocationType, "sublocation-type", 4, str, "string", "STRING"},
		{SublocationID, "sublocation-id", 4, str, "string", "STRING"},

		{PktSrcAWSService, "pkt-src-aws-service", 5, str, "string", "STRING"},
		{PktDstAWSService, "pkt-dst-aws-service", 5, str, "string", "STRING"},
		{FlowDirection, "flow-direction", 5, enum, "string", "STRING"},
		{TrafficPath, "traffic-path", 5, u8, "int", "INT_32"},

		// v7: names and version from the whats-new post; types: choice.
		{ECSClusterARN, "ecs-cluster-arn", 7, str, "string", "STRING"},
		{ECSClusterName, "ecs-cluster-name", 7, str, "string", "STRING"},
		{ECSContainerInstanceARN, "ecs-container-instance-arn", 7, str, "string", "STRING"},
		{ECSContainerInstanceID, "ecs-container-instance-id", 7, str, "string", "STRING"},
		{ECSContainerID, "ecs-container-id", 7, str, "string", "STRING"},
		{ECSSecondContainerID, "ecs-second-container-id", 7, str, "string", "STRING"},
		{ECSServiceName, "ecs-service-name", 7, str, "string", "STRING"},
		{ECSTaskDefinitionARN, "ecs-task-definition-arn", 7, str, "string", "STRING"},
		{ECSTaskARN, "ecs-task-arn", 7, str, "string", "STRING"},
		{ECSTaskID, "ecs-task-id", 7, str, "string", "STRING"},

		// v8..v11: versions from the fields table; types: choice.
		{RejectReason, "reject-reason", 8, str, "string", "STRING"},
		{ResourceID, "resource-id", 9, str, "string", "STRING"},
		{EncryptionStatus, "encryption-status", 10, u8, "int", "INT_32"},
		{InstanceTag, "instance-tag", 11, str, "string", "STRING"},
		{InstanceTag2, "instance-tag-2", 11, str, "string", "STRING"},
		{InterfaceTag, "interface-tag", 11, str, "string", "STRING"},
		{InterfaceTag2, "interface-tag-2", 11, str, "string", "STRING"},
		{ASGTag, "asg-tag", 11, str, "string", "STRING"},
		{ASGTag2, "asg-tag-2", 11, str, "string", "STRING"},
		{InterfaceType, "interface-type", 11, str, "string", "STRING"},
		{NextHopInterfaceID, "next-hop-interface-id", 11, str, "string", "STRING"},
		{NextHopSubnetID, "next-hop-subnet-id", 11, str, "string", "STRING"},
		{NextHopAZID, "next-hop-az-id", 11, str, "string", "STRING"},
		{NextHopVpcID, "next-hop-vpc-id", 11, str, "string", "STRING"},
		{NextHopInterfaceType, "next-hop-interface-type", 11, str, "string", "STRING"},

		// Transit gateway flow logs only: names, version 6 and Parquet types
		// from the Transit Gateways guide's fields table; Athena types: choice.
		{ResourceType, "resource-type", 6, str, "string", "STRING"},
		{TGWID, "tgw-id", 6, str, "string", "STRING"},
		{TGWAttachmentID, "tgw-attachment-id", 6, str, "string", "STRING"},
		{TGWSrcVpcAccountID, "tgw-src-vpc-account-id", 6, str, "string", "STRING"},
		{TGWDstVpcAccountID, "tgw-dst-vpc-account-id", 6, str, "string", "STRING"},
		{TGWSrcVpcID, "tgw-src-vpc-id", 6, str, "string", "STRING"},
		{TGWDstVpcID, "tgw-dst-vpc-id", 6, str, "string", "STRING"},
		{TGWSrcSubnetID, "tgw-src-subnet-id", 6, str, "string", "STRING"},
		{TGWDstSubnetID, "tgw-dst-subnet-id", 6, str, "string", "STRING"},
		{TGWSrcENI, "tgw-src-eni", 6, str, "string", "STRING"},
		{TGWDstENI, "tgw-dst-eni", 6, str, "string", "STRING"},
		{TGWSrcAZID, "tgw-src-az-id", 6, str, "string", "STRING"},
		{TGWDstAZID, "tgw-dst-az-id", 6, str, "string", "STRING"},
		{TGWPairAttachmentID, "tgw-pair-attachment-id", 6, str, "string", "STRING"},
		{PacketsLostNoRoute, "packets-lost-no-route", 6, KindUint64, "bigint", "INT_64"},
		{PacketsLostBlackhole, "packets-lost-blackhole", 6, KindUint64, "bigint", "INT_64"},
		{PacketsLostMTUExceeded, "packets-lost-mtu-exceeded", 6, KindUint64, "bigint", "INT_64"},
		{PacketsLostTTLExpired, "packets-lost-ttl-expired", 6, KindUint64, "bigint", "INT_64"},
	}
	seen := map[Field]bool{}
	for _, tt := range tests {
		seen[tt.f] = true
		f := tt.f
		if f.Name() != tt.name || f.Version() != tt.version || f.Kind() != tt.kind || f.AthenaType() != tt.athena || f.ParquetType() != tt.parquet {
			t.Errorf("%v: registry has %s v%d %s %s %s, the AWS pages say %s v%d %s %s %s", int(f),
				f.Name(), f.Version(), f.Kind(), f.AthenaType(), f.ParquetType(),
				tt.name, tt.version, tt.kind, tt.athena, tt.parquet)
		}
	}
	// Every field of the registry is pinned: a new field needs its facts here.
	for _, f := range Fields() {
		if !seen[f] {
			t.Errorf("%s is not in TestRegistryFacts", f)
		}
	}
	if len(tests) != NumFields || len(seen) != NumFields {
		t.Errorf("%d facts for %d distinct fields, want %d", len(tests), len(seen), NumFields)
	}
	// The default format is the v2 fields in the table's order.
	if got := DefaultFormat().Header(); got != "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status" {
		t.Errorf("default format %q", got)
	}
}

func TestSpecialValuesCopy(t *testing.T) {
	s := LogStatus.SpecialValues()
	if len(s) != 3 || !strings.HasPrefix(s[1], "NODATA") {
		t.Fatalf("LogStatus.SpecialValues() = %q", s)
	}
	s[0] = "x"
	if LogStatus.SpecialValues()[0] == "x" {
		t.Error("SpecialValues is not a copy")
	}
	if len(TrafficPath.SpecialValues()) != 9 || len(EncryptionStatus.SpecialValues()) != 5 {
		t.Error("traffic-path or encryption-status special values incomplete")
	}
}
