package flowlog

import "slices"

// appendDefaultJSON is AppendJSON for a record of the default format with
// every field present and no other, the shape of nearly every record:
// straight-line code with no per-field dispatch and one capacity check,
// writing the text between values (a closing quote, the next key and an
// opening quote) as one store. It reports false, having written nothing
// that counts, if a string needs escapes; AppendJSON's loop then encodes
// the record.
func (r *Record) appendDefaultJSON(dst []byte) ([]byte, bool) {
	acct, iface := r.str[slotAccountID], r.str[slotInterfaceID]
	dst = slices.Grow(dst, defaultJSONMax+len(acct)+len(iface))
	n := len(dst)
	b := dst[:cap(dst)]
	k := &defaultJSONKeys
	var ok bool
	n = putWord16(b, n, &k[0])
	n = putUint8(b, n, r.version)
	n = putWord16(b, n, &k[1])
	if n, ok = putPlain(b, n, acct); !ok {
		return dst, false
	}
	n = putWord(b, n, &k[2])
	if n, ok = putPlain(b, n, iface); !ok {
		return dst, false
	}
	n = putWord16(b, n, &k[3])
	if a := r.srcAddr; a.Is4() { // putBareAddr, inlined for IPv4
		n = putIPv4(b, n, a.As4())
	} else {
		n = putIPv6(b, n, a)
	}
	n = putWord16(b, n, &k[4])
	if a := r.dstAddr; a.Is4() { // putBareAddr, inlined for IPv4
		n = putIPv4(b, n, a.As4())
	} else {
		n = putIPv6(b, n, a)
	}
	n = putWord16(b, n, &k[5])
	n = putUint(b, n, uint64(r.srcPort))
	n = putWord16(b, n, &k[6])
	n = putUint(b, n, uint64(r.dstPort))
	n = putWord16(b, n, &k[7])
	n = putUint8(b, n, r.protocol)
	n = putWord16(b, n, &k[8])
	n = putUint(b, n, r.packets)
	n = putWord16(b, n, &k[9])
	n = putUint(b, n, r.bytes)
	n = putWord16(b, n, &k[10])
	n = putUint(b, n, uint64(r.start))
	n = putWord16(b, n, &k[11])
	n = putUint(b, n, uint64(r.end))
	n = putWord(b, n, &defaultJSONActions[r.action&3])
	n = putWord(b, n, &defaultJSONStatuses[r.status&3])
	return b[:n], true
}

// defaultJSONKeys holds, for each field of the default format but the
// last two, the text before its value: the previous value's closing quote
// if it was a string, the key, and an opening quote if this value is one.
// The first is `{"version":`. They are made from the registry's names.
var defaultJSONKeys = func() (k [12]word) {
	quoted := func(f Field) string {
		if k := f.Kind(); k == KindUint8 || k == KindUint16 || k == KindUint64 || k == KindTime {
			return ""
		}
		return `"`
	}
	for i, f := range defaultFields[:12] {
		s := `{`
		if i > 0 {
			s = quoted(defaultFields[i-1]) + `,`
		}
		k[i] = mkWord(s + `"` + f.Name() + `":` + quoted(f))
		if k[i].n > 16 && f != InterfaceID {
			panic("flowlog: appendDefaultJSON writes key " + string(k[i].b[:k[i].n]) + " with a 16-byte store")
		}
	}
	return k
}()

// putWord16 writes w, which is at most 16 bytes, with one 16-byte store.
func putWord16(b []byte, n int, w *word) int {
	*(*[16]byte)(b[n:]) = [16]byte(w.b[:16])
	return n + int(w.n)
}

// defaultJSONActions and defaultJSONStatuses hold the end of a
// default-format record's JSON for every action and log-status:
// `,"action":"ACCEPT"` and `,"log-status":"OK"}`.
var (
	defaultJSONActions  = jsonTails(`,"`+Action.Name()+`":`, &jsonActions, "")
	defaultJSONStatuses = jsonTails(`,"`+LogStatus.Name()+`":`, &jsonStatuses, "}")
)

func jsonTails(key string, values *[4]word, end string) (t [4]word) {
	for i, v := range values {
		t[i] = mkWord(key + string(v.b[:v.n]) + end)
	}
	return t
}

// defaultJSONMax bounds the length of a default-format record's JSON
// beyond its two strings: the keys and ends (at most 32 bytes each), the
// numbers and addresses (at most 20 and 39 bytes each: the parser takes no
// IPv6 zones), with room for the fixed-size stores past the end of each.
const defaultJSONMax = 14*32 + 8*20 + 2*39 + 64
