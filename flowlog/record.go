package flowlog

import (
	"net/netip"
	"strings"
	"time"
)

// Record is one flow-log record: typed values of the fields of a format.
//
// A field is present if the input had a value for it, and absent if the
// input had "-" (not applicable or not computed) or the format lacks it.
// Accessors of absent fields return the zero value; use [Record.Has] to
// tell an absent field from a zero one. Records are comparable with ==.
//
// String fields (IDs, ARNs, names, tags) are substrings of the parsed text.
// When the text came from a [Reader] with ReuseRecord set, they alias the
// Reader's buffer and are valid only until the next Read; see [Record.Clone].
type Record struct {
	has                                    fieldSet
	version, protocol, tcpFlags, path, enc uint8
	action                                 Verdict
	status                                 Status
	typ                                    AddrType
	dir                                    Direction
	srcPort, dstPort                       uint16
	packets, bytes                         uint64
	start, end                             int64
	srcAddr, dstAddr, pktSrc, pktDst       netip.Addr
	lost                                   [4]uint64 // packets-lost-no-route .. packets-lost-ttl-expired
	str                                    [numStrings]string
}

// numStrings is the number of KindString fields; init checks it.
const numStrings = 49

// strSlot maps a KindString field to its index in Record.str, or -1.
var strSlot [numFields]int8

func init() {
	n := 0
	for f := range strSlot {
		strSlot[f] = -1
		if Field(f).Valid() && Field(f).Kind() == KindString {
			strSlot[f] = int8(n)
			n++
		}
	}
	if n != numStrings {
		panic("flowlog: numStrings is " + itoa(numStrings) + ", registry has " + itoa(n))
	}
}

// Has reports whether the field f is present in r.
func (r *Record) Has(f Field) bool { return f.Valid() && r.has.has(f) }

// Present returns the number of present fields in r.
func (r *Record) Present() int { return r.has.len() }

// Reset makes every field of r absent.
func (r *Record) Reset() { *r = Record{} }

// Version returns the version field.
func (r *Record) Version() uint8 { return r.version }

// AccountID returns the account-id field.
func (r *Record) AccountID() string { return r.str[slotAccountID] }

// InterfaceID returns the interface-id field.
func (r *Record) InterfaceID() string { return r.str[slotInterfaceID] }

// SrcAddr returns the srcaddr field; the zero Addr if absent.
func (r *Record) SrcAddr() netip.Addr { return r.srcAddr }

// DstAddr returns the dstaddr field; the zero Addr if absent.
func (r *Record) DstAddr() netip.Addr { return r.dstAddr }

// SrcPort returns the srcport field.
func (r *Record) SrcPort() uint16 { return r.srcPort }

// DstPort returns the dstport field.
func (r *Record) DstPort() uint16 { return r.dstPort }

// Protocol returns the protocol field (an IANA protocol number).
func (r *Record) Protocol() uint8 { return r.protocol }

// Packets returns the packets field.
func (r *Record) Packets() uint64 { return r.packets }

// Bytes returns the bytes field.
func (r *Record) Bytes() uint64 { return r.bytes }

// StartUnix returns the start field in Unix seconds.
func (r *Record) StartUnix() int64 { return r.start }

// EndUnix returns the end field in Unix seconds.
func (r *Record) EndUnix() int64 { return r.end }

// Start returns the start field as a UTC time; the zero Time if absent.
func (r *Record) Start() time.Time { return unixTime(r.has.has(Start), r.start) }

// End returns the end field as a UTC time; the zero Time if absent.
func (r *Record) End() time.Time { return unixTime(r.has.has(End), r.end) }

func unixTime(ok bool, s int64) time.Time {
	if !ok {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// Action returns the action field; 0 if absent.
func (r *Record) Action() Verdict { return r.action }

// LogStatus returns the log-status field; 0 if absent.
func (r *Record) LogStatus() Status { return r.status }

// VpcID returns the vpc-id field.
func (r *Record) VpcID() string { return r.str[slotVpcID] }

// SubnetID returns the subnet-id field.
func (r *Record) SubnetID() string { return r.str[slotSubnetID] }

// InstanceID returns the instance-id field.
func (r *Record) InstanceID() string { return r.str[slotInstanceID] }

// TCPFlags returns the tcp-flags field.
func (r *Record) TCPFlags() Flags { return Flags(r.tcpFlags) }

// Type returns the type field; 0 if absent.
func (r *Record) Type() AddrType { return r.typ }

// PktSrcAddr returns the pkt-srcaddr field; the zero Addr if absent.
func (r *Record) PktSrcAddr() netip.Addr { return r.pktSrc }

// PktDstAddr returns the pkt-dstaddr field; the zero Addr if absent.
func (r *Record) PktDstAddr() netip.Addr { return r.pktDst }

// Region returns the region field.
func (r *Record) Region() string { return r.str[slotRegion] }

// AZID returns the az-id field.
func (r *Record) AZID() string { return r.str[slotAZID] }

// FlowDirection returns the flow-direction field; 0 if absent.
func (r *Record) FlowDirection() Direction { return r.dir }

// TrafficPath returns the traffic-path field; 0 if absent.
func (r *Record) TrafficPath() Path { return Path(r.path) }

// EncryptionStatus returns the encryption-status field. It returns
// Cleartext (0) when absent too: check Has(EncryptionStatus).
func (r *Record) EncryptionStatus() Encryption { return Encryption(r.enc) }

// PacketsLost returns the transit gateway drop counter f
// (PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded or
// PacketsLostTTLExpired); 0 if absent or f is another field.
func (r *Record) PacketsLost(f Field) uint64 {
	if f < PacketsLostNoRoute || f > PacketsLostTTLExpired {
		return 0
	}
	return r.lost[f-PacketsLostNoRoute]
}

// Str returns the value of a string-kind field (IDs, ARNs, names,
// tags, region, reject-reason, resource-type, tgw-* ...), "" if absent or
// not a string field.
func (r *Record) Str(f Field) string {
	if !f.Valid() || strSlot[f] < 0 {
		return ""
	}
	return r.str[strSlot[f]]
}

var (
	slotAccountID   = strSlot0(AccountID)
	slotInterfaceID = strSlot0(InterfaceID)
	slotVpcID       = strSlot0(VpcID)
	slotSubnetID    = strSlot0(SubnetID)
	slotInstanceID  = strSlot0(InstanceID)
	slotRegion      = strSlot0(Region)
	slotAZID        = strSlot0(AZID)
)

// strSlot0 computes a string slot during package initialisation, before
// init functions run.
func strSlot0(f Field) int {
	n := 0
	for g := Field(1); g < f; g++ {
		if registry[g].kind == KindString {
			n++
		}
	}
	return n
}

// Clone returns a copy of r whose strings do not alias any buffer. It
// makes at most one allocation.
func (r *Record) Clone() Record {
	c := *r
	n := 0
	for _, s := range r.str {
		n += len(s)
	}
	if n == 0 {
		return c
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range r.str {
		b.WriteString(s)
	}
	all := b.String()
	off := 0
	for i, s := range r.str {
		c.str[i] = all[off : off+len(s)]
		off += len(s)
	}
	return c
}

// clear makes f absent.
func (r *Record) clear(f Field) {
	r.has.del(f)
	switch f {
	case Version:
		r.version = 0
	case Protocol:
		r.protocol = 0
	case TCPFlags:
		r.tcpFlags = 0
	case TrafficPath:
		r.path = 0
	case EncryptionStatus:
		r.enc = 0
	case Action:
		r.action = 0
	case LogStatus:
		r.status = 0
	case Type:
		r.typ = 0
	case FlowDirection:
		r.dir = 0
	case SrcPort:
		r.srcPort = 0
	case DstPort:
		r.dstPort = 0
	case Packets:
		r.packets = 0
	case Bytes:
		r.bytes = 0
	case Start:
		r.start = 0
	case End:
		r.end = 0
	case SrcAddr:
		r.srcAddr = netip.Addr{}
	case DstAddr:
		r.dstAddr = netip.Addr{}
	case PktSrcAddr:
		r.pktSrc = netip.Addr{}
	case PktDstAddr:
		r.pktDst = netip.Addr{}
	case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
		r.lost[f-PacketsLostNoRoute] = 0
	default:
		if f.Valid() {
			r.str[strSlot[f]] = ""
		}
	}
}
