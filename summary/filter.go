package summary

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// Filter is the record filter the CLI's flags describe. Values within one
// field are alternatives (OR); fields combine with AND. The zero Filter
// matches every record.
type Filter struct {
	Actions    []string       // ACCEPT and/or REJECT
	Ports      []PortRange    // srcport or dstport in one of the ranges (tcpdump's "port")
	Protocols  []uint8        // IANA protocol numbers
	Src, Dst   []netip.Prefix // srcaddr / dstaddr in one of the prefixes (IPv4 or IPv6)
	Interfaces []string       // interface-id
	// Since and Until keep the records whose [start, end] overlaps
	// [Since, Until): end >= Since and start < Until. Zero leaves a side open.
	Since, Until time.Time
}

// PortRange is an inclusive range of ports.
type PortRange struct{ Lo, Hi uint16 }

// IsZero reports whether f matches every record.
func (f Filter) IsZero() bool {
	return len(f.Actions) == 0 && len(f.Ports) == 0 && len(f.Protocols) == 0 && len(f.Src) == 0 &&
		len(f.Dst) == 0 && len(f.Interfaces) == 0 && f.Since.IsZero() && f.Until.IsZero()
}

// Cond compiles f to one condition, used alike by every command.
func (f Filter) Cond() investigations.Cond {
	var and []investigations.Cond
	if len(f.Actions) > 0 {
		and = append(and, investigations.OneOf(flowlog.Action, f.Actions...))
	}
	if len(f.Ports) > 0 {
		var or []investigations.Cond
		for _, p := range f.Ports {
			for _, fld := range []flowlog.Field{flowlog.SrcPort, flowlog.DstPort} {
				if p.Lo == p.Hi {
					or = append(or, investigations.Compare(fld, investigations.Eq, uint64(p.Lo)))
				} else {
					or = append(or, investigations.Between(fld, uint64(p.Lo), uint64(p.Hi)))
				}
			}
		}
		and = append(and, investigations.Or(or...))
	}
	if len(f.Protocols) > 0 {
		vals := make([]string, len(f.Protocols))
		for i, p := range f.Protocols {
			vals[i] = strconv.Itoa(int(p))
		}
		and = append(and, investigations.OneOf(flowlog.Protocol, vals...))
	}
	for _, side := range []struct {
		fld flowlog.Field
		ps  []netip.Prefix
	}{{flowlog.SrcAddr, f.Src}, {flowlog.DstAddr, f.Dst}} {
		if len(side.ps) == 0 {
			continue
		}
		or := make([]investigations.Cond, len(side.ps))
		for i, p := range side.ps {
			or[i] = investigations.InPrefix(side.fld, p)
		}
		and = append(and, investigations.Or(or...))
	}
	if len(f.Interfaces) > 0 {
		and = append(and, investigations.OneOf(flowlog.InterfaceID, f.Interfaces...))
	}
	if !f.Since.IsZero() {
		and = append(and, investigations.TimeRange(flowlog.End, f.Since, time.Time{}))
	}
	if !f.Until.IsZero() {
		and = append(and, investigations.TimeRange(flowlog.Start, time.Time{}, f.Until))
	}
	return investigations.And(and...)
}

// ErrFilter is wrapped by the errors of the Parse functions.
var ErrFilter = errors.New("bad filter value")

// ParseActions parses "accept,reject" (any case).
func ParseActions(s string) ([]string, error) {
	var out []string
	for _, v := range splitList(s) {
		u := strings.ToUpper(v)
		if u != "ACCEPT" && u != "REJECT" {
			return nil, fmt.Errorf("%w: action %q: want ACCEPT or REJECT", ErrFilter, v)
		}
		out = append(out, u)
	}
	return out, nil
}

// ParsePorts parses "22,80,8000-8100".
func ParsePorts(s string) ([]PortRange, error) {
	var out []PortRange
	for _, v := range splitList(s) {
		lo, hi, isRange := strings.Cut(v, "-")
		if !isRange {
			hi = lo
		}
		l, err1 := strconv.ParseUint(lo, 10, 16)
		h, err2 := strconv.ParseUint(hi, 10, 16)
		if err1 != nil || err2 != nil || l > h {
			return nil, fmt.Errorf("%w: port %q: want a port (0-65535) or a range like 8000-8100", ErrFilter, v)
		}
		out = append(out, PortRange{uint16(l), uint16(h)})
	}
	return out, nil
}

var protocolNames = map[string]uint8{"icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "icmpv6": 58, "sctp": 132}

// ParseProtocols parses "tcp,udp,47": IANA numbers or the names icmp,
// tcp, udp, gre, esp, icmpv6, sctp.
func ParseProtocols(s string) ([]uint8, error) {
	var out []uint8
	for _, v := range splitList(s) {
		if n, ok := protocolNames[strings.ToLower(v)]; ok {
			out = append(out, n)
			continue
		}
		n, err := strconv.ParseUint(v, 10, 8)
		if err != nil {
			return nil, fmt.Errorf("%w: protocol %q: want a number (0-255) or icmp, tcp, udp, gre, esp, icmpv6, sctp", ErrFilter, v)
		}
		out = append(out, uint8(n))
	}
	return out, nil
}

// ParsePrefixes parses "10.0.0.0/8,2001:db8::/32,192.0.2.1": CIDR
// prefixes or single addresses, IPv4 or IPv6.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range splitList(s) {
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: want an IPv4 or IPv6 CIDR prefix or address", ErrFilter, v)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// ParseTime parses an absolute time (RFC 3339, e.g. 2024-03-01T12:00:00Z,
// or a date, 2024-03-01, as UTC midnight) or a time relative to now: a
// number and a unit, s, m, h or d (days of 24 hours), e.g. 90m, 2h, 7d,
// meaning that long before now.
func ParseTime(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if n := len(s); n >= 2 {
		unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[n-1]]
		if v, err := strconv.ParseUint(s[:n-1], 10, 32); err == nil && unit != 0 {
			return now.Add(-time.Duration(v) * unit).UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: time %q: want RFC 3339 (2024-03-01T12:00:00Z), a date (2024-03-01) or a duration before now (90m, 2h, 7d)", ErrFilter, s)
}

func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
