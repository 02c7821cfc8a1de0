package flowlog

import (
	"math"
	"math/bits"
	"net/netip"
)

// defaultFields is the field order of the default format, which most flow
// logs use; ParseLine has a straight-line parser for it.
var defaultFields = [14]Field{Version, AccountID, InterfaceID, SrcAddr, DstAddr,
	SrcPort, DstPort, Protocol, Packets, Bytes, Start, End, Action, LogStatus}

// isDefault reports whether f is the default format.
func (f *Format) isDefault() bool { return f.def }

// The default format's numbers after dstaddr, in order, with the largest
// value each may hold: srcport, dstport, protocol, packets and bytes
// (usually 1 to 7 digits), then start and end (usually 10).
var (
	defaultShort    = [5]Field{SrcPort, DstPort, Protocol, Packets, Bytes}
	defaultShortMax = [5]uint64{math.MaxUint16, math.MaxUint16, math.MaxUint8, math.MaxUint64, math.MaxUint64}
	defaultLong     = [2]Field{Start, End}
)

// Little-endian words of the action values with the space after them, and
// of the log-status values at the end of a line.
const (
	acceptSP = 'A' | 'C'<<8 | 'C'<<16 | 'E'<<24 | 'P'<<32 | 'T'<<40 | ' '<<48
	rejectSP = 'R' | 'E'<<8 | 'J'<<16 | 'E'<<24 | 'C'<<32 | 'T'<<40 | ' '<<48
	dashSP   = '-' | ' '<<8
	endOK    = 'O'<<48 | 'K'<<56
	endNoDat = 'N'<<16 | 'O'<<24 | 'D'<<32 | 'A'<<40 | 'T'<<48 | 'A'<<56
	endSkip  = 'S' | 'K'<<8 | 'I'<<16 | 'P'<<24 | 'D'<<32 | 'A'<<40 | 'T'<<48 | 'A'<<56
	endDash  = '-' << 56
)

// parseDefault parses line, which has no line terminator, in the default
// format into r, whose fields outside the default format are zero, and
// reports false for anything it leaves to the general loop. On amd64 the
// assembly parser takes the common shapes; every other line, and every
// line elsewhere, goes to parseDefaultGo.
func (r *Record) parseDefault(line string) bool {
	if haveAsm {
		if acctEnd, ifaceEnd, srcEnd, dstEnd, src, dst, absent, ok := parseDefaultAMD64(line, r); ok &&
			r.setDefault(line, acctEnd, ifaceEnd, srcEnd, dstEnd, src, dst, absent) {
			return true
		}
	}
	return r.parseDefaultGo(line)
}

// asmToken is the address parseDefaultAMD64 returns for a value it leaves
// to Go: a value that is not an IPv4 address ("-", IPv6, an error).
const asmToken = 1 << 32

// setDefault sets the fields of r that parseDefaultAMD64 returns rather
// than sets: the strings, the addresses and which fields are present. It
// reports false if an address token is not "-" or an IPv6 address that
// scanIPv6 takes; the Go path then parses the line.
func (r *Record) setDefault(line string, acctEnd, ifaceEnd, srcEnd, dstEnd int, src, dst, absent uint64) bool {
	has := defaultFormat.mask.lo &^ absent
	acct, iface := line[2:acctEnd], line[acctEnd+1:ifaceEnd]
	if acct == "-" {
		acct = ""
		has &^= 1 << AccountID
	}
	if iface == "-" {
		iface = ""
		has &^= 1 << InterfaceID
	}
	if src|dst < asmToken { // both IPv4, the usual case
		r.srcAddr, r.dstAddr = addrFrom32(src), addrFrom32(dst)
	} else {
		var ok bool
		if r.srcAddr, ok = tokenAddr(line, ifaceEnd+1, srcEnd, src, &has, SrcAddr); !ok {
			return false
		}
		if r.dstAddr, ok = tokenAddr(line, srcEnd+1, dstEnd, dst, &has, DstAddr); !ok {
			return false
		}
	}
	r.str[slotAccountID], r.str[slotInterfaceID] = acct, iface
	r.has = fieldSet{lo: has}
	return true
}

// addrFrom32 returns the IPv4 address whose big-endian number is v.
func addrFrom32(v uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// tokenAddr returns the address line[start:end] of field f, for which
// parseDefaultAMD64 returned v: an IPv4 address, or asmToken for a value
// it left to Go. A "-" clears f in has. It reports false for anything but
// IPv4, "-" or an IPv6 address that scanIPv6 takes.
func tokenAddr(line string, start, end int, v uint64, has *uint64, f Field) (netip.Addr, bool) {
	switch {
	case v != asmToken:
		return addrFrom32(v), true
	case end == start+1 && line[start] == '-':
		*has &^= 1 << f
		return netip.Addr{}, true
	}
	a, j, ok := scanIPv6(line, start)
	return a, ok && j == end
}

// parseDefaultGo parses line, which has no line terminator, in the default
// format into r, whose fields outside the default format are zero. It
// handles the common shapes (single spaces, "-", IPv4 and IPv6) with no
// per-field dispatch, and reports false for anything else, such as runs
// of spaces or an error, leaving r partly written: the caller then parses
// the line with the general loop, which rewrites every field of the
// format and reports the exact error.
//
// Each value's scanner checks the byte after it is a space and rejects a
// value that starts with one, so a run of spaces fails the fast path
// without a separate check. Loads of 8 bytes are bounds-checked once each.
func (r *Record) parseDefaultGo(line string) bool {
	n := len(line)
	has := defaultFormat.mask.lo
	// The shortest line this path takes, "2 - - - - - - - - - - - - -",
	// has 27 bytes; requiring them spares the checks on the first fields.
	if n < 27 {
		return false
	}

	// version: almost always one digit.
	var i int
	if c := line[0] - '0'; c <= 9 && line[1] == ' ' {
		r.version, i = c, 2
	} else if line[0] == '-' && line[1] == ' ' {
		r.version, i = 0, 2
		has &^= 1 << Version
	} else {
		v, j, code := scanUint(line, 0, math.MaxUint8)
		if code != codeOK {
			return false
		}
		r.version, i = uint8(v), j+1
	}

	// account-id, interface-id: strings.
	var s [2]string
	for k := range s {
		j := stringEnd(line, i)
		if j == i || j >= n || line[j] != ' ' {
			return false
		}
		s[k] = line[i:j]
		i = j + 1
	}
	if s[0] == "-" {
		s[0] = ""
		has &^= 1 << AccountID
	}
	if s[1] == "-" {
		s[1] = ""
		has &^= 1 << InterfaceID
	}
	r.str[slotAccountID], r.str[slotInterfaceID] = s[0], s[1]

	// srcaddr, dstaddr.
	var a [2]netip.Addr
	for k := range a {
		var ok bool
		if i+16 > n {
			return false
		}
		if a[k], i, ok = scanIPv4(line, i); !ok {
			if line[i] == '-' && line[i+1] == ' ' {
				has &^= 1 << (SrcAddr + Field(k))
				i++
			} else if a[k], i, ok = scanIPv6(line, i); !ok || i >= n || line[i] != ' ' {
				return false
			}
		}
		i++
	}
	r.srcAddr, r.dstAddr = a[0], a[1]

	// srcport, dstport, protocol, packets, bytes, start, end: numbers. A
	// "-" fails the fast scanners and is handled on the rarer path.
	var v [7]uint64
	for k := range 5 {
		if i+8 > n {
			return false
		}
		x, s, ok := short(ld64(line, i))
		j := i + int(s>>3)
		if !ok || x > defaultShortMax[k] {
			var absent bool
			if x, j, absent, ok = slowNumber(line, i, defaultShortMax[k]); !ok {
				return false
			} else if absent {
				has &^= 1 << defaultShort[k]
			}
		}
		v[k], i = x, j+1
	}
	for k := range 2 {
		if i+16 > n {
			return false
		}
		// long, inlined by hand: the compiler's budget stops short of it.
		y1 := ld64(line, i) ^ 0x3030303030303030
		x, s, ok := short(ld64(line, i+8))
		x += swar8(y1) * pow10[s>>3&7]
		j := i + 8 + int(s>>3)
		if !ok || ((y1+0x7676767676767676)|y1)&0x8080808080808080 != 0 {
			var absent bool
			if x, j, absent, ok = slowNumber(line, i, math.MaxInt64); !ok {
				return false
			} else if absent {
				has &^= 1 << defaultLong[k]
			}
		}
		v[5+k], i = x, j+1
	}
	r.srcPort, r.dstPort, r.protocol = uint16(v[0]), uint16(v[1]), uint8(v[2])
	r.packets, r.bytes, r.start, r.end = v[3], v[4], int64(v[5]), int64(v[6])

	// action, then log-status, which must end the line.
	if i+8 > n {
		return false
	}
	switch w := ld64(line, i); {
	case w&0xFFFFFFFFFFFFFF == acceptSP:
		r.action, i = Accept, i+7
	case w&0xFFFFFFFFFFFFFF == rejectSP:
		r.action, i = Reject, i+7
	case w&0xFFFF == dashSP:
		r.action, i = 0, i+2
		has &^= 1 << Action
	default:
		return false
	}
	switch tail := ld64(line, n-8); {
	case n-i == 2 && tail&^0xFFFFFFFFFFFF == endOK:
		r.status = StatusOK
	case n-i == 6 && tail&^0xFFFF == endNoDat:
		r.status = StatusNoData
	case n-i == 8 && tail == endSkip:
		r.status = StatusSkipData
	case n-i == 1 && tail&^0xFFFFFFFFFFFFFF == endDash:
		r.status = 0
		has &^= 1 << LogStatus
	default:
		return false
	}
	r.has = fieldSet{lo: has}
	return true
}

// slowNumber is the rare path of a numeric field: a number the fast scanners
// leave alone, "-" (absent), or an error (ok false).
func slowNumber(line string, i int, max uint64) (v uint64, j int, absent, ok bool) {
	if i >= len(line) {
		return 0, i, false, false
	}
	v, j, code := scanUint(line, i, max)
	switch {
	case code == codeOK:
		return v, j, false, true
	case isDash(line, i):
		return 0, i + 1, true, true
	}
	return 0, j, false, false
}

// isDash reports whether the value at line[i:] is "-" (absent).
func isDash(line string, i int) bool {
	return line[i] == '-' && (i+1 == len(line) || line[i+1] == ' ')
}

// short parses the 1 to 7 decimal digits that a space follows at the start
// of the 8 bytes y (little-endian: the first byte lowest). It returns the
// number and 8 × the number of digits.
func short(y uint64) (v uint64, s uint, ok bool) {
	y ^= 0x3030303030303030 // digits become 0..9
	m := ((y + 0x7676767676767676) | y) & 0x8080808080808080
	// The first flagged byte's top bit, rounded down to its byte. With no
	// flagged byte (8 digits), s is 56 and the check that byte 7 is a
	// space fails.
	s = uint(bits.TrailingZeros64(m|1<<63)) &^ 7
	return swar8(y << ((64 - s) & 63)), s, s-8 <= 48 && (y>>s)&0xFF == ' '^'0'
}
