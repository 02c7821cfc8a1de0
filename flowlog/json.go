package flowlog

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends r as a JSON object to dst: the fields of f that are
// present in r, keyed by their hyphenated names, in format order; numbers
// (including start and end, in Unix seconds) as JSON numbers and
// everything else as strings. Absent fields are omitted. Strings are
// escaped as encoding/json escapes them, except that '<', '>' and '&' are
// written as they are.
//
// It is the CLI's hot path for JSON Lines, so it reads the record's
// fields directly rather than through [Record.Get] and writes into spare
// capacity with fixed-size stores: keys from a table made once (one
// 32-byte store each instead of a memmove call), IPv4 octets and number
// digits from tables; strings are checked for escapes eight bytes at a
// time. A default-format record with every field present, nearly every
// record, takes straight-line code (appendDefaultJSON).
func (r *Record) AppendJSON(dst []byte, f Format) []byte {
	if f.def && r.has == defaultFormat.mask {
		if b, ok := r.appendDefaultJSON(dst); ok {
			return b
		}
	}
	dst = slices.Grow(dst, jsonSlack)
	n := len(dst)
	b := dst[:cap(dst)]
	b[n] = '{'
	n++
	first := true
	for _, fld := range f.fields[:f.n] {
		if !r.has.has(fld) {
			continue
		}
		if len(b)-n < jsonSlack {
			b = slices.Grow(b[:n], jsonSlack)
			b = b[:cap(b)]
		}
		k := &jsonKeys[fld]
		if first {
			*(*[len(k.b) - 1]byte)(b[n:]) = [len(k.b) - 1]byte(k.b[1:])
			n += int(k.n) - 1
			first = false
		} else {
			*(*[len(k.b)]byte)(b[n:]) = k.b
			n += int(k.n)
		}
		switch fld {
		case Version:
			n = putUint(b, n, uint64(r.version))
		case SrcAddr:
			n = putAddr(b, n, r.srcAddr)
		case DstAddr:
			n = putAddr(b, n, r.dstAddr)
		case SrcPort:
			n = putUint(b, n, uint64(r.srcPort))
		case DstPort:
			n = putUint(b, n, uint64(r.dstPort))
		case Protocol:
			n = putUint(b, n, uint64(r.protocol))
		case Packets:
			n = putUint(b, n, r.packets)
		case Bytes:
			n = putUint(b, n, r.bytes)
		case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
			n = putUint(b, n, r.lost[fld-PacketsLostNoRoute])
		case Start:
			n = putUint(b, n, uint64(r.start))
		case End:
			n = putUint(b, n, uint64(r.end))
		case Action:
			n = putWord(b, n, &jsonActions[r.action&3])
		case LogStatus:
			n = putWord(b, n, &jsonStatuses[r.status&3])
		case TCPFlags:
			n = putUint(b, n, uint64(r.tcpFlags))
		case TrafficPath:
			n = putUint(b, n, uint64(r.path))
		case EncryptionStatus:
			n = putUint(b, n, uint64(r.enc))
		case Type:
			b, n = putString(b, n, r.typ.String())
		case FlowDirection:
			b, n = putString(b, n, r.dir.String())
		case PktSrcAddr:
			n = putAddr(b, n, r.pktSrc)
		case PktDstAddr:
			n = putAddr(b, n, r.pktDst)
		default:
			b, n = putString(b, n, r.str[strSlot[fld]])
		}
	}
	b[n] = '}'
	return b[:n+1]
}

// jsonSlack is the spare capacity AppendJSON keeps before each field: a
// key (32-byte store), a quoted IPv6 address (at most 41 bytes) or number,
// and the closing brace.
const jsonSlack = 96

// word is up to 32 bytes of JSON text stored by one fixed-size copy.
type word struct {
	b [32]byte
	n uint8
}

func mkWord(s string) (w word) {
	if len(s) > len(w.b) {
		panic("flowlog: JSON word too long: " + s)
	}
	copy(w.b[:], s)
	w.n = uint8(len(s))
	return w
}

// jsonKeys holds `,"name":` for every field. The longest field name,
// "ecs-container-instance-arn", makes a 30-byte key.
var jsonKeys = func() (k [numFields]word) {
	for f := Field(1); f < numFields; f++ {
		k[f] = mkWord(`,"` + registry[f].name + `":`)
	}
	return k
}()

var (
	jsonActions  = [4]word{mkWord(`""`), mkWord(`"` + Accept.String() + `"`), mkWord(`"` + Reject.String() + `"`), mkWord(`""`)}
	jsonStatuses = [4]word{mkWord(`""`), mkWord(`"` + StatusOK.String() + `"`), mkWord(`"` + StatusNoData.String() + `"`), mkWord(`"` + StatusSkipData.String() + `"`)}
)

func putWord(b []byte, n int, w *word) int {
	*(*[len(w.b)]byte)(b[n:]) = w.b
	return n + int(w.n)
}

// octets holds the decimal text of 0..255 and a following '.', for IPv4
// addresses.
var octets = func() (t [256]struct {
	b [4]byte
	n uint8
}) {
	for i := range t {
		s := strconv.Itoa(i) + "."
		copy(t[i].b[:], s)
		t[i].n = uint8(len(s) - 1)
	}
	return t
}()

// putAddr writes a quoted address at b[n:].
func putAddr(b []byte, n int, a netip.Addr) int {
	b[n] = '"'
	n = putBareAddr(b, n+1, a)
	b[n] = '"'
	return n + 1
}

// putPlain writes s, unquoted, at b[n:] if it needs no escaping in JSON
// (every byte is jsonSafe), checking and copying eight bytes at a time
// (jsonUnsafe8), and reports whether it did. b has len(s)+8 bytes of room.
func putPlain(b []byte, n int, s string) (int, bool) {
	const hi = 0x8080808080808080
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if !jsonSafe[c] {
				return n, false
			}
			b[n+i] = c
		}
		return n + len(s), true
	}
	var bad uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := ld64(s, i)
		bad |= jsonUnsafe8(x)
		binary.LittleEndian.PutUint64(b[n+i:], x)
	}
	if i < len(s) { // the last eight bytes, overlapping
		x := ld64(s, len(s)-8)
		bad |= jsonUnsafe8(x)
		binary.LittleEndian.PutUint64(b[n+len(s)-8:], x)
	}
	return n + len(s), bad&hi == 0
}

// putString writes s as a JSON string at b[n:], growing b for long ones.
func putString(b []byte, n int, s string) ([]byte, int) {
	if len(b)-n < len(s)+jsonSlack {
		b = slices.Grow(b[:n], len(s)+jsonSlack)
		b = b[:cap(b)]
	}
	b[n] = '"'
	m, ok := putPlain(b, n+1, s)
	if !ok {
		return putBytes(b, n, quoteJSON(s)) // rare: escapes, control characters, non-ASCII
	}
	b[m] = '"'
	return b, m + 1
}

// quoteJSON quotes s as encoding/json does, but with '<', '>' and '&' as
// they are, as the fast paths write them: only what JSON requires is
// escaped (and invalid UTF-8 replaced, U+2028 and U+2029 escaped).
func quoteJSON(s string) []byte {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'})
}

func putBytes(b []byte, n int, q []byte) ([]byte, int) {
	if len(b)-n < len(q)+jsonSlack {
		b = slices.Grow(b[:n], len(q)+jsonSlack)
		b = b[:cap(b)]
	}
	return b, n + copy(b[n:], q)
}

// jsonSafe marks the bytes that can be copied into a JSON string as they
// are: printable ASCII other than '"' and '\\'.
var jsonSafe = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf-1; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// jsonUnsafe8 returns a word whose high bit is set in each byte of x that
// may be one JSON must escape: below ' ', at or above 0x7f, '"' or '\\'.
// (A borrow may also flag a byte after a flagged one, never a word with
// no such byte: callers only ask whether any byte is flagged.)
func jsonUnsafe8(x uint64) uint64 {
	const lo = 0x0101010101010101
	ctl := (x - lo*0x20) &^ x
	del := x + lo*(0x80-0x7f)
	quo := x ^ (lo * '"')
	bsl := x ^ (lo * '\\')
	zero := ((quo - lo) &^ quo) | ((bsl - lo) &^ bsl)
	return ctl | del | zero | x
}
