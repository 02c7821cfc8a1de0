package flowlog

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
)

// putBareAddr writes an address, unquoted, at b[n:]: IPv4 by putIPv4,
// IPv6 by putIPv6. b has 48 bytes of room (the parser and SetAddr take no
// zones).
func putBareAddr(b []byte, n int, a netip.Addr) int {
	if a.Is4() {
		return putIPv4(b, n, a.As4())
	}
	return putIPv6(b, n, a)
}

// putIPv4 writes v as a dotted quad: each octet's text and the '.' after
// it from a table, one 4-byte store each (the last '.' is overwritten
// later). It is small enough to be inlined.
func putIPv4(b []byte, n int, v [4]byte) int {
	for _, o := range v {
		t := octetText[o]
		binary.LittleEndian.PutUint32(b[n:], uint32(t))
		n += int(t >> 32)
	}
	return n - 1
}

// octetText holds, for 0..255, the decimal text and a '.' in the low four
// bytes (little-endian) and the text's length with the '.' above them.
var octetText = func() (t [256]uint64) {
	for i := range t {
		s := strconv.Itoa(i) + "."
		var w [4]byte
		copy(w[:], s)
		t[i] = uint64(binary.LittleEndian.Uint32(w[:])) | uint64(len(s))<<32
	}
	return t
}()

// putIPv6 writes an IPv6 address as netip.Addr.AppendTo does (RFC 5952:
// lower-case hex without leading zeros, the first longest run of two or
// more zero groups as "::"), with the run found from a table indexed by
// which groups are zero and each group written by one store. An
// IPv4-mapped address, or one with a zone, is left to netip.
func putIPv6(b []byte, n int, a netip.Addr) int {
	if a.Is4In6() || a.Zone() != "" {
		return n + len(a.AppendTo(b[n:n]))
	}
	x := a.As16()
	var g [8]uint32
	zero := 0
	for i := range g {
		g[i] = uint32(binary.BigEndian.Uint16(x[2*i:]))
		zero |= int((g[i]-1)>>16&1) << i
	}
	run := zeroRuns[zero]
	for i := 0; i < 8; i++ {
		if i == int(run.start) {
			b[n], b[n+1] = ':', ':'
			n += 2
			i = int(run.end)
			if i == 8 {
				break
			}
		} else if i > 0 {
			b[n] = ':'
			n++
		}
		n = putHex16(b, n, g[i])
	}
	return n
}

// putHex16 writes v < 1<<16 in lower-case hex without leading zeros at
// b[n:] with one 4-byte store: the nibbles spread one to a byte, made
// ASCII together ('a'-'0'-10 = 39 more for the bytes that are 10 or more),
// and the leading zeros shifted out.
func putHex16(b []byte, n int, v uint32) int {
	d := (bits.Len32(v|1) + 3) >> 2
	x := v>>12 | (v>>8&0xf)<<8 | (v>>4&0xf)<<16 | (v&0xf)<<24
	x += 0x30303030 + ((x+0x06060606)>>4&0x01010101)*39
	binary.LittleEndian.PutUint32(b[n:], x>>((32-8*d)&31))
	return n + d
}

// zeroRuns holds, for each set of zero groups of an IPv6 address (bit i
// for group i), the first longest run of two or more, [start, end), or
// start 255 for none: netip's rule.
var zeroRuns = func() (t [256]struct{ start, end uint8 }) {
	for m := range t {
		start, end := uint8(255), uint8(255)
		for i := uint8(0); i < 8; i++ {
			j := i
			for j < 8 && m&(1<<j) != 0 {
				j++
			}
			if l := j - i; l >= 2 && l > end-start {
				start, end = i, j
			}
		}
		t[m].start, t[m].end = start, end
	}
	return t
}()
