package flowlog

// Field identifies one flow-log field: an index into the registry of every
// field AWS documents for VPC, subnet, network-interface and transit
// gateway flow logs (see [Fields]). The zero Field is invalid; the exported
// constants are the valid ones. [Field.InVPCFlowLogs] and
// [Field.InTransitGatewayFlowLogs] tell which flow logs record a field.
type Field uint8

// The fields: first those of VPC flow logs, in the order of the "Available
// fields" table of the Amazon VPC User Guide
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html),
// then those only transit gateway flow logs record, in the order of their
// table (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records).
// The constant names are the Go spelling of the hyphenated field names.
const (
	_ Field = iota // the zero Field is invalid

	Version     // ${version}, v2
	AccountID   // ${account-id}, v2
	InterfaceID // ${interface-id}, v2
	SrcAddr     // ${srcaddr}, v2
	DstAddr     // ${dstaddr}, v2
	SrcPort     // ${srcport}, v2
	DstPort     // ${dstport}, v2
	Protocol    // ${protocol}, v2
	Packets     // ${packets}, v2
	Bytes       // ${bytes}, v2
	Start       // ${start}, v2
	End         // ${end}, v2
	Action      // ${action}, v2
	LogStatus   // ${log-status}, v2

	VpcID      // ${vpc-id}, v3
	SubnetID   // ${subnet-id}, v3
	InstanceID // ${instance-id}, v3
	TCPFlags   // ${tcp-flags}, v3
	Type       // ${type}, v3
	PktSrcAddr // ${pkt-srcaddr}, v3
	PktDstAddr // ${pkt-dstaddr}, v3

	Region          // ${region}, v4
	AZID            // ${az-id}, v4
	SublocationType // ${sublocation-type}, v4
	SublocationID   // ${sublocation-id}, v4

	PktSrcAWSService // ${pkt-src-aws-service}, v5
	PktDstAWSService // ${pkt-dst-aws-service}, v5
	FlowDirection    // ${flow-direction}, v5
	TrafficPath      // ${traffic-path}, v5

	ECSClusterARN           // ${ecs-cluster-arn}, v7
	ECSClusterName          // ${ecs-cluster-name}, v7
	ECSContainerInstanceARN // ${ecs-container-instance-arn}, v7
	ECSContainerInstanceID  // ${ecs-container-instance-id}, v7
	ECSContainerID          // ${ecs-container-id}, v7
	ECSSecondContainerID    // ${ecs-second-container-id}, v7
	ECSServiceName          // ${ecs-service-name}, v7
	ECSTaskDefinitionARN    // ${ecs-task-definition-arn}, v7
	ECSTaskARN              // ${ecs-task-arn}, v7
	ECSTaskID               // ${ecs-task-id}, v7

	RejectReason     // ${reject-reason}, v8
	ResourceID       // ${resource-id}, v9
	EncryptionStatus // ${encryption-status}, v10

	InstanceTag          // ${instance-tag}, v11
	InstanceTag2         // ${instance-tag-2}, v11
	InterfaceTag         // ${interface-tag}, v11
	InterfaceTag2        // ${interface-tag-2}, v11
	ASGTag               // ${asg-tag}, v11
	ASGTag2              // ${asg-tag-2}, v11
	InterfaceType        // ${interface-type}, v11
	NextHopInterfaceID   // ${next-hop-interface-id}, v11
	NextHopSubnetID      // ${next-hop-subnet-id}, v11
	NextHopAZID          // ${next-hop-az-id}, v11
	NextHopVpcID         // ${next-hop-vpc-id}, v11
	NextHopInterfaceType // ${next-hop-interface-type}, v11

	// Transit gateway flow logs only (version 6).
	ResourceType           // ${resource-type}, v6
	TGWID                  // ${tgw-id}, v6
	TGWAttachmentID        // ${tgw-attachment-id}, v6
	TGWSrcVpcAccountID     // ${tgw-src-vpc-account-id}, v6
	TGWDstVpcAccountID     // ${tgw-dst-vpc-account-id}, v6
	TGWSrcVpcID            // ${tgw-src-vpc-id}, v6
	TGWDstVpcID            // ${tgw-dst-vpc-id}, v6
	TGWSrcSubnetID         // ${tgw-src-subnet-id}, v6
	TGWDstSubnetID         // ${tgw-dst-subnet-id}, v6
	TGWSrcENI              // ${tgw-src-eni}, v6
	TGWDstENI              // ${tgw-dst-eni}, v6
	TGWSrcAZID             // ${tgw-src-az-id}, v6
	TGWDstAZID             // ${tgw-dst-az-id}, v6
	TGWPairAttachmentID    // ${tgw-pair-attachment-id}, v6
	PacketsLostNoRoute     // ${packets-lost-no-route}, v6
	PacketsLostBlackhole   // ${packets-lost-blackhole}, v6
	PacketsLostMTUExceeded // ${packets-lost-mtu-exceeded}, v6
	PacketsLostTTLExpired  // ${packets-lost-ttl-expired}, v6

	numFields // one past the last field
)

// NumFields is the number of fields in the registry.
const NumFields = int(numFields) - 1

// Kind is how a field's value is typed in a [Record].
type Kind uint8

// The value kinds.
const (
	KindInvalid Kind = iota
	KindUint8        // a small unsigned integer: version, protocol, tcp-flags, traffic-path, encryption-status
	KindUint16       // a port
	KindUint64       // a counter: packets, bytes, packets-lost-*
	KindTime         // Unix seconds: start, end
	KindAddr         // an IPv4 or IPv6 address ([net/netip.Addr])
	KindEnum         // a closed set of words: action, log-status, type, flow-direction
	KindString       // free text: IDs, ARNs, names, tags, and open sets of words
)

var kindNames = [...]string{"invalid", "uint8", "uint16", "uint64", "time", "addr", "enum", "string"}

// String returns the kind's name, e.g. "uint16".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Valid reports whether f is one of the registry's fields.
func (f Field) Valid() bool { return f > 0 && f < numFields }

func (f Field) info() *fieldInfo {
	if !f.Valid() {
		return &registry[0]
	}
	return &registry[f]
}

// Name returns the field's hyphenated AWS name, e.g. "account-id".
// It returns "" for an invalid Field.
func (f Field) Name() string { return f.info().name }

// String returns f.Name(), or "Field(n)" for an invalid Field.
func (f Field) String() string {
	if !f.Valid() {
		return "Field(" + itoa(int(f)) + ")"
	}
	return f.info().name
}

// Token returns the field as it appears in a LogFormat, e.g. "${account-id}".
func (f Field) Token() string { return f.info().token }

// Column returns the field's underscore column name, e.g. "account_id",
// as used by Athena, Glue and the Parquet files S3 delivery writes.
func (f Field) Column() string { return f.info().column }

// Version returns the flow-log version that introduced the field (2..11;
// 6 for the fields only transit gateway flow logs have).
func (f Field) Version() int { return int(f.info().version) }

// InVPCFlowLogs reports whether flow logs of VPCs, subnets and network
// interfaces record the field.
func (f Field) InVPCFlowLogs() bool { return f.Valid() && fieldOn[f]&onVPC != 0 }

// InTransitGatewayFlowLogs reports whether flow logs of transit gateways
// and their attachments record the field: the 18 fields they share with
// VPC flow logs and the 18 of their own (see [DefaultTransitGatewayFormat]).
func (f Field) InTransitGatewayFlowLogs() bool { return f.Valid() && fieldOn[f]&onTGW != 0 }

// Kind returns how the field's value is typed in a [Record].
func (f Field) Kind() Kind { return f.info().kind }

// AthenaType returns the column type for an Athena table over plain-text
// flow logs: "int", "bigint" or "string". Types follow the DDL in
// https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html;
// fields newer than v5 are not in that DDL and use "string", except
// encryption-status ("int").
func (f Field) AthenaType() string { return f.info().athena }

// ParquetType returns the physical type S3 delivery uses for the field in
// Parquet files: "INT_32", "INT_64" or "STRING", as listed in
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html.
func (f Field) ParquetType() string { return f.info().parquet }

// Description returns a one-line description of the field.
func (f Field) Description() string { return f.info().desc }

// SpecialValues returns the documented special values of the field with
// their meaning, e.g. "NODATA: no traffic during the aggregation interval".
// Every field may also be "-" (not applicable or not computed), which is
// not repeated here. The result is a copy.
func (f Field) SpecialValues() []string {
	return append([]string(nil), f.info().special...)
}

// Source returns the URL of the AWS documentation page that describes
// the field.
func (f Field) Source() string { return f.info().source }

// Fields returns every field of the registry in registry order: the VPC
// flow-log fields in the order of the AWS "Available fields" table, then
// the fields only transit gateway flow logs record. The slice is a copy.
func Fields() []Field {
	out := make([]Field, 0, NumFields)
	for f := Field(1); f < numFields; f++ {
		out = append(out, f)
	}
	return out
}

// FieldByName returns the field with the hyphenated AWS name, e.g. "srcaddr"
// or "account-id".
func FieldByName(name string) (Field, bool) {
	f, ok := byName[name]
	return f, ok
}

// FieldByColumn returns the field with the underscore column name, e.g.
// "account_id".
func FieldByColumn(col string) (Field, bool) {
	f, ok := byColumn[col]
	return f, ok
}

var (
	byName   = make(map[string]Field, NumFields)
	byColumn = make(map[string]Field, NumFields)
)

func init() {
	for f := Field(1); f < numFields; f++ {
		in := &registry[f]
		in.token = "${" + in.name + "}"
		col := []byte(in.name)
		for i, c := range col {
			if c == '-' {
				col[i] = '_'
			}
		}
		in.column = string(col)
		byName[in.name] = f
		byColumn[in.column] = f
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
