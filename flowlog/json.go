package flowlog

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends r as a JSON object to dst: the fields of f that are
// present in r, keyed by their hyphenated names, in format order; numbers
// (including start and end, in Unix seconds) as JSON numbers and
// everything else as strings. Absent fields are omitted.
//
// It is the CLI's hot path for JSON Lines, so it reads the record's
// fields directly rather than through [Record.Get], writes keys from a
// table made once, and checks strings for escapes with a byte table.
func (r *Record) AppendJSON(dst []byte, f Format) []byte {
	dst = append(dst, '{')
	first := true
	for _, fld := range f.fields[:f.n] {
		if r.has&(1<<fld) == 0 {
			continue
		}
		key := jsonKeys[fld]
		if first {
			key = key[1:]
			first = false
		}
		dst = append(dst, key...)
		switch fld {
		case Version:
			dst = appendSmall(dst, uint64(r.version))
		case SrcAddr:
			dst = appendJSONAddr(dst, r.srcAddr)
		case DstAddr:
			dst = appendJSONAddr(dst, r.dstAddr)
		case SrcPort:
			dst = appendSmall(dst, uint64(r.srcPort))
		case DstPort:
			dst = appendSmall(dst, uint64(r.dstPort))
		case Protocol:
			dst = appendSmall(dst, uint64(r.protocol))
		case Packets:
			dst = appendSmall(dst, r.packets)
		case Bytes:
			dst = appendSmall(dst, r.bytes)
		case Start:
			dst = appendSmall(dst, uint64(r.start))
		case End:
			dst = appendSmall(dst, uint64(r.end))
		case Action:
			dst = append(dst, jsonActions[r.action&3]...)
		case LogStatus:
			dst = append(dst, jsonStatuses[r.status&3]...)
		case TCPFlags:
			dst = appendSmall(dst, uint64(r.tcpFlags))
		case Type:
			dst = appendJSONString(dst, r.typ.String())
		case PktSrcAddr:
			dst = appendJSONAddr(dst, r.pktSrc)
		case PktDstAddr:
			dst = appendJSONAddr(dst, r.pktDst)
		case FlowDirection:
			dst = appendJSONString(dst, r.dir.String())
		case TrafficPath:
			dst = appendSmall(dst, uint64(r.path))
		case EncryptionStatus:
			dst = appendSmall(dst, uint64(r.enc))
		default:
			dst = appendJSONString(dst, r.str[strSlot[fld]])
		}
	}
	return append(dst, '}')
}

// jsonKeys holds `,"name":` for every field.
var jsonKeys = func() (k [numFields]string) {
	for f := Field(1); f < numFields; f++ {
		k[f] = `,"` + registry[f].name + `":`
	}
	return k
}()

var (
	jsonActions  = [4]string{`""`, `"` + Accept.String() + `"`, `"` + Reject.String() + `"`, `""`}
	jsonStatuses = [4]string{`""`, `"` + StatusOK.String() + `"`, `"` + StatusNoData.String() + `"`, `"` + StatusSkipData.String() + `"`}
)

// appendSmall appends n (non-negative: times are checked at parse) in
// decimal, two digits at a time from a table.
func appendSmall(dst []byte, n uint64) []byte {
	if n < 10 {
		return append(dst, byte('0'+n))
	}
	if n >= 1e16 {
		return strconv.AppendUint(dst, n, 10)
	}
	var b [16]byte
	i := len(b)
	for n >= 100 {
		q := n / 100
		d := (n - q*100) * 2
		i -= 2
		b[i], b[i+1] = digitPairs[d], digitPairs[d+1]
		n = q
	}
	if n >= 10 {
		i -= 2
		b[i], b[i+1] = digitPairs[n*2], digitPairs[n*2+1]
	} else {
		i--
		b[i] = byte('0' + n)
	}
	return append(dst, b[i:]...)
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// octets holds the decimal text of 0..255, for IPv4 addresses.
var octets = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func appendJSONAddr(dst []byte, a netip.Addr) []byte {
	dst = append(dst, '"')
	if a.Is4() {
		b := a.As4()
		dst = append(dst, octets[b[0]]...)
		dst = append(dst, '.')
		dst = append(dst, octets[b[1]]...)
		dst = append(dst, '.')
		dst = append(dst, octets[b[2]]...)
		dst = append(dst, '.')
		dst = append(dst, octets[b[3]]...)
	} else {
		dst = a.AppendTo(dst)
	}
	return append(dst, '"')
}

// jsonSafe marks the bytes that can be copied into a JSON string as they
// are: printable ASCII other than '"' and '\\'.
var jsonSafe = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf-1; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func appendJSONString(dst []byte, s string) []byte {
	if !jsonPlain(s) {
		b, _ := json.Marshal(s) // rare: escapes, control characters, non-ASCII
		return append(dst, b...)
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// jsonPlain reports whether s needs no escaping in JSON: eight bytes at a
// time, it looks for a byte below ' ', at or above 0x7f, '"' or '\\'.
func jsonPlain(s string) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := ld64(s, i)
		ctl := (x - lo*0x20) &^ x   // bytes below 0x20
		del := (x + lo*(0x80-0x7f)) // bytes at or above 0x7f
		quo := x ^ (lo * '"')       // '"' becomes 0
		bsl := x ^ (lo * '\\')      // '\\' becomes 0
		zero := ((quo - lo) &^ quo) | ((bsl - lo) &^ bsl)
		if (ctl|del|zero|x)&hi != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if !jsonSafe[s[i]] {
			return false
		}
	}
	return true
}
