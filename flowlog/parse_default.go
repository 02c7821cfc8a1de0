package flowlog

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
)

// defaultFields is the field order of the default format, which most flow
// logs use; ParseLine has a straight-line parser for it.
var defaultFields = [14]Field{Version, AccountID, InterfaceID, SrcAddr, DstAddr,
	SrcPort, DstPort, Protocol, Packets, Bytes, Start, End, Action, LogStatus}

// isDefault reports whether f is the default format.
func (f *Format) isDefault() bool {
	return f.n == 14 && [14]Field(f.fields[:14]) == defaultFields
}

// parseDefault parses line, which has no line terminator, in the default
// format into r, whose fields outside the default format are zero. It
// handles the common shapes (single spaces, "-", IPv4 and IPv6) with no
// per-field dispatch, and reports false for anything else, such as runs
// of spaces or an error, leaving r partly written: the caller then parses
// the line with the general loop, which rewrites every field of the
// format and reports the exact error.
func (r *Record) parseDefault(line string) bool {
	n := len(line)
	has := defaultFormat.mask
	var (
		v    uint64
		j    int
		code uint8
		ok   bool
	)

	// version: almost always one digit.
	if n < 2 {
		return false
	}
	if c := line[0] - '0'; c <= 9 && line[1] == ' ' {
		r.version, j = c, 1
	} else if line[0] == '-' && line[1] == ' ' {
		r.version, j = 0, 1
		has &^= 1 << Version
	} else {
		v, j, code = scanUint(line, 0, math.MaxUint8)
		if code != codeOK {
			return false
		}
		r.version = uint8(v)
	}
	i := j + 1
	if i >= n || line[i] == ' ' {
		return false
	}

	// account-id, interface-id: strings.
	j = stringEnd(line, i)
	if j+1 >= n || line[j] != ' ' || line[j+1] == ' ' {
		return false
	}
	s := line[i:j]
	if s == "-" {
		s = ""
		has &^= 1 << AccountID
	}
	r.str[slotAccountID] = s
	i = j + 1

	j = stringEnd(line, i)
	if j+1 >= n || line[j] != ' ' || line[j+1] == ' ' {
		return false
	}
	s = line[i:j]
	if s == "-" {
		s = ""
		has &^= 1 << InterfaceID
	}
	r.str[slotInterfaceID] = s
	i = j + 1

	// srcaddr, dstaddr.
	var a netip.Addr
	if isDash(line, i) {
		a, j = netip.Addr{}, i+1
		has &^= 1 << SrcAddr
	} else if a, j, code = scanAddr(line, i); code != codeOK {
		return false
	}
	r.srcAddr = a
	if i, ok = next(line, j); !ok {
		return false
	}
	if isDash(line, i) {
		a, j = netip.Addr{}, i+1
		has &^= 1 << DstAddr
	} else if a, j, code = scanAddr(line, i); code != codeOK {
		return false
	}
	r.dstAddr = a
	if i, ok = next(line, j); !ok {
		return false
	}

	// srcport, dstport, protocol, packets, bytes, start, end: numbers. A
	// "-" fails scanUint and is handled on that rarer path.
	if v, j, ok = scanShort(line, i); !ok || v > math.MaxUint16 {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxUint16); !ok {
			return false
		} else if absent {
			has &^= 1 << SrcPort
		}
	}
	r.srcPort = uint16(v)
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanShort(line, i); !ok || v > math.MaxUint16 {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxUint16); !ok {
			return false
		} else if absent {
			has &^= 1 << DstPort
		}
	}
	r.dstPort = uint16(v)
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanShort(line, i); !ok || v > math.MaxUint8 {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxUint8); !ok {
			return false
		} else if absent {
			has &^= 1 << Protocol
		}
	}
	r.protocol = uint8(v)
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanShort(line, i); !ok {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxUint64); !ok {
			return false
		} else if absent {
			has &^= 1 << Packets
		}
	}
	r.packets = v
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanShort(line, i); !ok {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxUint64); !ok {
			return false
		} else if absent {
			has &^= 1 << Bytes
		}
	}
	r.bytes = v
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanLong(line, i); !ok {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxInt64); !ok {
			return false
		} else if absent {
			has &^= 1 << Start
		}
	}
	r.start = int64(v)
	if i, ok = next(line, j); !ok {
		return false
	}
	if v, j, ok = scanLong(line, i); !ok {
		var absent bool
		if v, j, absent, ok = slowNumber(line, i, math.MaxInt64); !ok {
			return false
		} else if absent {
			has &^= 1 << End
		}
	}
	r.end = int64(v)
	if i, ok = next(line, j); !ok {
		return false
	}

	// action, then log-status, which must end the line.
	rest := line[i:]
	switch {
	case len(rest) > 7 && rest[:7] == "ACCEPT ":
		r.action, i = Accept, i+7
	case len(rest) > 7 && rest[:7] == "REJECT ":
		r.action, i = Reject, i+7
	case len(rest) > 2 && rest[:2] == "- ":
		r.action, i = 0, i+2
		has &^= 1 << Action
	default:
		return false
	}
	switch line[i:] {
	case "OK":
		r.status = StatusOK
	case "NODATA":
		r.status = StatusNoData
	case "SKIPDATA":
		r.status = StatusSkipData
	case "-":
		r.status = 0
		has &^= 1 << LogStatus
	default:
		return false
	}
	r.has = has
	return true
}

// slowNumber is the rare path of a numeric field: a number the fast scanners
// leave alone, "-" (absent), or an error (ok false).
func slowNumber(line string, i int, max uint64) (v uint64, j int, absent, ok bool) {
	v, j, code := scanUint(line, i, max)
	switch {
	case code == codeOK:
		return v, j, false, true
	case isDash(line, i):
		return 0, i + 1, true, true
	}
	return 0, j, false, false
}

// next returns the start of the value after the one that ends at j, which
// must be followed by exactly one space and more text.
func next(line string, j int) (int, bool) {
	if j+1 >= len(line) || line[j+1] == ' ' {
		return 0, false
	}
	return j + 1, true
}

// isDash reports whether the value at line[i:] is "-" (absent).
func isDash(line string, i int) bool {
	return line[i] == '-' && (i+1 == len(line) || line[i+1] == ' ')
}

// scanShort parses the 1 to 7 decimal digits at line[i:i+8] that a space
// follows, the usual shape of ports, protocols and counters. It reports
// false for anything else (including numbers it leaves to scanUint).
func scanShort(line string, i int) (uint64, int, bool) {
	if i+8 > len(line) {
		return 0, i, false
	}
	y := binary.LittleEndian.Uint64([]byte(line[i:i+8])) ^ 0x3030303030303030
	m := ((y + 0x7676767676767676) | y) & 0x8080808080808080
	n := uint(bits.TrailingZeros64(m)) / 8 // digits; 8 if all are
	if n-1 > 6 || (y>>(8*n))&0xFF != ' '^'0' {
		return 0, i, false
	}
	return swar8(y << (64 - 8*n)), i + int(n), true
}

// scanLong parses the 9 to 15 decimal digits at line[i:i+16] that a space
// follows, the usual shape of Unix times. It reports false for anything
// else (including numbers it leaves to scanUint). 15 digits fit an int64.
func scanLong(line string, i int) (uint64, int, bool) {
	if i+16 > len(line) {
		return 0, i, false
	}
	y1 := binary.LittleEndian.Uint64([]byte(line[i:i+8])) ^ 0x3030303030303030
	y2 := binary.LittleEndian.Uint64([]byte(line[i+8:i+16])) ^ 0x3030303030303030
	m1 := ((y1 + 0x7676767676767676) | y1) & 0x8080808080808080
	m2 := ((y2 + 0x7676767676767676) | y2) & 0x8080808080808080
	n := uint(bits.TrailingZeros64(m2)) / 8 // digits in y2; 8 if all are
	if m1 != 0 || n-1 > 6 || (y2>>(8*n))&0xFF != ' '^'0' {
		return 0, i, false
	}
	return swar8(y1)*pow10[n&7] + swar8(y2<<(64-8*n)), i + 8 + int(n), true
}
