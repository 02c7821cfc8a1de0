package investigations

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"net/netip"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// A group's key is a fixed number of uint64 words, so that building it
// for a record costs no allocation and comparing two costs a few word
// compares, not a string's hash and bytes. Word 0 holds two tag bits per
// key part (0: absent, 1: present or IPv4, 2: IPv6); then each part has
// its words: two for an address (its 16-byte form; an IPv4 address in
// the second), none for a family (the tag says it), one for the rest: a
// number, an enum code, an hour's Unix seconds, or the id of a string in
// the part's interner.

type partKind uint8

const (
	partNum    partKind = iota // an integer field: int64 in results
	partEnum                   // an enum code: its name in results
	partStr                    // an interned string's id
	partHour                   // Unix seconds of the start of the hour
	partAddr                   // an address: 2 words
	partFamily                 // an address's family: no words
	partLabel                  // a labelled code: its label in results
)

// part is how one [Key] is encoded.
type part struct {
	field flowlog.Field
	kind  partKind
	word  int  // its first word
	shift uint // its tag bits in word 0
	names []string
	strs  *interner
	radix int // values of a small-domain part (absent included), for counters in an array; 0: not small
}

// smallDomain is the largest number of groups counted in an array
// indexed by the key instead of a hash table: protocol (257 values with
// absent), enums (4-5), families (3), and their products up to this.
const smallDomain = 4096

// layout returns the parts of keys and the words of a key.
func layout(keys []Key) ([]part, int) {
	parts := make([]part, len(keys))
	w := 1
	for i, k := range keys {
		p := part{field: k.Field, word: w, shift: uint(2 * i)}
		switch {
		case k.Kind == ByHour:
			p.kind = partHour
		case k.Kind == ByFamily:
			p.kind, p.radix = partFamily, 3
		case k.Kind == ByLabel:
			p.kind = partLabel
			if k.Field.Kind() == flowlog.KindUint8 {
				p.radix = 257
			}
		case k.Field.Kind() == flowlog.KindAddr:
			p.kind = partAddr
		case k.Field.Kind() == flowlog.KindString:
			p.kind, p.strs = partStr, newInterner()
		case k.Field.Kind() == flowlog.KindEnum:
			p.kind, p.names = partEnum, enumNames(k.Field)
			p.radix = len(p.names) + 1
		default:
			p.kind = partNum
			if k.Field.Kind() == flowlog.KindUint8 {
				p.radix = 257
			}
		}
		switch p.kind {
		case partAddr:
			w += 2
		case partFamily:
		default:
			w++
		}
		parts[i] = p
	}
	return parts, w
}

// enumNames returns the names of an enum field's codes, by code.
func enumNames(f flowlog.Field) []string {
	names := []string{""}
	for n := uint64(1); n < 256; n++ {
		var r flowlog.Record
		if r.SetUint(f, n) != nil {
			break
		}
		names = append(names, r.Get(f).Str())
	}
	return names
}

// denseSize returns the size of the array that counts the groups of
// parts, or 0 when a part's domain is not small or the product is large.
func denseSize(parts []part) int {
	if len(parts) == 0 {
		return 0
	}
	n := 1
	for _, p := range parts {
		if p.radix == 0 {
			return 0
		}
		n *= p.radix
		if n > smallDomain {
			return 0
		}
	}
	return n
}

// makeKey writes r's key into k (len(k) is the layout's words).
func makeKey(k []uint64, parts []part, r *flowlog.Record) {
	if len(parts) == 1 && parts[0].kind == partAddr && len(k) == 3 && r.Has(parts[0].field) {
		// One address (top talkers, summarize --by src): the common key.
		a := addrOf(r, parts[0].field)
		if a.Is4() {
			b := a.As4()
			k[0], k[1], k[2] = 1|usedBit, 0, uint64(binary.BigEndian.Uint32(b[:]))
			return
		}
		hi, lo := words16(a)
		k[0], k[1], k[2] = 2|usedBit, hi, lo
		return
	}
	if len(parts) == 2 && len(k) == 5 && parts[0].kind == partAddr && parts[1].kind == partAddr {
		// Two addresses (pairs): the key of every pair that does not pack
		// in a word (IPv6), without the loop. An absent address is the
		// zero Addr, whose 16-byte form is zeros, as the loop writes it.
		a, b := addrOf(r, parts[0].field), addrOf(r, parts[1].field)
		k[0] = addrTag(a)<<parts[0].shift | addrTag(b)<<parts[1].shift | usedBit
		k[1], k[2] = addrWords(a)
		k[3], k[4] = addrWords(b)
		return
	}
	makeKeyParts(k, parts, r)
}

// makeKeyParts is makeKey for any layout.
func makeKeyParts(k []uint64, parts []part, r *flowlog.Record) {
	var tag uint64
	for i := range parts {
		p := &parts[i]
		w := p.word
		if !r.Has(p.field) {
			switch p.kind {
			case partAddr:
				k[w], k[w+1] = 0, 0
			case partFamily:
			default:
				k[w] = 0
			}
			continue
		}
		switch p.kind {
		case partNum, partEnum, partLabel:
			k[w] = numOf(r, p.field)
		case partHour:
			t := int64(numOf(r, p.field))
			k[w] = uint64(t - t%3600)
		case partStr:
			k[w] = uint64(p.strs.id(r.Str(p.field)))
		case partAddr:
			a := addrOf(r, p.field)
			if a.Is4() {
				b := a.As4()
				k[w], k[w+1] = 0, uint64(binary.BigEndian.Uint32(b[:]))
			} else {
				k[w], k[w+1] = words16(a)
				tag |= 2 << p.shift
				continue
			}
		case partFamily:
			if !addrOf(r, p.field).Is4() {
				tag |= 2 << p.shift
				continue
			}
		}
		tag |= 1 << p.shift
	}
	k[0] = tag | usedBit
}

// addrTag returns the tag of an address part of value a (the zero Addr
// when absent): 0 absent, 1 IPv4, 2 IPv6.
func addrTag(a netip.Addr) uint64 {
	switch {
	case a.Is4():
		return 1
	case a.IsValid():
		return 2
	}
	return 0
}

// addrWords returns the key words of an address part of value a: the
// IPv4 address in the second word, an IPv6 address's 16 bytes in both,
// zeros when absent.
func addrWords(a netip.Addr) (uint64, uint64) {
	switch {
	case a.Is4():
		b := a.As4()
		return 0, uint64(binary.BigEndian.Uint32(b[:]))
	case a.Is6():
		return words16(a)
	}
	return 0, 0 // absent
}

// words16 returns the two words of the IPv6 address a's 16 bytes, big
// endian. Not from As16: its array is written as two words and copied
// as one 16-byte load, which cannot take its bytes from the two pending
// stores (store-to-load forwarding) and waits for them to reach the
// cache; AsSlice's array, inlined and on the stack, is read back word by
// word. BenchmarkWords16: ~8 -> ~1.7 ns an address. a must be IPv6
// (AsSlice gives 4 bytes for IPv4, none for the zero Addr).
func words16(a netip.Addr) (hi, lo uint64) {
	b := a.AsSlice()
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:16])
}

// denseIndex returns r's index in the array of a small-domain layout:
// the parts' values (0 absent, else 1 + code, or the family's tag) in
// mixed radix, the first part the least significant; the part skip (an
// hour, counted apart; -1: none) is left out.
func denseIndex(parts []part, skip int, r *flowlog.Record) int {
	idx, stride := 0, 1
	for i := range parts {
		if i == skip {
			continue
		}
		p := &parts[i]
		v := 0
		if r.Has(p.field) {
			if p.kind == partFamily {
				v = 2
				if addrOf(r, p.field).Is4() {
					v = 1
				}
			} else {
				v = int(numOf(r, p.field)) + 1
				if v >= p.radix { // an enum code beyond the known names
					v = p.radix - 1
				}
			}
		}
		idx += v * stride
		stride *= p.radix
	}
	return idx
}

// denseKey writes the key of the array index idx into k, but for the
// part skip (-1: none), which it leaves as it is.
func denseKey(k []uint64, parts []part, skip int, idx int) {
	tag := k[0] &^ usedBit
	for i := range parts {
		p := &parts[i]
		if i == skip {
			continue
		}
		tag &^= 3 << p.shift
		v := idx % p.radix
		idx /= p.radix
		if p.kind != partFamily {
			k[p.word] = 0
		}
		if v == 0 {
			continue
		}
		if p.kind == partFamily {
			tag |= uint64(v) << p.shift
			continue
		}
		k[p.word] = uint64(v - 1)
		tag |= 1 << p.shift
	}
	k[0] = tag | usedBit
}

func (p *part) tag(k []uint64) uint64 { return k[0] >> p.shift & 3 }

// value returns the part's value in key k as a result value.
func (p *part) value(k []uint64) any {
	t := p.tag(k)
	if t == 0 {
		return nil
	}
	w := k[p.word:]
	switch p.kind {
	case partEnum:
		return p.name(w[0])
	case partLabel:
		return valueLabel(p.field, w[0])
	case partStr:
		return p.strs.strs[w[0]]
	case partHour:
		return time.Unix(int64(w[0]), 0).UTC()
	case partAddr:
		return p.addr(k).String()
	case partFamily:
		if t == 1 {
			return "IPv4"
		}
		return "IPv6"
	}
	return int64(w[0])
}

func (p *part) name(code uint64) string {
	if code < uint64(len(p.names)) {
		return p.names[code]
	}
	return ""
}

func (p *part) addr(k []uint64) netip.Addr {
	w := k[p.word:]
	if p.tag(k) == 1 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(w[1]))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], w[0])
	binary.BigEndian.PutUint64(b[8:], w[1])
	return netip.AddrFrom16(b)
}

// compareKeys orders keys as compareValues orders their result values
// (nil last; numbers and hours numerically; enums, strings and
// addresses by their text, bytewise), without making the values.
func compareKeys(parts []part, a, b []uint64) int {
	for i := range parts {
		p := &parts[i]
		ta, tb := p.tag(a), p.tag(b)
		if ta == 0 || tb == 0 {
			if ta != tb {
				return cmp.Compare(tb, ta) // absent last
			}
			continue
		}
		w := p.word
		var c int
		switch p.kind {
		case partNum, partHour:
			c = cmp.Compare(int64(a[w]), int64(b[w]))
		case partEnum:
			c = strings.Compare(p.name(a[w]), p.name(b[w]))
		case partLabel:
			c = strings.Compare(valueLabel(p.field, a[w]), valueLabel(p.field, b[w]))
		case partStr:
			c = strings.Compare(p.strs.strs[a[w]], p.strs.strs[b[w]])
		case partFamily:
			c = cmp.Compare(ta, tb) // "IPv4" < "IPv6"
		case partAddr:
			if ta == tb && a[w] == b[w] && a[w+1] == b[w+1] {
				continue
			}
			var ba, bb [48]byte
			c = bytes.Compare(p.addr(a).AppendTo(ba[:0]), p.addr(b).AppendTo(bb[:0]))
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// interner numbers the distinct strings of a key part, keeping one copy
// of each: a record's strings may alias a reader's buffer.
type interner struct {
	ids  map[string]uint32
	strs []string
}

func newInterner() *interner { return &interner{ids: map[string]uint32{}} }

// id returns s's number, copying s the first time it is seen.
func (in *interner) id(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return in.add(strings.Clone(s))
}

// idOwned is id for a string that is not copied (it is immutable).
func (in *interner) idOwned(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return in.add(s)
}

func (in *interner) add(s string) uint32 {
	id := uint32(len(in.strs))
	in.strs = append(in.strs, s)
	in.ids[s] = id
	return id
}
