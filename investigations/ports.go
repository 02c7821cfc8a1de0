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
// per protocol, allocated on its first record. A record costs an
// increment at a known place: no hash, no probe, no comparison of keys,
// no growth. Every other group (another protocol, an absent port or
// protocol) counts in the packed table as before, and so does a record
// that would overflow its entry's 32-bit counts.
//
// An entry is counted portAhead records of the lanes after its record
// came, its cache line prefetched when it came: the ports are random
// and the lanes (2 MiB) are not in the caches next to the report's
// other tables; counted at once, each record waited ~100 ns for its
// line (pprof: the lanes' add was 14 ms per 1M input records, twice
// the packed table it replaces).
//
// The packed table folds the lanes into its slots before anything reads
// them (flush, which each, eachBatch, count and merge call first):
// grown once to hold every group, not doubling step by step, then each
// lane's non-zero entries added to their groups and zeroed, so that
// records added after a read count from zero and a second read does not
// count them twice. Everything downstream reads the packed table as
// before.
//
// Why: over issue 13's input (1M generated lines, 1 in 8 rejected, a
// random destination port of 64,511 for TCP and UDP) the table of
// rejected traffic by port has ~69,000 groups. In the packed table they
// cost a hash and a probe per record and a growth chain from 8 Ki to
// 128 Ki slots (8 MiB written, ~2,000 page faults in a new process),
// about 6-7 ns per input record in all (BenchmarkSetAddReport's
// add-ns/record without the table: 41 -> ~34). The lanes are 1 MiB
// each (16 bytes a port) and the fold writes the 4 MiB table once.
type portLanes struct {
	lanes [2]*[1 << 16]portCount // TCP, UDP (portProtocols); nil until used
	n     int                    // non-zero entries: the groups the lanes hold
	ahead [portAhead]pendingPort // records to count, their lines prefetched
	next  int                    // the next record's place in ahead
}

// portCount is a port's group in a lane. The 32-bit counts keep an
// entry at 16 bytes, four to a cache line, never across two; a record
// that would overflow one counts in the packed table instead.
type portCount struct {
	records, packets uint32
	bytes            uint64
}

// pendingPort is a record to count in a lane: its entry, its packed key
// (for the packed table, should the entry be full) and its counts.
type pendingPort struct {
	c                   *portCount
	key, packets, bytes uint64
}

// portAhead is how many records of the lanes come between a record and
// its counting. One rejected record in 8 (the generator's): 4 are ~30
// records apart, ~3 µs of parsing, many times the memory's latency.
const portAhead = 4

// portProtocols are the protocols of the lanes: TCP and UDP, by lane.
var portProtocols = [2]uint64{6, 17}

// Packed keys of the layout are ((port<<2 | tag)<<8 | protocol)<<2 |
// tag (packRecord, packParts): the low 12 bits of a key whose port and
// protocol are present and whose protocol is a lane's.
const (
	portKeyTCP = (1<<8|6)<<2 | 1
	portKeyUDP = (1<<8|17)<<2 | 1
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

// addPort counts r, whose packed key is k, in its lane (portAhead
// records of the lanes later), and reports whether it does: false for
// a key of no lane.
func (t *packedTable) addPort(k uint64, r *flowlog.Record) bool {
	d := t.ports
	var lane int
	switch k & (1<<12 - 1) {
	case portKeyTCP:
		lane = 0
	case portKeyUDP:
		lane = 1
	default:
		return false
	}
	l := d.lanes[lane]
	if l == nil {
		l = d.alloc(lane)
	}
	c := &l[uint16(k>>12)]
	prefetchLine(unsafe.Pointer(c))
	q := &d.ahead[d.next&(portAhead-1)]
	if q.c != nil {
		t.countPort(q)
	}
	*q = pendingPort{c: c, key: k, packets: r.Packets(), bytes: r.Bytes()}
	d.next++
	return true
}

// countPort counts the pending record q in its lane's entry, or in the
// packed table when a count would overflow, and clears q.
func (t *packedTable) countPort(q *pendingPort) {
	c := q.c
	if c.records == math.MaxUint32 || q.packets > math.MaxUint32-uint64(c.packets) {
		g := t.group(q.key, hashPacked(q.key))
		g.records++
		g.packets += q.packets
		g.bytes += q.bytes
	} else {
		t.ports.n += int((uint64(c.records) - 1) >> 63) // 1 for a new group, without a branch (half the records are)
		c.records++
		c.packets += uint32(q.packets)
		c.bytes += q.bytes
	}
	q.c = nil
}

// alloc makes lane's array, its pages written once before use (see
// writeEachPage: countPort reads an entry before writing it).
func (d *portLanes) alloc(lane int) *[1 << 16]portCount {
	l := new([1 << 16]portCount)
	writeEachPage(l[:])
	d.lanes[lane] = l
	return l
}

// pending reports whether the lanes hold or will hold any group.
func (d *portLanes) pending() bool { return d.n > 0 || d.ahead[(d.next-1)&(portAhead-1)].c != nil }

// foldPorts moves the lanes' groups into t's slots and zeroes them.
//
// The groups are inserted a batch of foldBatch at a time: the batch's
// slots loaded first, all of them, then counted, so that the processor
// waits for their cache misses together (as flush does); and each lane
// is read without a branch per entry (as eachBatch reads slots): about
// half the entries are empty, at random.
func (t *packedTable) foldPorts() {
	d := t.ports
	for i := range d.ahead {
		if q := &d.ahead[i]; q.c != nil {
			t.countPort(q)
		}
	}
	t.reserve(t.n + d.n + t.queued + t.nready)
	var keys [foldBatch]uint64
	var aggs [foldBatch]portCount
	for lane, l := range d.lanes {
		if l == nil {
			continue
		}
		proto := portProtocols[lane]
		n := 0
		for port := range l {
			c := l[port]
			keys[n], aggs[n] = ((uint64(port)<<2|1)<<8|proto)<<2|1, c
			n += int((uint64(c.records) | -uint64(c.records)) >> 63) // 1 unless empty
			if n == foldBatch {
				t.insertFolded(keys[:n], aggs[:n])
				n = 0
			}
		}
		t.insertFolded(keys[:n], aggs[:n])
		clear(l[:])
	}
	d.n = 0
}

// foldBatch is how many groups foldPorts inserts at a time.
const foldBatch = 32

// insertFolded adds the groups keys, counts aggs, to t, which has room for
// them (reserve).
func (t *packedTable) insertFolded(keys []uint64, aggs []portCount) {
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
		g.bytes += aggs[i].bytes
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
	old, n := t.slots, t.n
	t.alloc(slots)
	for i := range old {
		if g := &old[i]; g.records != 0 {
			j := hashPacked(g.key) & t.mask
			for t.slots[j].records != 0 {
				j = (j + 1) & t.mask
			}
			t.slots[j] = *g
		}
	}
	t.n = n
}
