package investigations

import (
	"math"
	"unsafe"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// portLanes counts, in front of a packed table of a (16-bit number,
// protocol) layout (the report's rejected traffic by destination port
// and protocol; any port with the protocol), the groups of the two
// common protocols, TCP and UDP, in arrays indexed by the port: a lane
// per protocol, from the table's portLanesFrom-th group on (adoptPorts;
// a small table counts in its slots). A record costs an
// increment at a known place: no hash, no probe, no comparison of keys,
// no growth. Every other group (another protocol, an absent port or
// protocol) counts in the packed table's slots as before.
//
// The lanes are part of the table: its readers (each, eachBatch, count)
// read the lanes' non-zero entries after the slots, as packed keys and
// counts, so that everything downstream reads the table as before; a
// merged group of a lane's key adds to the lane. A key of a lane is in
// the lanes only, never in the slots too (the table does not queue
// while it has lanes: alloc), so no group is read twice. Reading does
// not change the lanes: records added after a read count on, and a
// second read reads the same.
//
// An entry is counted portAhead records of the lanes after its record
// came, its cache line prefetched when it came: the ports are random
// and the lanes (2 MiB) are not in the caches next to the report's
// other tables; counted at once, each record waited ~100 ns for its
// line (pprof: 14 ms per 1M input records, twice the packed table's
// cost).
//
// A record or merged group that would take an entry's 32-bit records
// or packets past their limit moves the lanes into the slots (spillPorts,
// the table grown once for all their groups), and the table counts on
// without lanes, as before them.
//
// Why: over issue 13's input (1M generated lines, 1 in 8 rejected, a
// random destination port of 64,511 for TCP and UDP) the table of
// rejected traffic by port has ~69,000 groups. In the slots they cost a
// hash and a probe per record and a growth chain from 8 Ki to 128 Ki
// slots (8 MiB written, ~2,000 page faults in a new process), about 6-7
// ns per input record in all (BenchmarkSetAddReport's add-ns/record
// without the table: 41 -> ~34). The lanes are 1 MiB each (16 bytes a
// port), written once, read in place; the slots stay at 16. Folding
// the lanes into the slots at the first read instead (grown once, the
// lanes zeroed) kept a 4 MiB table to write, fault in and read: perf
// stat of `flowlog report --workers 1` over those lines, 6 alternating
// runs, medians: main 159 ms, 6,850 faults; folded 156 ms, 6,340;
// read in place 150 ms, 5,310.
type portLanes struct {
	lanes [2]*[1 << 16]portCount // TCP, UDP (portProtocols); nil until used
	n     int                    // non-zero entries: the groups the lanes hold
	on    bool                   // the lanes count (see adoptPorts)
	never bool                   // a group too large for a lane: they never will
	ahead [portAhead]pendingPort // records to count, their lines prefetched
	next  int                    // the next record's place in ahead
}

// portCount is a port's group in a lane. The 32-bit counts keep an
// entry at 16 bytes, four to a cache line, never across two.
type portCount struct {
	records, packets uint32
	bytes            uint64
}

// pendingPort is a record to count in a lane: its entry, its packed key
// (for the slots, should the lanes spill) and its counts.
type pendingPort struct {
	c                   *portCount
	key, packets, bytes uint64
}

// portAhead is how many records of the lanes come between a record and
// its counting. One rejected record in 8 (the generator's): 4 are ~30
// records apart, ~3 µs of parsing, many times the memory's latency.
const portAhead = 4

// The protocols of the lanes (IANA protocol numbers), and by lane.
const (
	protoTCP = 6
	protoUDP = 17
)

var portProtocols = [2]uint64{protoTCP, protoUDP}

// Packed keys of the layout are ((port<<2 | tag)<<8 | protocol)<<2 |
// tag (packRecord, packParts): the low 12 bits of a key whose port and
// protocol are present and whose protocol is a lane's.
const (
	portKeyTCP = (1<<8|protoTCP)<<2 | 1
	portKeyUDP = (1<<8|protoUDP)<<2 | 1
)

// newPortLanes returns the lanes for a packed table of the layout parts,
// or nil when the layout is not a 16-bit number field and the protocol.
func newPortLanes(parts []part, bits []uint8) *portLanes {
	if len(parts) != 2 || parts[0].kind != partNum || bits[0] != 16 ||
		parts[1].kind != partNum || parts[1].field != flowlog.Protocol || bits[1] != 8 {
		return nil
	}
	return &portLanes{}
}

// entry returns the entry of the packed key k, or nil when k is no
// lane's.
func (d *portLanes) entry(k uint64) *portCount {
	var lane int
	switch k & (1<<12 - 1) {
	case portKeyTCP:
		lane = 0
	case portKeyUDP:
		lane = 1
	default:
		return nil
	}
	l := d.lanes[lane]
	if l == nil {
		l = new([1 << 16]portCount)
		writeEachPage(l[:]) // an entry is read before it is written: see writeEachPage
		d.lanes[lane] = l
	}
	return &l[uint16(k>>12)]
}

// addPort counts r, whose packed key is k, in its lane (portAhead
// records of the lanes later), and reports whether it does: false for
// a key of no lane, or when the lanes spilled (the caller counts r).
func (t *packedTable) addPort(k uint64, r *flowlog.Record) bool {
	d := t.ports
	if !d.on {
		if t.n < portLanesFrom || d.never {
			return false
		}
		if t.adoptPorts(); !d.on {
			return false
		}
	}
	c := d.entry(k)
	if c == nil {
		return false
	}
	prefetchLine(unsafe.Pointer(c))
	q := &d.ahead[d.next&(portAhead-1)]
	if q.c != nil {
		if t.countPort(q); t.ports == nil {
			return false
		}
	}
	*q = pendingPort{c: c, key: k, packets: r.Packets(), bytes: r.Bytes()}
	d.next++
	return true
}

// countPort counts the pending record q, and clears it.
func (t *packedTable) countPort(q *pendingPort) {
	c := q.c
	q.c = nil
	if !t.ports.fits(c, 1, q.packets) {
		t.spillPorts()
		g := t.group(q.key, hashPacked(q.key))
		g.records++
		g.packets += q.packets
		g.bytes += q.bytes
		return
	}
	t.ports.n += int((uint64(c.records) - 1) >> 63) // 1 for a new group, without a branch (half the records are)
	c.records++
	c.packets += uint32(q.packets)
	c.bytes += q.bytes
}

// fits reports whether c can count records more records and packets
// more packets in 32 bits.
func (d *portLanes) fits(c *portCount, records, packets uint64) bool {
	return records <= math.MaxUint32-uint64(c.records) && packets <= math.MaxUint32-uint64(c.packets)
}

// mergePort adds the group of key k, counts a, to its lane, and reports
// whether it did: false for a key of no lane, or when the lanes spilled
// (the caller merges the group).
func (t *packedTable) mergePort(k uint64, a agg) bool {
	d := t.ports
	if !d.on {
		return false // the slots count until adoptPorts
	}
	c := d.entry(k)
	if c == nil {
		return false
	}
	if !d.fits(c, uint64(a.records), uint64(a.packets)) {
		t.spillPorts()
		return false
	}
	if c.records == 0 {
		d.n++
	}
	c.records += uint32(a.records)
	c.packets += uint32(a.packets)
	c.bytes += uint64(a.bytes)
	return true
}

// settlePorts counts the pending records, before a read.
func (t *packedTable) settlePorts() {
	d := t.ports
	for i := range d.ahead {
		if q := &d.ahead[i]; q.c != nil {
			if t.countPort(q); t.ports == nil {
				return // spilled, the other pending records with the lanes
			}
		}
	}
}

// each calls fn with the key and counts of every group of the lanes.
func (d *portLanes) each(fn func(k uint64, a agg)) {
	for lane, l := range d.lanes {
		if l == nil {
			continue
		}
		for port := range l {
			if c := &l[port]; c.records != 0 {
				fn(portKey(port, lane), agg{int64(c.records), int64(c.packets), int64(c.bytes)})
			}
		}
	}
}

// portKey returns the packed key of port's entry in lane.
func portKey(port, lane int) uint64 {
	return ((uint64(port)<<2|1)<<8|portProtocols[lane])<<2 | 1
}

// eachBatch is packedTable.eachBatch for the lanes' groups: read without
// a branch per entry (about half the entries are empty, at random).
func (d *portLanes) eachBatch(keys []uint64, aggs []agg, fn func(keys []uint64, aggs []agg)) {
	for lane, l := range d.lanes {
		if l == nil {
			continue
		}
		n := 0
		for port := range l {
			c := &l[port]
			keys[n], aggs[n] = portKey(port, lane), agg{int64(c.records), int64(c.packets), int64(c.bytes)}
			n += int((uint64(c.records) | -uint64(c.records)) >> 63) // 1 unless empty
			if n == len(keys) {
				fn(keys, aggs)
				n = 0
			}
		}
		if n > 0 {
			fn(keys[:n], aggs[:n])
		}
	}
}

// spillPorts moves the lanes' groups and pending records into the
// slots, and the table counts on without lanes: the slots grown once for
// all their groups (reserve), then the groups inserted a batch of
// foldBatch at a time, the batch's slots loaded first, all of them, so
// that the processor waits for their cache misses together (as flush
// does).
func (t *packedTable) spillPorts() {
	d := t.ports
	t.ports = nil
	if len(t.slots) > directSlots {
		t.room = batchSize - 1 // as alloc: the table may queue now
	}
	t.reserve(t.n + d.n + portAhead)
	for i := range d.ahead {
		if q := &d.ahead[i]; q.c != nil {
			g := t.group(q.key, hashPacked(q.key))
			g.records++
			g.packets += q.packets
			g.bytes += q.bytes
			q.c = nil
		}
	}
	var keys [foldBatch]uint64
	var aggs [foldBatch]agg
	for lane, l := range d.lanes {
		if l == nil {
			continue
		}
		n := 0
		for port := range l {
			if c := &l[port]; c.records != 0 {
				keys[n], aggs[n] = portKey(port, lane), agg{int64(c.records), int64(c.packets), int64(c.bytes)}
				if n++; n == foldBatch {
					t.insertFolded(keys[:n], aggs[:n])
					n = 0
				}
			}
		}
		t.insertFolded(keys[:n], aggs[:n])
	}
}

// portLanesFrom is the number of groups from which a table counts in
// lanes: below it, the slots (up to 4,096: 128 KiB) stay in the caches
// and cost less than the lanes' 2 MiB to write and fault in (a report
// over 2,000 lines: 8.6 -> 10.8 ms, 1,560 -> 2,090 page faults, when
// the lanes were there from the first record).
const portLanesFrom = 4096

// adoptPorts moves the groups of the lanes' keys from the slots to the
// lanes, which count from now on, and the slots keep the others, resized
// for them; unless a group's counts do not fit a lane's 32 bits: then
// the lanes never count.
func (t *packedTable) adoptPorts() {
	d := t.ports
	t.flush()
	rest := 0
	for i := range t.slots {
		g := &t.slots[i]
		if g.records == 0 {
			continue
		}
		if d.entry(g.key) == nil { // allocates the lanes the slots' groups use
			rest++
		} else if g.records > math.MaxUint32 || g.packets > math.MaxUint32 {
			d.never = true
			d.lanes = [2]*[1 << 16]portCount{}
			return
		}
	}
	old := t.slots
	slots := 16
	for 8*rest > 7*slots {
		slots *= 2
	}
	t.alloc(slots)
	for i := range old {
		g := &old[i]
		if g.records == 0 {
			continue
		}
		if c := d.entry(g.key); c != nil {
			*c = portCount{records: uint32(g.records), packets: uint32(g.packets), bytes: g.bytes}
			d.n++
			continue
		}
		t.reinsert(g)
		t.n++
	}
	d.on = true
}

// foldBatch is how many groups spillPorts inserts at a time.
const foldBatch = 32

// insertFolded adds the groups keys, counts aggs, to t, which has room
// for them (reserve).
func (t *packedTable) insertFolded(keys []uint64, aggs []agg) {
	var hashes [foldBatch]uint64
	var touched uint64
	for i, k := range keys {
		h := hashPacked(k)
		hashes[i] = h
		touched += t.slots[h&t.mask].key // brings the line in; the sum keeps the load
	}
	t.touched = touched
	for i, k := range keys {
		h := hashes[i]
		g := &t.slots[h&t.mask]
		if g.key != k || g.records == 0 {
			g = t.group(k, h)
		}
		g.records += uint64(aggs[i].records)
		g.packets += uint64(aggs[i].packets)
		g.bytes += uint64(aggs[i].bytes)
	}
}

// reserve grows t at once to hold groups groups without growing (up to
// 7/8 full, as group grows it), reinserting its groups as grow does.
func (t *packedTable) reserve(groups int) {
	slots := len(t.slots)
	for 8*groups > 7*slots {
		slots *= 2
	}
	if slots == len(t.slots) {
		return
	}
	t.rehash(slots)
}
