package flowlog

import "strconv"

// Verdict is the value of the action field.
// The zero Verdict means absent.
type Verdict uint8

// Verdicts (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	Accept Verdict = 1 // ACCEPT: the traffic was accepted
	Reject Verdict = 2 // REJECT: the traffic was rejected
)

// String returns "ACCEPT", "REJECT", or "-" for the zero Verdict.
func (v Verdict) String() string {
	switch v {
	case Accept:
		return "ACCEPT"
	case Reject:
		return "REJECT"
	}
	return "-"
}

// Status is the value of the log-status field.
// The zero Status means absent.
type Status uint8

// Log statuses (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	StatusOK       Status = 1 // OK: data is logging normally
	StatusNoData   Status = 2 // NODATA: no traffic in the aggregation interval
	StatusSkipData Status = 3 // SKIPDATA: records were skipped in the aggregation interval
)

// String returns "OK", "NODATA", "SKIPDATA", or "-" for the zero Status.
func (s Status) String() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusNoData:
		return "NODATA"
	case StatusSkipData:
		return "SKIPDATA"
	}
	return "-"
}

// AddrType is the value of the type field.
// The zero AddrType means absent.
type AddrType uint8

// Traffic types (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	TypeIPv4 AddrType = 1 // IPv4
	TypeIPv6 AddrType = 2 // IPv6
	TypeEFA  AddrType = 3 // EFA: Elastic Fabric Adapter traffic
)

// String returns "IPv4", "IPv6", "EFA", or "-" for the zero AddrType.
func (t AddrType) String() string {
	switch t {
	case TypeIPv4:
		return "IPv4"
	case TypeIPv6:
		return "IPv6"
	case TypeEFA:
		return "EFA"
	}
	return "-"
}

// Direction is the value of the flow-direction field.
// The zero Direction means absent.
type Direction uint8

// Flow directions (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	Ingress Direction = 1 // ingress
	Egress  Direction = 2 // egress
)

// String returns "ingress", "egress", or "-" for the zero Direction.
func (d Direction) String() string {
	switch d {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	}
	return "-"
}

// Path is the value of the traffic-path field: how egress traffic left.
// Values other than the constants are kept as they are.
type Path uint8

// Traffic paths (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	PathSameVPC              Path = 1 // another resource in the same VPC
	PathInternetGateway      Path = 2 // an internet gateway or a gateway VPC endpoint
	PathVirtualGateway       Path = 3 // a virtual private gateway
	PathIntraRegionPeering   Path = 4 // an intra-region VPC peering connection
	PathInterRegionPeering   Path = 5 // an inter-region VPC peering connection
	PathLocalGateway         Path = 6 // a local gateway
	PathGatewayEndpointNitro Path = 7 // a gateway VPC endpoint (Nitro-based instances only)
	PathInternetGatewayNitro Path = 8 // an internet gateway (Nitro-based instances only)
)

var pathNames = [...]string{"", "same-vpc", "internet-gateway", "virtual-private-gateway",
	"intra-region-peering", "inter-region-peering", "local-gateway",
	"gateway-endpoint", "internet-gateway-nitro"}

// String returns a short name such as "internet-gateway", or the number
// for an undocumented code.
func (p Path) String() string {
	if p > 0 && int(p) < len(pathNames) {
		return pathNames[p]
	}
	return strconv.Itoa(int(p))
}

// Encryption is the value of the encryption-status field.
// Values other than the constants are kept as they are.
type Encryption uint8

// Encryption statuses (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	Cleartext            Encryption = 0 // not encrypted
	NitroEncrypted       Encryption = 1 // encrypted by the Nitro system
	ApplicationEncrypted Encryption = 2 // encrypted by the application (e.g. TLS)
	NitroAndApplication  Encryption = 3 // encrypted by both
)

var encNames = [...]string{"cleartext", "nitro", "application", "nitro+application"}

// String returns "cleartext", "nitro", "application", "nitro+application",
// or the number for an undocumented code.
func (e Encryption) String() string {
	if int(e) < len(encNames) {
		return encNames[e]
	}
	return strconv.Itoa(int(e))
}

// Flags is the value of the tcp-flags field: a bitmask OR-ed over the
// aggregation interval. AWS records FIN, SYN, RST and SYN-ACK; ACK and PSH
// on their own give 0
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
type Flags uint8

// TCP flag bits.
const (
	FlagFIN    Flags = 1  // FIN
	FlagSYN    Flags = 2  // SYN
	FlagRST    Flags = 4  // RST
	FlagACK    Flags = 16 // ACK; recorded only as part of SYN-ACK
	FlagSYNACK Flags = FlagSYN | FlagACK
)

// Has reports whether every bit of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String returns the flags joined by "|", e.g. "SYN-ACK|FIN", "0" for no
// flags, with any undocumented bits as a trailing number.
func (f Flags) String() string {
	if f == 0 {
		return "0"
	}
	var b []byte
	add := func(s string) {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, s...)
	}
	rest := f
	if f.Has(FlagSYNACK) {
		add("SYN-ACK")
		rest &^= FlagSYNACK
	} else if f.Has(FlagSYN) {
		add("SYN")
		rest &^= FlagSYN
	}
	if f.Has(FlagFIN) {
		add("FIN")
		rest &^= FlagFIN
	}
	if f.Has(FlagRST) {
		add("RST")
		rest &^= FlagRST
	}
	if rest != 0 {
		add(strconv.Itoa(int(rest)))
	}
	return string(b)
}
