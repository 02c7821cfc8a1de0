package flowlog

import (
	"encoding/binary"
	"math/bits"
)

// putUint writes v in decimal at b[n:] and returns the new end. b has
// at least 8 bytes of room past the number. The digit count comes first,
// without a loop (decimalDigits); then four digits at a time from a
// table, from the last digit back. (Making eight digits at once in a
// register by multiplying with reciprocals measured slower.)
func putUint(b []byte, n int, v uint64) int {
	if v-1e9 < 9e9 { // ten digits: Unix times from 2001 to 2286
		hi, lo := v/1e6, v%1e6
		*(*[4]byte)(b[n:]) = digitQuads[hi]
		b[n+4], b[n+5] = digitPairs[lo/10000*2], digitPairs[lo/10000*2+1]
		*(*[4]byte)(b[n+6:]) = digitQuads[lo%10000]
		return n + 10
	}
	d := decimalDigits(v)
	if v < 1e4 { // up to four digits: one store, leading zeros shifted out
		x := binary.LittleEndian.Uint32(digitQuads[v][:]) >> ((32 - 8*d) & 31)
		binary.LittleEndian.PutUint32(b[n:], x)
		return n + d
	}
	if v < 1e8 { // five to eight: two
		hi, lo := v/1e4, v%1e4
		x := binary.LittleEndian.Uint32(digitQuads[hi][:]) >> ((64 - 8*d) & 31)
		binary.LittleEndian.PutUint32(b[n:], x)
		*(*[4]byte)(b[n+d-4:]) = digitQuads[lo]
		return n + d
	}
	end := n + d
	j := end
	for v >= 10000 {
		q := v / 10000
		j -= 4
		*(*[4]byte)(b[j:]) = digitQuads[v-q*10000]
		v = q
	}
	if v >= 100 {
		q := v / 100
		k := (v - q*100) * 2
		j -= 2
		b[j], b[j+1] = digitPairs[k], digitPairs[k+1]
		v = q
	}
	if v >= 10 {
		b[j-2], b[j-1] = digitPairs[v*2], digitPairs[v*2+1]
	} else {
		b[j-1] = byte('0' + v)
	}
	return end
}

// digitQuads holds the four decimal digits of 0..9999.
var digitQuads = func() (t [10000][4]byte) {
	for i := range t {
		t[i] = [4]byte{byte('0' + i/1000), byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)}
	}
	return t
}()

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// putUint8 writes v in decimal at b[n:] with one 4-byte store.
func putUint8(b []byte, n int, v uint8) int {
	t := &octets[v]
	*(*[4]byte)(b[n:]) = t.b
	return n + int(t.n)
}

// decimalDigits returns the number of decimal digits of v (1 for 0),
// without a loop: bits.Len64 gives the number's power of two, which
// bounds its power of ten to two candidates.
func decimalDigits(v uint64) int {
	t := (bits.Len64(v) * 1233) >> 12 // floor(log10(2) * bit length)
	if v >= powers10[t] {
		t++
	}
	return max(t, 1)
}

// powers10[i] is 10**i, for i up to 19 (1e19 < 1<<64).
var powers10 = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
