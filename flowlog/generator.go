package flowlog

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
)

// Generator makes random but plausible records in a format, for tests,
// benchmarks and load generation. The same seed and format always give the
// same records. About 3% of records are NODATA and 1% SKIPDATA (with the
// packet fields absent, as AWS writes them), and about 10% carry IPv6
// addresses. Generating a record does not allocate: string values come from
// pools made by NewGenerator.
//
// A Generator is not safe for concurrent use.
type Generator struct {
	f   Format
	rng *rand.Rand

	accounts, enis, vpcs, subnets, instances []string
	regions, azs, services, words            []string
	tgws, attachments                        []string
	v4                                       []netip.Addr
	v6                                       []netip.Addr
	t                                        int64
}

// NewGenerator returns a generator of records in format f, seeded by seed.
func NewGenerator(seed uint64, f Format) *Generator {
	g := &Generator{f: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), t: 1_700_000_000}
	hex := func(prefix string, n int) string {
		b := []byte(prefix)
		for range n {
			b = append(b, "0123456789abcdef"[g.rng.IntN(16)])
		}
		return string(b)
	}
	for range 4 {
		g.accounts = append(g.accounts, strconv.FormatUint(100000000000+g.rng.Uint64N(900000000000), 10))
		g.vpcs = append(g.vpcs, hex("vpc-", 17))
		g.regions = append(g.regions, []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"}[len(g.regions)])
	}
	for range 16 {
		g.subnets = append(g.subnets, hex("subnet-", 17))
		g.azs = append(g.azs, []string{"use1-az1", "use1-az2", "euw1-az3", "apse2-az1"}[g.rng.IntN(4)])
	}
	for range 64 {
		g.enis = append(g.enis, hex("eni-", 17))
		g.instances = append(g.instances, hex("i-", 17))
		g.words = append(g.words, hex("", 12))
	}
	g.services = []string{"AMAZON", "S3", "EC2", "DYNAMODB", "ROUTE53", "CLOUDFRONT"}
	// Transit gateway IDs from a source of their own, so that adding them
	// left the records of every VPC format as they were.
	trng := rand.New(rand.NewPCG(seed^0x5bd1e9955bd1e995, seed))
	for i := range 8 {
		b := []byte("tgw-attach-")
		if i < 2 {
			b = []byte("tgw-")
		}
		for range 17 {
			b = append(b, "0123456789abcdef"[trng.IntN(16)])
		}
		if i < 2 {
			g.tgws = append(g.tgws, string(b))
		} else {
			g.attachments = append(g.attachments, string(b))
		}
	}
	for range 256 {
		var a [4]byte
		if g.rng.IntN(2) == 0 {
			a = [4]byte{10, byte(g.rng.IntN(4)), byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))}
		} else {
			a = [4]byte{byte(1 + g.rng.IntN(223)), byte(g.rng.IntN(256)), byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))}
		}
		g.v4 = append(g.v4, netip.AddrFrom4(a))
		var b [16]byte
		b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
		for i := 8; i < 16; i++ {
			b[i] = byte(g.rng.IntN(256))
		}
		g.v6 = append(g.v6, netip.AddrFrom16(b))
	}
	return g
}

// Format returns the generator's format.
func (g *Generator) Format() Format { return g.f }

// Record returns the next record.
func (g *Generator) Record() Record {
	var r Record
	g.Next(&r)
	return r
}

var packetFields = setOf(SrcAddr, DstAddr, SrcPort, DstPort, Protocol,
	Packets, Bytes, Action, TCPFlags, Type, PktSrcAddr, PktDstAddr,
	FlowDirection, TrafficPath, EncryptionStatus, RejectReason,
	PktSrcAWSService, PktDstAWSService,
	PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired)

// Next replaces the contents of r with the next record.
func (g *Generator) Next(r *Record) {
	*r = Record{}
	rng := g.rng
	status := StatusOK
	switch p := rng.IntN(100); {
	case p < 3:
		status = StatusNoData
	case p < 4:
		status = StatusSkipData
	}
	v6 := rng.IntN(10) == 0
	addr := func() netip.Addr {
		if v6 {
			return g.v6[rng.IntN(len(g.v6))]
		}
		return g.v4[rng.IntN(len(g.v4))]
	}
	g.t += int64(rng.IntN(3))
	start := g.t
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	src, dst := addr(), addr()
	proto := []uint8{6, 6, 6, 17, 17, 1}[rng.IntN(6)]
	if v6 && proto == 1 {
		proto = 58
	}
	for _, fld := range g.f.fields[:g.f.n] {
		if status != StatusOK && packetFields.has(fld) {
			continue // absent, as in NODATA/SKIPDATA records
		}
		switch fld {
		case Version:
			_ = r.SetUint(fld, uint64(max(g.f.version, 2)))
		case SrcAddr, PktSrcAddr:
			_ = r.SetAddr(fld, src)
		case DstAddr, PktDstAddr:
			_ = r.SetAddr(fld, dst)
		case SrcPort:
			if proto == 6 || proto == 17 {
				_ = r.SetUint(fld, uint64([]int{443, 80, 22, 53, 5432}[rng.IntN(5)]))
			} else {
				_ = r.SetUint(fld, 0)
			}
		case DstPort:
			if proto == 6 || proto == 17 {
				_ = r.SetUint(fld, uint64(1024+rng.IntN(64511)))
			} else {
				_ = r.SetUint(fld, 0)
			}
		case Protocol:
			_ = r.SetUint(fld, uint64(proto))
		case Packets:
			_ = r.SetUint(fld, uint64(1+rng.IntN(200)))
		case Bytes:
			_ = r.SetUint(fld, uint64(40+rng.IntN(300000)))
		case Start:
			_ = r.SetUint(fld, uint64(start))
		case End:
			_ = r.SetUint(fld, uint64(start+int64(rng.IntN(61))))
		case Action:
			_ = r.SetUint(fld, uint64(1+rng.IntN(8)/7)) // ~1/8 REJECT
		case LogStatus:
			_ = r.SetUint(fld, uint64(status))
		case TCPFlags:
			if proto == 6 {
				_ = r.SetUint(fld, uint64([]Flags{0, FlagSYN, FlagSYNACK, FlagFIN, FlagRST, FlagSYN | FlagFIN, FlagSYNACK | FlagFIN}[rng.IntN(7)]))
			} else {
				_ = r.SetUint(fld, 0)
			}
		case Type:
			if v6 {
				_ = r.SetUint(fld, uint64(TypeIPv6))
			} else {
				_ = r.SetUint(fld, uint64(TypeIPv4))
			}
		case FlowDirection:
			_ = r.SetUint(fld, uint64(1+rng.IntN(2)))
		case TrafficPath:
			if rng.IntN(2) == 0 {
				_ = r.SetUint(fld, uint64(1+rng.IntN(8)))
			}
		case EncryptionStatus:
			_ = r.SetUint(fld, uint64(rng.IntN(4)))
		case AccountID:
			r.setStr(fld, pick(g.accounts))
		case InterfaceID, NextHopInterfaceID:
			r.setStr(fld, pick(g.enis))
		case VpcID, NextHopVpcID:
			r.setStr(fld, pick(g.vpcs))
		case SubnetID, NextHopSubnetID:
			r.setStr(fld, pick(g.subnets))
		case InstanceID:
			if rng.IntN(8) != 0 {
				r.setStr(fld, pick(g.instances))
			}
		case Region:
			r.setStr(fld, pick(g.regions))
		case AZID, NextHopAZID:
			r.setStr(fld, pick(g.azs))
		case PktSrcAWSService, PktDstAWSService:
			if rng.IntN(4) == 0 {
				r.setStr(fld, pick(g.services))
			}
		case SublocationType, SublocationID:
			// almost always "-"
		case RejectReason:
			if rng.IntN(50) == 0 {
				r.setStr(fld, "BPA")
			}
		case ResourceType:
			r.setStr(fld, []string{"TransitGateway", "TransitGatewayAttachment"}[rng.IntN(2)])
		case TGWID:
			r.setStr(fld, pick(g.tgws))
		case TGWAttachmentID, TGWPairAttachmentID:
			r.setStr(fld, pick(g.attachments))
		case TGWSrcVpcAccountID, TGWDstVpcAccountID:
			r.setStr(fld, pick(g.accounts))
		case TGWSrcVpcID, TGWDstVpcID:
			r.setStr(fld, pick(g.vpcs))
		case TGWSrcSubnetID, TGWDstSubnetID:
			r.setStr(fld, pick(g.subnets))
		case TGWSrcENI, TGWDstENI:
			r.setStr(fld, pick(g.enis))
		case TGWSrcAZID, TGWDstAZID:
			r.setStr(fld, pick(g.azs))
		case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
			n := 0
			if rng.IntN(16) == 0 {
				n = 1 + rng.IntN(100)
			}
			_ = r.SetUint(fld, uint64(n))
		case InterfaceType, NextHopInterfaceType:
			if rng.IntN(4) == 0 {
				r.setStr(fld, []string{"nat_gateway", "network_load_balancer", "vpc_endpoint", "transit_gateway"}[rng.IntN(4)])
			}
		default:
			if rng.IntN(2) == 0 {
				r.setStr(fld, pick(g.words))
			}
		}
	}
}

// setStr sets a string field to a value known to be valid.
func (r *Record) setStr(f Field, s string) {
	r.str[strSlot[f]] = s
	r.has.add(f)
}
