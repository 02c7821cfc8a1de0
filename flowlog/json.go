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
			dst = strconv.AppendInt(dst, r.start, 10)
		case End:
			dst = strconv.AppendInt(dst, r.end, 10)
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

// appendSmall appends n in decimal; numbers below 100 (ports aside, most
// of a record's) skip strconv.
func appendSmall(dst []byte, n uint64) []byte {
	if n < 10 {
		return append(dst, byte('0'+n))
	}
	if n < 100 {
		return append(dst, byte('0'+n/10), byte('0'+n%10))
	}
	return strconv.AppendUint(dst, n, 10)
}

func appendJSONAddr(dst []byte, a netip.Addr) []byte {
	dst = append(dst, '"')
	dst = a.AppendTo(dst)
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
	for i := 0; i < len(s); i++ {
		if !jsonSafe[s[i]] {
			b, _ := json.Marshal(s) // rare: escapes, control characters, non-ASCII
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
