package investigations

import (
	"encoding/binary"
	"net/netip"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// packedTable holds the groups of a layout whose key fits in one word
// (top talkers, top pairs, rejected traffic by port and protocol, an
// interface's log statuses): a group is that word and its three counts,
// 32 bytes, two to a cache line, where the general table needs up to a
// line a group (tag word, two words per address, counts). Over millions
// of records of many distinct groups (pairs, ports) the tables outgrow
// the caches: half the bytes is about half the cache and TLB misses, and
// half the growth.
//
// A key packs each part's value and, but for addresses, its tag (2
// bits): an address packs only when IPv4 (32 bits; its tag is then 1),
// so that a pair of IPv4 addresses fills the word. Groups whose key does
// not pack (an IPv6 or absent address) go to the evaluator's general
// table, but for the pairs of which neither address is IPv4, which go
// to a packed table of their own (pairTable6). Most flow-log traffic is
// IPv4.
type packedTable struct {
	shape  packShape     // how packRecord packs a record
	f0, f1 flowlog.Field // the fields of a shape's parts
	slots  []packedGroup // a slot is empty when its records count is 0
	mask   uint64
	n      int
	parts  []part  // the layout
	bits   []uint8 // per part: the value's bits
	// Records queued to be counted (see flush).
	queue   [batchSize]pending
	queued  int
	room    int // batchSize-1 when the table queues records (see enqueue), 0 when it counts them at once
	touched uint64
	// The batch before queue's, whose slots were prefetched when it
	// filled, to be counted when queue fills (see rotate).
	ready  [batchSize]pending
	nready int
	ports  *portLanes // a port and protocol layout's TCP and UDP groups (ports.go); nil for others
}

// packedGroup is a group's packed key and counts. Every group counts at
// least one record, so records == 0 marks an empty slot and every key
// value (0.0.0.0 → 0.0.0.0 included) is a key.
type packedGroup struct{ key, records, packets, bytes uint64 }

// newPackedTable returns a table for the layout parts, or nil when its
// keys do not fit in a word.
func newPackedTable(parts []part) *packedTable {
	t := &packedTable{parts: parts, bits: make([]uint8, len(parts))}
	total := 0
	for i, p := range parts {
		b, tag := 0, 2
		switch p.kind {
		case partAddr:
			b, tag = 32, 0
		case partFamily:
		case partEnum:
			b = 8
		case partStr:
			b = 32 // an interner's id
		case partNum:
			switch p.field.Kind() {
			case flowlog.KindUint8:
				b = 8
			case flowlog.KindUint16:
				b = 16
			default:
				return nil
			}
		default:
			return nil
		}
		t.bits[i] = uint8(b)
		total += b + tag
	}
	if len(parts) == 0 || total > 64 {
		return nil
	}
	t.shape, t.f0 = shapeOf(parts), parts[0].field
	if len(parts) > 1 {
		t.f1 = parts[1].field
	}
	t.ports = newPortLanes(parts, t.bits)
	t.alloc(16)
	return t
}

// packShape is a layout that packRecord packs with code of its own
// instead of the loop over any layout's parts: the layouts of the
// tables records are counted in (summarize's and the report's top
// sources, destinations and pairs, rejected sources, rejected traffic by
// port, NODATA and SKIPDATA by interface), where the loop's switch, its
// look-ups of each part and bit width, numOf's calls, and its
// absent-field and width checks, cost as much as counting the record.
// Each packs exactly as packParts does (TestShapedPackersEqualParts).
type packShape uint8

const (
	shapeParts     packShape = iota // any layout: packParts
	shapeAddr                       // one address
	shapeAddr2                      // two addresses
	shapePortProto                  // dstport and protocol (rejected traffic by port)
	shapeStrEnum                    // a string and an enum (an interface's log statuses)
)

func shapeOf(parts []part) packShape {
	switch {
	case len(parts) == 1 && parts[0].kind == partAddr:
		return shapeAddr
	case len(parts) == 2 && parts[0].kind == partAddr && parts[1].kind == partAddr:
		return shapeAddr2
	case len(parts) == 2 && parts[0].field == flowlog.DstPort && parts[1].field == flowlog.Protocol &&
		parts[0].kind == partNum && parts[1].kind == partNum:
		return shapePortProto
	case len(parts) == 2 && parts[0].kind == partStr && parts[1].kind == partEnum:
		return shapeStrEnum
	}
	return shapeParts
}

// alloc gives the table slots empty slots in a new array with room for
// twice as many, so that the next growth splits the table in place
// (split) and only every other one copies it into a new array (grow):
// when the array is small, or the heap fresh (freshHeap), where the room
// is memory nobody touches until the table grows into it. Once the
// runtime collects garbage, a large new array may be reused memory that
// make clears whole, room included: then it has none.
func (t *packedTable) alloc(slots int) {
	spare := slots
	if slots > directSlots && !freshHeap() {
		spare = 0
	}
	t.slots = make([]packedGroup, slots, slots+spare)
	writeEachPage(t.slots)
	t.sized(slots)
	t.n = 0
}

// sized sets what follows from the number of slots.
func (t *packedTable) sized(slots int) {
	t.mask = uint64(slots - 1)
	t.room = 0
	if slots > directSlots && t.ports == nil { // a lane's key must not queue (see portLanes)
		t.room = batchSize - 1
	}
}

// packRecord returns r's packed key, or false when it does not pack
// (an address absent or not IPv4: an IPv4-mapped IPv6 address is IPv6
// here, as in makeKey): makeKey and pack in one step, reading the record
// once.
func (t *packedTable) packRecord(r *flowlog.Record) (uint64, bool) {
	// A record's address of an absent field is the zero Addr (flowlog
	// documents it), which is not IPv4: Is4 is the whole check.
	switch t.shape {
	case shapeAddr:
		a := addrOf(r, t.f0)
		if !a.Is4() {
			return 0, false
		}
		return ipv4(a), true
	case shapeAddr2:
		a, b := addrOf(r, t.f0), addrOf(r, t.f1)
		if !a.Is4() || !b.Is4() {
			return 0, false
		}
		return ipv4(a)<<32 | ipv4(b), true
	case shapePortProto: // packParts' value<<2 | tag for each; 16 and 8 bits always fit
		var p, pt, n, nt uint64
		if r.Has(flowlog.DstPort) {
			p, pt = uint64(r.DstPort()), 1
		}
		if r.Has(flowlog.Protocol) {
			n, nt = uint64(r.Protocol()), 1
		}
		return ((p<<2|pt)<<8|n)<<2 | nt, true
	case shapeStrEnum: // likewise; a string id fits its 32 bits
		var s, st, n, nt uint64
		if r.Has(t.f0) {
			s, st = uint64(t.parts[0].strs.id(r.Str(t.f0))), 1
		}
		if r.Has(t.f1) {
			n, nt = numOf(r, t.f1), 1
		}
		if n>>8 != 0 {
			return 0, false
		}
		return ((s<<2|st)<<8|n)<<2 | nt, true
	}
	return t.packParts(r)
}

// ipv4 returns the IPv4 address a as a number: its packed form.
func ipv4(a netip.Addr) uint64 {
	a4 := a.As4()
	return uint64(binary.BigEndian.Uint32(a4[:]))
}

// packParts is packRecord for any layout.
func (t *packedTable) packParts(r *flowlog.Record) (uint64, bool) {
	var v uint64
	for i := range t.parts {
		p, b := &t.parts[i], t.bits[i]
		f := p.field
		switch p.kind {
		case partAddr:
			a := addrOf(r, f)
			if !a.Is4() || !r.Has(f) {
				return 0, false
			}
			v = v<<32 | ipv4(a)
			continue
		case partFamily:
			var tag uint64
			if r.Has(f) {
				tag = 2
				if addrOf(r, f).Is4() {
					tag = 1
				}
			}
			v = v<<2 | tag
			continue
		}
		var x, tag uint64
		if r.Has(f) {
			if p.kind == partStr {
				x = uint64(p.strs.id(r.Str(f)))
			} else {
				x = numOf(r, f)
			}
			tag = 1
		}
		if x>>b != 0 {
			return 0, false
		}
		v = (v<<b|x)<<2 | tag
	}
	return v, true
}

// pack returns the packed form of the general key k, or false when it
// does not pack (an address absent or IPv6, a value wider than its bits).
func (t *packedTable) pack(k []uint64) (uint64, bool) {
	var v uint64
	for i := range t.parts {
		p, b := &t.parts[i], t.bits[i]
		tag := p.tag(k)
		switch p.kind {
		case partAddr:
			if tag != 1 {
				return 0, false
			}
			v = v<<32 | k[p.word+1]
		case partFamily:
			v = v<<2 | tag
		default:
			x := k[p.word]
			if x>>b != 0 {
				return 0, false
			}
			v = (v<<b|x)<<2 | tag
		}
	}
	return v, true
}

// unpack writes the general key of the packed key v into k.
func (t *packedTable) unpack(v uint64, k []uint64) {
	tag := uint64(usedBit)
	for i := len(t.parts) - 1; i >= 0; i-- {
		p, b := &t.parts[i], t.bits[i]
		switch p.kind {
		case partAddr:
			k[p.word], k[p.word+1] = 0, v&(1<<32-1)
			v >>= 32
			tag |= 1 << p.shift
		case partFamily:
			tag |= (v & 3) << p.shift
			v >>= 2
		default:
			tag |= (v & 3) << p.shift
			v >>= 2
			k[p.word] = v & (1<<b - 1)
			v >>= b
		}
	}
	k[0] = tag
}

// Records are counted in batches: add queues a record's key and counts,
// and every batchSize records rotate prefetches the slots their keys
// hash to and counts the batch before, whose slots it prefetched a batch
// ago (see rotate). A reader (each, merge, count) first flushes: it
// counts the prefetched batch, then loads the slots of the queued one,
// for all of them, before counting them. The loads do not depend on
// each other, so the processor waits for their cache misses together,
// not one after another as it does when each record looks its group up
// before the next is parsed: over a table that outgrows the caches
// (pairs) this is most of the time a record costs.
const batchSize = 16

// pending is a queued record: its key, the key's hash and its counts.
type pending struct{ key, hash, packets, bytes uint64 }

func hashPacked(k uint64) uint64 { return mix(k, tableSeed) } // hashWords of one word, inlined

// group returns the group of k, whose hash is h, adding it (with zero
// counts, which the caller makes non-zero) if it is new.
func (t *packedTable) group(k, h uint64) *packedGroup {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		g := &t.slots[i]
		if g.records != 0 {
			if g.key == k {
				return g
			}
			continue
		}
		// Up to 7/8 full, as the general table.
		if 8*(t.n+1) > 7*(int(t.mask)+1) {
			t.grow()
			return t.group(k, h)
		}
		g.key = k
		t.n++
		return g
	}
}

// directSlots is the size up to which a table counts each record at
// once: a table of up to 256 KiB stays in the caches, where queueing
// would cost more than it saves. A table only grows, so the queue is
// empty when it passes the size.
const directSlots = 8192

// enqueue queues r's counts in the group of key k, to be counted when
// the batch is flushed, and reports true, unless the table counts
// records at once (it is small) or r would fill the batch: then the
// caller must call add. It is add's common case, small enough to be
// inlined into the loop over every record.
func (t *packedTable) enqueue(k uint64, r *flowlog.Record) bool {
	q := t.queued
	if q >= t.room {
		return false
	}
	t.queue[q] = pending{key: k, packets: r.Packets(), bytes: r.Bytes()}
	t.queued = q + 1
	return true
}

// add counts r in the group of key k (when the batch is flushed, for a
// large table).
func (t *packedTable) add(k uint64, r *flowlog.Record) {
	if t.ports != nil && t.addPort(k, r) {
		return
	}
	if len(t.slots) <= directSlots {
		g := t.group(k, hashPacked(k))
		g.records++
		g.packets += r.Packets()
		g.bytes += r.Bytes()
		return
	}
	t.queue[t.queued] = pending{key: k, packets: r.Packets(), bytes: r.Bytes()}
	if t.queued++; t.queued == batchSize {
		t.rotate()
	}
}

// rotate is a full queue's turn where the processor can prefetch: it
// hashes the queued keys and asks for their home slots' cache lines
// without waiting for them (prefetchLines), counts the batch before,
// whose lines it asked for a batch ago, and keeps this one for the next
// turn. Between the two turns the next batchSize records are parsed,
// ~1 µs, several times the memory's latency: the counting finds its
// lines in the cache instead of waiting for them, as flush's loads do
// (a load holds the processor's retirement until its line arrives).
// Where prefetchLines has no prefetch instruction it loads, as flush.
func (t *packedTable) rotate() {
	var lines [batchSize]*packedGroup
	for i := range t.queue {
		h := hashPacked(t.queue[i].key)
		t.queue[i].hash = h
		lines[i] = &t.slots[h&t.mask]
	}
	prefetchLines(&lines)
	t.countBatch(t.ready[:t.nready])
	t.ready, t.nready = t.queue, batchSize
	t.queued = 0
}

// countBatch counts the records of q, whose hashes are set.
func (t *packedTable) countBatch(q []pending) {
	for i := range q {
		// Most keys are in the slot they hash to: look there without
		// group's call (which is not inlined), and probe on only if not.
		k, h := q[i].key, q[i].hash
		g := &t.slots[h&t.mask]
		if g.key != k || g.records == 0 {
			g = t.group(k, h)
		}
		g.records++
		g.packets += q[i].packets
		g.bytes += q[i].bytes
	}
}

// flush counts the queued records: the port lanes' (see settlePorts),
// the prefetched batch, then the queue.
func (t *packedTable) flush() {
	if t.ports != nil {
		t.settlePorts()
	}
	t.countBatch(t.ready[:t.nready])
	t.nready = 0
	q := t.queue[:t.queued]
	var touched uint64
	for i := range q {
		q[i].hash = hashPacked(q[i].key)
		touched += t.slots[q[i].hash&t.mask].key // brings the line in; the sum keeps the load
	}
	t.touched = touched
	t.countBatch(q)
	t.queued = 0
}

func (t *packedTable) merge(k uint64, a agg) {
	if t.ports != nil && t.mergePort(k, a) {
		return
	}
	t.flush()
	g := t.group(k, hashPacked(k))
	g.records += uint64(a.records)
	g.packets += uint64(a.packets)
	g.bytes += uint64(a.bytes)
}

// grow doubles the table: in place when its array has the room (split),
// else into a new array, reinserting every group in the first empty slot
// from its home, without group's growth check and key compares (the keys
// are distinct).
func (t *packedTable) grow() {
	if cap(t.slots) >= 2*len(t.slots) {
		t.split()
		return
	}
	t.rehash(2 * len(t.slots))
}

// rehash moves the groups into a new array of slots (more than they
// fill), each in the first empty slot from its home.
func (t *packedTable) rehash(slots int) {
	old, n := t.slots, t.n
	t.alloc(slots)
	for i := range old {
		if g := &old[i]; g.records != 0 {
			t.reinsert(g)
		}
	}
	t.n = n
}

// reinsert puts the group g, not in t, in the first empty slot from its
// home: without group's growth check and key compares (the keys are
// distinct).
func (t *packedTable) reinsert(g *packedGroup) {
	j := hashPacked(g.key) & t.mask
	for t.slots[j].records != 0 {
		j = (j + 1) & t.mask
	}
	t.slots[j] = *g
}

// split doubles the table in place, into the room alloc left after it:
// the second half is new (zero) memory, and the first half's groups stay
// where they are or move up by the old size, with their home's new bit.
// Growing so touches no memory but the new half: a table's growth leaves
// half as many outgrown arrays behind, memory a process faults in and,
// with the collector off (cmd/flowlog's heap floor), never reuses.
//
// The groups are reinserted one at a time, in the order of their slots,
// each in the first empty slot from its new home. That is valid linear
// probing, in place, because of where each lands. A group's old home h
// is at most its slot p, but for the groups before the first empty slot
// (whose probes may have come round the end of the old table): those
// are set aside first and inserted last, when no slot empties any more.
// Of the others, in order, a group whose home stays h lands in [h, p]
// (slot p is free once it is taken out), past slots that are all
// counted already and only fill from then on; a group whose home moves
// to h+n lands in [h+n, p+n], in the new half, past groups moved there
// before it, each to at most its own slot + n < p+n.
func (t *packedTable) split() {
	n := len(t.slots)
	s := t.slots[: 2*n : 2*n]
	writeEachPage(s[n:])
	t.slots = s
	t.sized(2 * n)
	e := 0
	for s[e].records != 0 { // there is an empty slot: the table is at most 7/8 full
		e++
	}
	var buf [64]packedGroup
	aside := append(buf[:0], s[:e]...)
	clear(s[:e])
	for p := e + 1; p < n; p++ {
		g := s[p]
		if g.records == 0 {
			continue
		}
		s[p] = packedGroup{}
		j := hashPacked(g.key) & t.mask
		for s[j].records != 0 { // no wrap: j stays below p+n (see above)
			j++
		}
		s[j] = g
	}
	for i := range aside {
		t.reinsert(&aside[i])
	}
}

// count returns the number of groups.
func (t *packedTable) count() int {
	t.flush()
	if t.ports != nil {
		return t.n + t.ports.n
	}
	return t.n
}

// each calls fn with every group's packed key and counts.
func (t *packedTable) each(fn func(k uint64, a agg)) {
	t.flush()
	for i := range t.slots {
		if g := &t.slots[i]; g.records != 0 {
			fn(g.key, agg{int64(g.records), int64(g.packets), int64(g.bytes)})
		}
	}
	if t.ports != nil {
		t.ports.each(fn)
	}
}

// packedChunk is where one part lies in a packed key: bits [shift,
// shift+width). A tagged part's low two bits are its tag (0: absent); an
// address is untagged (it packs only when present and IPv4).
type packedChunk struct {
	shift, width uint8
	tagged       bool
}

// chunks returns where each part lies in a packed key, as pack and
// unpack lay them out: the first part in the highest bits. A key's parts
// can be read, and the key of a subset of its parts made, from its bits
// (the answers of a Set read a wide table's groups so).
func (t *packedTable) chunks() []packedChunk {
	out := make([]packedChunk, len(t.parts))
	pos := uint8(0)
	for i := len(t.parts) - 1; i >= 0; i-- {
		switch t.parts[i].kind {
		case partAddr:
			out[i] = packedChunk{shift: pos, width: 32}
		case partFamily:
			out[i] = packedChunk{shift: pos, width: 2, tagged: true}
		default:
			out[i] = packedChunk{shift: pos, width: t.bits[i] + 2, tagged: true}
		}
		pos += out[i].width
	}
	return out
}

// eachBatch calls fn with the groups of the table, a batch of up to
// len(keys) at a time (their packed keys and counts, in keys and aggs,
// which must be as long), read without a branch per slot: a table is
// from 7/16 to 7/8 full, and a branch on each slot's emptiness is
// mispredicted about every other slot, ~3 ns a slot, most of what a read
// of the report's pair table (131,072 slots) costs otherwise.
func (t *packedTable) eachBatch(keys []uint64, aggs []agg, fn func(keys []uint64, aggs []agg)) {
	t.flush()
	aggs = aggs[:len(keys)]
	for c := 0; c < len(t.slots); c += len(keys) {
		n := 0
		for _, g := range t.slots[c:min(c+len(keys), len(t.slots))] {
			keys[n], aggs[n] = g.key, agg{int64(g.records), int64(g.packets), int64(g.bytes)}
			n += int((g.records | -g.records) >> 63) // 1 unless empty (records 0)
		}
		if n > 0 {
			fn(keys[:n], aggs[:n])
		}
	}
	if t.ports != nil {
		t.ports.eachBatch(keys, aggs, fn)
	}
}
