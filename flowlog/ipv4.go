package flowlog

import (
	"math/bits"
	"net/netip"
	"unsafe"
)

// at returns line[i] with no bounds check: the caller must have checked
// that 0 <= i < len(line).
func at(line string, i int) uint {
	return uint(*(*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(line)), i)))
}

// scanIPv4 parses the dotted-quad IPv4 address at line[i:], which a space
// must follow, in the form netip.ParseAddr accepts: 1 to 3 digits per
// octet, no leading zeros, octets up to 255. The caller must have checked
// that 2 <= i and i+16 <= len(line). It returns the address and the index
// of the space after it, or false.
//
// It finds the separators from two 8-byte loads, with no loop, and then
// reads each octet as the 3 bytes before its separator, weighted by the
// octet's length, so that bytes before a short octet count zero.
func scanIPv4(line string, i int) (netip.Addr, int, bool) {
	x0 := ld64(line, i) ^ 0x3030303030303030 // digits become 0..9
	x1 := ld64(line, i+8) ^ 0x3030303030303030
	m0 := ((x0 + 0x7676767676767676) | x0) & 0x8080808080808080 // flags the other bytes
	m1 := ((x1 + 0x7676767676767676) | x1) & 0x8080808080808080
	// One bit per byte, bit k set if byte k is not a digit; bit 16 stops
	// the search.
	nd := uint32((m0>>7)*0x0102040810204080>>56) | uint32((m1>>7)*0x0102040810204080>>56)<<8 | 1<<16
	p1 := bits.TrailingZeros32(nd)
	nd &= nd - 1
	p2 := bits.TrailingZeros32(nd)
	nd &= nd - 1
	p3 := bits.TrailingZeros32(nd)
	nd &= nd - 1
	p4 := bits.TrailingZeros32(nd)
	l1, l2, l3, l4 := p1, p2-p1-1, p3-p2-1, p4-p3-1
	if uint(l1-1) > 2 || uint(l2-1) > 2 || uint(l3-1) > 2 || uint(l4-1) > 2 {
		return netip.Addr{}, i, false
	}
	// Now p4 <= 15, and every index below is within line[i-2:i+16].
	e1, e2, e3, e4 := i+p1, i+p2, i+p3, i+p4
	if at(line, e1) != '.' || at(line, e2) != '.' || at(line, e3) != '.' || at(line, e4) != ' ' {
		return netip.Addr{}, i, false
	}
	o1, ok1 := octet(line, e1, l1)
	o2, ok2 := octet(line, e2, l2)
	o3, ok3 := octet(line, e3, l3)
	o4, ok4 := octet(line, e4, l4)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return netip.Addr{}, i, false
	}
	return netip.AddrFrom4([4]byte{byte(o1), byte(o2), byte(o3), byte(o4)}), e4, true
}

// octet returns the value of the l (1..3) digits before line[e] and
// whether it is one netip accepts: at most 255, no leading zero.
func octet(line string, e, l int) (uint, bool) {
	w := &octetWeights[l&3]
	v := at(line, e-1) + w.tens*at(line, e-2) + w.hundreds*at(line, e-3) - w.zeros
	return v, v-w.min <= 255-w.min
}

// octetWeights holds, by octet length, the weights of the second and third
// byte before the separator, the weighted sum of '0's to subtract, and the
// least value without a leading zero.
var octetWeights = [4]struct{ tens, hundreds, zeros, min uint }{
	1: {0, 0, '0', 0},
	2: {10, 0, 11 * '0', 10},
	3: {10, 100, 111 * '0', 100},
}
