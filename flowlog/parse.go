package flowlog

import (
	"encoding/binary"
	"math"
	"math/bits"
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
	return parseLine(line, &f, r)
}

// parseLine is ParseLine with the format by reference: a Format is ~130
// bytes, which the Reader would otherwise copy for every line.
func parseLine(line string, f *Format, r *Record) error {
	if f.n == 0 {
		r.Reset()
		return &ParseError{Err: ErrNoFormat}
	}
	if !r.has.within(f.mask) {
		*r = Record{}
	}
	n := len(line)
	for n > 0 && (line[n-1] == '\n' || line[n-1] == '\r') {
		n--
	}
	line = line[:n]
	if f.isDefault() && r.parseDefault(line) {
		return nil
	}
	has, k, i, code := r.parseFields(line, f.fields[:f.n])
	if code != codeOK {
		r.Reset()
		return parseError(line, *f, k, i, code)
	}
	r.has = has
	return nil
}

// Result codes of the parsing helpers; cheaper to return than errors.
const (
	codeOK      uint8 = iota
	codeSyntax        // ErrSyntax
	codeRange         // ErrRange
	codeControl       // ErrSyntax: control character
	codeFewer         // ErrFieldCount: too few fields
	codeMore          // ErrFieldCount: too many fields
)

// parseError builds the error for a failed parseFields.
func parseError(line string, f Format, k, i int, code uint8) error {
	if code == codeMore {
		return &ParseError{Field: int(f.n) + 1, Err: ErrFieldCount,
			Msg: "got " + itoa(int(f.n)+countTokens(line[i:])) + " fields, want " + itoa(int(f.n))}
	}
	fld := f.fields[k]
	e := &ParseError{Field: k + 1, Name: fld.Name()}
	switch code {
	case codeFewer:
		e.Err, e.Msg = ErrFieldCount, "got "+itoa(k)+" fields, want "+itoa(int(f.n))
		return e
	case codeRange:
		e.Err = ErrRange
	case codeControl:
		e.Err, e.Msg = ErrSyntax, "control character"
	default:
		e.Err = ErrSyntax
	}
	end := tokenEnd(line, i)
	if code == codeControl {
		end = min(stringEnd(line, i)+1, len(line))
	}
	e.Text = errText(line[i:end])
	return e
}

// parseFields parses the values of fields from line, which has no line
// terminator, into r. It returns the present fields, or on failure the
// index of the failing field, the offset of its value and a code.
func (r *Record) parseFields(line string, fields []Field) (has fieldSet, k, i int, code uint8) {
	n := len(line)
	for k = 0; k < len(fields); k++ {
		fld := fields[k]
		for i < n && line[i] == ' ' {
			i++
		}
		if i == n {
			return has, k, i, codeFewer
		}
		if line[i] == '-' && (i+1 == n || line[i+1] == ' ') {
			r.clear(fld)
			i++
			continue
		}
		var (
			v uint64
			j int
		)
		switch fld {
		case Version:
			v, j, code = scanUint(line, i, math.MaxUint8)
			r.version = uint8(v)
		case Protocol:
			v, j, code = scanUint(line, i, math.MaxUint8)
			r.protocol = uint8(v)
		case TCPFlags:
			v, j, code = scanUint(line, i, math.MaxUint8)
			r.tcpFlags = uint8(v)
		case TrafficPath:
			v, j, code = scanUint(line, i, math.MaxUint8)
			r.path = uint8(v)
		case EncryptionStatus:
			v, j, code = scanUint(line, i, math.MaxUint8)
			r.enc = uint8(v)
		case SrcPort:
			v, j, code = scanUint(line, i, math.MaxUint16)
			r.srcPort = uint16(v)
		case DstPort:
			v, j, code = scanUint(line, i, math.MaxUint16)
			r.dstPort = uint16(v)
		case Packets:
			r.packets, j, code = scanUint(line, i, math.MaxUint64)
		case Bytes:
			r.bytes, j, code = scanUint(line, i, math.MaxUint64)
		case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
			r.lost[fld-PacketsLostNoRoute], j, code = scanUint(line, i, math.MaxUint64)
		case Start:
			v, j, code = scanUint(line, i, math.MaxInt64)
			r.start = int64(v)
		case End:
			v, j, code = scanUint(line, i, math.MaxInt64)
			r.end = int64(v)
		case SrcAddr:
			r.srcAddr, j, code = scanAddr(line, i)
		case DstAddr:
			r.dstAddr, j, code = scanAddr(line, i)
		case PktSrcAddr:
			r.pktSrc, j, code = scanAddr(line, i)
		case PktDstAddr:
			r.pktDst, j, code = scanAddr(line, i)
		case Action:
			j = tokenEnd(line, i)
			switch line[i:j] {
			case "ACCEPT":
				r.action = Accept
			case "REJECT":
				r.action = Reject
			default:
				code = codeSyntax
			}
		case LogStatus:
			j = tokenEnd(line, i)
			switch line[i:j] {
			case "OK":
				r.status = StatusOK
			case "NODATA":
				r.status = StatusNoData
			case "SKIPDATA":
				r.status = StatusSkipData
			default:
				code = codeSyntax
			}
		case Type:
			j = tokenEnd(line, i)
			switch line[i:j] {
			case "IPv4":
				r.typ = TypeIPv4
			case "IPv6":
				r.typ = TypeIPv6
			case "EFA":
				r.typ = TypeEFA
			default:
				code = codeSyntax
			}
		case FlowDirection:
			j = tokenEnd(line, i)
			switch line[i:j] {
			case "ingress":
				r.dir = Ingress
			case "egress":
				r.dir = Egress
			default:
				code = codeSyntax
			}
		default:
			j = stringEnd(line, i)
			if j < n && line[j] != ' ' {
				code = codeControl
			}
			r.str[strSlot[fld]] = line[i:j]
		}
		if code != codeOK {
			return has, k, i, code
		}
		has.add(fld)
		i = j
	}
	for i < n && line[i] == ' ' {
		i++
	}
	if i < n {
		return has, k, i, codeMore
	}
	return has, k, i, codeOK
}

// tokenEnd returns the index of the first space at or after i, or len(line).
func tokenEnd(line string, i int) int {
	if j := strings.IndexByte(line[i:], ' '); j >= 0 {
		return i + j
	}
	return len(line)
}

// set parses tok, a whole value without spaces other than "-", as the
// value of fld. It does not touch r.has.
func (r *Record) set(fld Field, tok string) error {
	fields := [1]Field{fld}
	_, _, _, code := r.parseFields(tok, fields[:])
	switch code {
	case codeOK:
		return nil
	case codeRange:
		return ErrRange
	}
	return ErrSyntax
}

// scanUint parses the decimal digits at line[i:], which must end at a space
// or the end of line, and checks the value against max. It converts 8
// digits at a time where it can.
func scanUint(line string, i int, max uint64) (uint64, int, uint8) {
	var v uint64
	j := i
	for j+8 <= len(line) {
		// y holds the digit values 0..9 in its bytes, first digit lowest;
		// other bytes are >= 10. m flags the bytes >= 10 without carries
		// between bytes.
		y := binary.LittleEndian.Uint64([]byte(line[j:j+8])) ^ 0x3030303030303030
		m := ((y + 0x7676767676767676) | y) & 0x8080808080808080
		if m == 0 {
			v = v*100000000 + swar8(y)
			j += 8
			if j-i > 16 {
				break // the byte loop below handles overflow
			}
			continue
		}
		n := bits.TrailingZeros64(m) / 8 // digits before the first non-digit
		if n > 0 {
			y <<= 64 - 8*uint(n) // leading zeros in the low bytes
			v = v*pow10[n] + swar8(y)
			j += n
		}
		goto end
	}
	for j < len(line) {
		c := line[j] - '0'
		if c > 9 {
			break
		}
		v = v*10 + uint64(c)
		j++
	}
end:
	if j == i || (j < len(line) && line[j] != ' ') {
		return 0, j, codeSyntax
	}
	if j-i > 19 {
		// May have overflowed; let strconv decide (rare).
		var err error
		if v, err = strconv.ParseUint(line[i:j], 10, 64); err != nil {
			return 0, j, codeRange
		}
	}
	if v > max {
		return 0, j, codeRange
	}
	return v, j, codeOK
}

var pow10 = [9]uint64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// swar8 converts 8 digit values (0..9, most significant in the lowest
// byte) to their number.
func swar8(y uint64) uint64 {
	y = (y * 10) + (y >> 8) // pairs
	y = (((y & 0x000000FF000000FF) * (100 + (1000000 << 32))) +
		(((y >> 16) & 0x000000FF000000FF) * (1 + (10000 << 32)))) >> 32
	return y
}

// stringEnd returns the index of the first byte at or after i that is a
// space or a control character, or len(line). It looks at 8 bytes at a time.
func stringEnd(line string, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(line) {
		x := ld64(line, i)
		// Bytes < 0x21 (space and control characters); bytes >= 0x80 are
		// never flagged. The lowest flagged byte is exact.
		if m := (x - lo*0x21) & ^x & hi; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	for i < len(line) && line[i] > ' ' {
		i++
	}
	return i
}

// scanAddr parses the IPv4 or IPv6 address (without a zone) at line[i:].
func scanAddr(line string, i int) (netip.Addr, int, uint8) {
	if i >= 2 && i+16 <= len(line) {
		if a, j, ok := scanIPv4(line, i); ok {
			return a, j, codeOK
		}
	}
	if a, j, ok := scanIPv6(line, i); ok {
		return a, j, codeOK
	}
	var ip [4]byte
	oct, val, digits := 0, 0, 0
	j := i
	for ; j < len(line); j++ {
		c := line[j]
		if c-'0' <= 9 {
			if digits == 1 && val == 0 {
				goto slow // leading zero: let netip reject it
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				goto slow
			}
		} else if c == '.' {
			if digits == 0 || oct == 3 {
				goto slow
			}
			ip[oct] = byte(val)
			oct++
			val, digits = 0, 0
		} else if c == ' ' {
			break
		} else {
			goto slow
		}
	}
	if oct == 3 && digits > 0 {
		ip[3] = byte(val)
		return netip.AddrFrom4(ip), j, codeOK
	}
slow:
	j = tokenEnd(line, i)
	a, err := parseAddr(line[i:j])
	if err != nil {
		return a, j, codeSyntax
	}
	return a, j, codeOK
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

// countTokens counts the space-separated tokens of s.
func countTokens(s string) int {
	n := 0
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i < len(s) {
			n++
			i = tokenEnd(s, i)
		}
	}
	return n
}
