package flowlog

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// ParseRecord parses one line in format f. See [ParseLine].
func ParseRecord(line string, f Format) (Record, error) {
	var r Record
	err := ParseLine(line, f, &r)
	return r, err
}

// ParseLine parses one line in format f into r, replacing its contents. It
// does not allocate unless it fails: string fields of r become substrings
// of line.
//
// Fields are separated by runs of spaces; leading and trailing spaces and a
// trailing "\n" or "\r\n" are ignored. "-" makes a field absent. Other
// control characters are errors. On error, r is reset and the error is a
// *ParseError with Line 0.
func ParseLine(line string, f Format, r *Record) error {
	if f.n == 0 {
		r.Reset()
		return &ParseError{Err: ErrNoFormat}
	}
	if r.has&^f.mask != 0 {
		*r = Record{}
	}
	n := len(line)
	for n > 0 && (line[n-1] == '\n' || line[n-1] == '\r') {
		n--
	}
	line = line[:n]
	var has uint64
	i := 0
	for k, fld := range f.fields[:f.n] {
		for i < n && line[i] == ' ' {
			i++
		}
		if i == n {
			r.Reset()
			return &ParseError{Field: k + 1, Name: fld.Name(), Err: ErrFieldCount,
				Msg: "got " + itoa(k) + " fields, want " + itoa(int(f.n))}
		}
		j := i
		for j < n && line[j] > ' ' {
			j++
		}
		if j < n && line[j] != ' ' {
			r.Reset()
			return &ParseError{Field: k + 1, Name: fld.Name(), Text: errText(line[i : j+1]), Err: ErrSyntax, Msg: "control character"}
		}
		tok := line[i:j]
		i = j
		if len(tok) == 1 && tok[0] == '-' {
			r.clear(fld)
			continue
		}
		if err := r.set(fld, tok); err != nil {
			r.Reset()
			return &ParseError{Field: k + 1, Name: fld.Name(), Text: errText(tok), Err: err}
		}
		has |= 1 << fld
	}
	for i < n && line[i] == ' ' {
		i++
	}
	if i < n {
		extra := len(strings.Fields(line[i:]))
		r.Reset()
		return &ParseError{Field: int(f.n) + 1, Err: ErrFieldCount,
			Msg: "got " + itoa(int(f.n)+extra) + " fields, want " + itoa(int(f.n))}
	}
	r.has = has
	return nil
}

// set parses tok (not "-") as the value of fld. It does not touch r.has.
func (r *Record) set(fld Field, tok string) error {
	var err error
	switch fld {
	case Version:
		r.version, err = atou8(tok)
	case SrcAddr:
		r.srcAddr, err = parseAddr(tok)
	case DstAddr:
		r.dstAddr, err = parseAddr(tok)
	case SrcPort:
		r.srcPort, err = atou16(tok)
	case DstPort:
		r.dstPort, err = atou16(tok)
	case Protocol:
		r.protocol, err = atou8(tok)
	case Packets:
		r.packets, err = atou64(tok)
	case Bytes:
		r.bytes, err = atou64(tok)
	case Start:
		r.start, err = atoi64(tok)
	case End:
		r.end, err = atoi64(tok)
	case Action:
		switch tok {
		case "ACCEPT":
			r.action = Accept
		case "REJECT":
			r.action = Reject
		default:
			return ErrSyntax
		}
	case LogStatus:
		switch tok {
		case "OK":
			r.status = StatusOK
		case "NODATA":
			r.status = StatusNoData
		case "SKIPDATA":
			r.status = StatusSkipData
		default:
			return ErrSyntax
		}
	case TCPFlags:
		r.tcpFlags, err = atou8(tok)
	case Type:
		switch tok {
		case "IPv4":
			r.typ = TypeIPv4
		case "IPv6":
			r.typ = TypeIPv6
		case "EFA":
			r.typ = TypeEFA
		default:
			return ErrSyntax
		}
	case PktSrcAddr:
		r.pktSrc, err = parseAddr(tok)
	case PktDstAddr:
		r.pktDst, err = parseAddr(tok)
	case FlowDirection:
		switch tok {
		case "ingress":
			r.dir = Ingress
		case "egress":
			r.dir = Egress
		default:
			return ErrSyntax
		}
	case TrafficPath:
		r.path, err = atou8(tok)
	case EncryptionStatus:
		r.enc, err = atou8(tok)
	default:
		r.str[strSlot[fld]] = tok
	}
	return err
}

// atou64 parses a decimal number of digits only (no sign).
func atou64(s string) (uint64, error) {
	if len(s) == 0 {
		return 0, ErrSyntax
	}
	if len(s) > 19 {
		// May overflow; let strconv decide (rare).
		for i := 0; i < len(s); i++ {
			if s[i]-'0' > 9 {
				return 0, ErrSyntax
			}
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, ErrRange
		}
		return v, nil
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, ErrSyntax
		}
		n = n*10 + uint64(c)
	}
	return n, nil
}

func atoi64(s string) (int64, error) {
	v, err := atou64(s)
	if err == nil && v > math.MaxInt64 {
		return 0, ErrRange
	}
	return int64(v), err
}

func atou16(s string) (uint16, error) {
	v, err := atou64(s)
	if err == nil && v > math.MaxUint16 {
		return 0, ErrRange
	}
	return uint16(v), err
}

func atou8(s string) (uint8, error) {
	v, err := atou64(s)
	if err == nil && v > math.MaxUint8 {
		return 0, ErrRange
	}
	return uint8(v), err
}

// parseAddr parses an IPv4 or IPv6 address without a zone.
func parseAddr(s string) (netip.Addr, error) {
	if a, ok := parseIPv4(s); ok {
		return a, nil
	}
	if strings.IndexByte(s, ':') < 0 || strings.IndexByte(s, '%') >= 0 {
		return netip.Addr{}, ErrSyntax
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, ErrSyntax
	}
	return a, nil
}

// parseIPv4 parses dotted-quad IPv4 with the rules of netip.ParseAddr
// (no leading zeros), faster.
func parseIPv4(s string) (netip.Addr, bool) {
	var ip [4]byte
	oct, val, digits := 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return netip.Addr{}, false
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return netip.Addr{}, false
			}
		case c == '.':
			if digits == 0 || oct == 3 {
				return netip.Addr{}, false
			}
			ip[oct] = byte(val)
			oct++
			val, digits = 0, 0
		default:
			return netip.Addr{}, false
		}
	}
	if oct != 3 || digits == 0 {
		return netip.Addr{}, false
	}
	ip[3] = byte(val)
	return netip.AddrFrom4(ip), true
}
