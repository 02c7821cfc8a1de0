package investigations

import (
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestPortLanesLayouts: a packed table counts in port lanes exactly for
// a 16-bit number field followed by the protocol, whichever the port.
func TestPortLanesLayouts(t *testing.T) {
	for _, c := range []struct {
		keys  []flowlog.Field
		lanes bool
	}{
		{[]flowlog.Field{flowlog.DstPort, flowlog.Protocol}, true},
		{[]flowlog.Field{flowlog.SrcPort, flowlog.Protocol}, true},
		{[]flowlog.Field{flowlog.Protocol, flowlog.DstPort}, false},
		{[]flowlog.Field{flowlog.DstPort, flowlog.Action}, false},
		{[]flowlog.Field{flowlog.DstPort, flowlog.TCPFlags}, false},
		{[]flowlog.Field{flowlog.SrcAddr, flowlog.Protocol}, false},
		{[]flowlog.Field{flowlog.DstPort}, false},
		{[]flowlog.Field{flowlog.DstPort, flowlog.Protocol, flowlog.Action}, false},
	} {
		parts, _ := layout(byFields(c.keys...))
		pk := newPackedTable(parts)
		if got := pk != nil && pk.ports != nil; got != c.lanes {
			t.Errorf("%v: lanes %v, want %v", c.keys, got, c.lanes)
		}
	}
}

// portRecords returns n random records for the port tables: ports 0,
// 65535 and random ones, absent ports, protocols TCP, UDP, ICMP,
// ICMPv6, 132 and absent, actions ACCEPT, REJECT and absent (NODATA),
// and measures that repeat (ties); with huge, some of them beyond the
// lanes' 32-bit limits.
func portRecords(f flowlog.Format, n int, seed uint64, huge bool) []flowlog.Record {
	rng := rand.New(rand.NewPCG(seed, 7))
	recs := generated(f, n)
	ports := []uint64{0, 1, 22, 443, 1024, 65534, 65535}
	for i := range recs {
		r := &recs[i]
		set := func(fld flowlog.Field, v uint64) { _ = r.SetUint(fld, v) }
		absent := func(fld flowlog.Field) { _ = r.SetText(fld, "-") }
		switch x := rng.IntN(10); {
		case x == 0:
			absent(flowlog.DstPort)
		case x < 4:
			set(flowlog.DstPort, ports[rng.IntN(len(ports))])
		default:
			set(flowlog.DstPort, uint64(rng.IntN(1<<16)))
		}
		set(flowlog.SrcPort, uint64(rng.IntN(1<<16)))
		switch x := rng.IntN(12); {
		case x < 5:
			set(flowlog.Protocol, 6)
		case x < 9:
			set(flowlog.Protocol, 17)
		case x == 9:
			set(flowlog.Protocol, []uint64{1, 58, 132, 0, 255}[rng.IntN(5)])
		default:
			absent(flowlog.Protocol)
		}
		switch x := rng.IntN(8); {
		case x < 4:
			set(flowlog.Action, uint64(flowlog.Reject))
		case x < 7:
			set(flowlog.Action, uint64(flowlog.Accept))
		default:
			absent(flowlog.Action)
			set(flowlog.LogStatus, uint64(flowlog.StatusNoData))
		}
		set(flowlog.Packets, uint64(1+rng.IntN(3)))
		set(flowlog.Bytes, uint64(40*(1+rng.IntN(3))))
		if huge && rng.IntN(500) == 0 { // packets beyond a lane's 32 bits, in a record or in a sum
			set(flowlog.Packets, math.MaxUint32-uint64(rng.IntN(2)))
			set(flowlog.Bytes, math.MaxUint64/4)
		}
	}
	return recs
}

// portInvestigations are tables of the port and protocol layouts: the
// catalogue's (limited, ordered by records), and every group of two
// others, so that the whole tables are compared.
func portInvestigations(t *testing.T) []Investigation {
	t.Helper()
	inv, ok := Lookup("rejected-by-dst-port")
	if !ok {
		t.Fatal("no rejected-by-dst-port in the catalogue")
	}
	return []Investigation{
		inv,
		TopN([]flowlog.Field{flowlog.DstPort, flowlog.Protocol}, Packets, 0, Cond{}),
		TopN([]flowlog.Field{flowlog.SrcPort, flowlog.Protocol}, Bytes, 0, Equal(flowlog.Action, "REJECT")),
	}
}

// refResults is refResult, the plain Go map, for each of invs.
func refResults(invs []Investigation, recs []flowlog.Record) []Result {
	out := make([]Result, len(invs))
	for i, inv := range invs {
		out[i] = refResult(inv, recs)
	}
	return out
}

func checkResults(t *testing.T, what string, got, want []Result) {
	t.Helper()
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: table %d: %d rows, want %d; first rows %v, want %v",
				what, i, len(got[i].Rows), len(want[i].Rows), head(got[i].Rows), head(want[i].Rows))
		}
	}
}

// TestPortLanesEqualMap: the port tables, counted in lanes, give the
// answers of a plain Go map: by an Evaluator and by a Set, read in the
// middle of the input and then added to (twice read: no double count),
// and merged from several Sets, some of them read before; and so when
// records beyond the lanes' limits spill them into the slots.
func TestPortLanesEqualMap(t *testing.T) {
	f := flowlog.AllFields()
	for _, huge := range []bool{false, true} {
		checkPortTables(t, f, portRecords(f, 30000, 1, huge), !huge)
	}
}

// checkPortTables checks the port tables over recs against the plain Go
// map, and that their evaluators end with lanes or without.
func checkPortTables(t *testing.T, f flowlog.Format, recs []flowlog.Record, lanes bool) {
	t.Helper()
	invs := portInvestigations(t)
	half := len(recs) / 2

	for i, inv := range invs {
		ev, err := inv.NewEvaluator(f)
		if err != nil {
			t.Fatal(err)
		}
		for j := range recs[:half] {
			ev.Add(&recs[j])
		}
		checkResults(t, "evaluator, half", []Result{ev.Result()}, []Result{refResult(inv, recs[:half])})
		for j := range recs[half:] {
			ev.Add(&recs[half+j])
		}
		checkResults(t, "evaluator "+strconv.Itoa(i), []Result{ev.Result()}, []Result{refResult(inv, recs)})
		all := inv
		all.Limit = 0
		if n := len(refResult(all, recs).Rows); ev.Groups() != n {
			t.Errorf("%s: %d groups, want %d", inv.Name, ev.Groups(), n)
		}
		if ev.pk == nil || lanes != (ev.pk.ports != nil && ev.pk.ports.lanes[0] != nil && ev.pk.ports.lanes[1] != nil) {
			t.Fatalf("%s: lanes %v at the end, want %v: the test tests less than it says", inv.Name, !lanes, lanes)
		}
		if allocs := testing.AllocsPerRun(2, func() {
			for j := range recs {
				ev.Add(&recs[j])
			}
		}); allocs != 0 {
			t.Errorf("%s: %.1f allocations per pass over existing groups", inv.Name, allocs)
		}
	}

	s, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for j := range recs[:half] {
		s.Add(&recs[j])
	}
	checkResults(t, "set, half", s.Results(), refResults(invs, recs[:half]))
	for j := range recs[half:] {
		s.Add(&recs[half+j])
	}
	want := refResults(invs, recs)
	checkResults(t, "set, then the rest", s.Results(), want)
	checkResults(t, "set, read again", s.Results(), want)
	for i := range invs {
		if got := s.Result(i); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("Result(%d) differs from Results", i)
		}
	}
	if allocs := testing.AllocsPerRun(2, func() {
		for j := range recs {
			s.Add(&recs[j])
		}
	}); allocs != 0 {
		t.Errorf("set: %.1f allocations per pass over existing groups", allocs)
	}

	// Three sets, the records dealt at random; the second read halfway.
	sets := make([]*Set, 3)
	for i := range sets {
		if sets[i], err = NewSet(f, invs, nil); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(2, 2))
	var dealt [3][]flowlog.Record
	for j := range recs {
		if j == half {
			_ = sets[1].Results()
		}
		k := rng.IntN(len(sets))
		sets[k].Add(&recs[j])
		dealt[k] = append(dealt[k], recs[j])
	}
	sets[0].Merge(sets[1])
	sets[0].Merge(sets[2])
	checkResults(t, "merged sets", sets[0].Results(), want)
	for i, inv := range invs {
		all := inv
		all.Limit = 0
		if n, e := len(refResult(all, recs).Rows), sets[0].evals[sets[0].tables[i].eval]; e.Groups() != n {
			t.Errorf("merged %s: %d groups, want %d", inv.Name, e.Groups(), n)
		}
	}
	checkResults(t, "a merged set", sets[2].Results(), refResults(invs, dealt[2]))
	sets[0].Merge(sets[2]) // again: sets[2]'s records twice
	checkResults(t, "merged twice", sets[0].Results(), refResults(invs, append(append([]flowlog.Record{}, recs...), dealt[2]...)))
}

// TestPortLanesPartialSet: a Set over inputs of several formats counts
// the port tables of each input whose format has their fields, as the
// plain Go map over those inputs' records.
func TestPortLanesPartialSet(t *testing.T) {
	formats := []string{
		"${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
		"${action} ${protocol} ${dstport} ${packets} ${srcaddr} ${bytes} ${log-status} ${srcport}",
		"${srcaddr} ${dstaddr} ${dstport} ${action} ${packets} ${bytes} ${log-status}", // no protocol
		"${protocol} ${dstport} ${srcport} ${action} ${bytes} ${packets} ${log-status} ${start}",
	}
	invs := portInvestigations(t)
	var s *Set
	var counted []flowlog.Record
	for i, text := range formats {
		f, err := flowlog.ParseFormat(text)
		if err != nil {
			t.Fatal(err)
		}
		if s == nil {
			if s, err = NewPartialSet(f, invs, nil); err != nil {
				t.Fatal(err)
			}
		}
		lacking := s.Begin(f)
		// The records as the input holds them: only its format's fields.
		var recs []flowlog.Record
		for _, r := range portRecords(flowlog.AllFields(), 5000, uint64(10+i), false) {
			var in flowlog.Record
			for j := range f.Len() {
				fld := f.Field(j)
				if r.Has(fld) {
					_ = in.SetText(fld, r.Get(fld).String())
				}
			}
			recs = append(recs, in)
		}
		for j := range recs {
			s.Add(&recs[j])
		}
		if lacking[0] == nil {
			counted = append(counted, recs...)
		}
		if i == 1 {
			checkResults(t, "partial set, two inputs", s.Results(), refResults(invs, counted))
		}
	}
	checkResults(t, "partial set", s.Results(), refResults(invs, counted))
	for i := range invs {
		if pk := s.evals[s.tables[i].eval].pk; pk == nil || pk.ports == nil || !pk.ports.on {
			t.Errorf("table %d never counted in lanes: the test tests less than it says", i)
		}
	}
}

// TestPortLanesOverflow: a record that would take a lane entry's
// records or packets past 32 bits counts in the packed table, and the
// group's counts are the entry's and the record's sums.
func TestPortLanesOverflow(t *testing.T) {
	for _, c := range []struct {
		entry   portCount // the lane's entry when the record comes
		packets uint64    // the record's
	}{
		{portCount{records: math.MaxUint32, packets: 7, bytes: 9}, 10},
		{portCount{records: math.MaxUint32 - 1, packets: 7, bytes: 9}, 10},
		{portCount{records: 2, packets: math.MaxUint32 - 5, bytes: 9}, 10},
		{portCount{records: 2, packets: math.MaxUint32 - 10, bytes: 9}, 10}, // fits exactly
		{portCount{records: 2, packets: 1, bytes: math.MaxUint64}, 1 << 40},
		{portCount{}, math.MaxUint32},
		{portCount{}, math.MaxUint32 + 1},
	} {
		parts, _ := layout(byFields(flowlog.DstPort, flowlog.Protocol))
		pk := newPackedTable(parts)
		pk.ports.on = true // as if it had portLanesFrom groups (TestPortLanesAdopt)
		var r flowlog.Record
		_ = r.SetUint(flowlog.DstPort, 65535)
		_ = r.SetUint(flowlog.Protocol, 17)
		_ = r.SetUint(flowlog.Packets, c.packets)
		_ = r.SetUint(flowlog.Bytes, 100)
		k, _ := pk.packRecord(&r)
		pk.add(k, &r) // allocates the UDP lane; counted later
		if pk.ports.lanes[1] == nil {
			t.Fatal("UDP lane not allocated")
		}
		pk.ports.lanes[1][65535] = c.entry
		if c.entry.records != 0 {
			pk.ports.n++
		}
		want := agg{int64(c.entry.records) + 1, int64(uint64(c.entry.packets) + c.packets), int64(c.entry.bytes + 100)}
		got := map[uint64]agg{}
		pk.each(func(v uint64, a agg) { got[v] = a })
		if len(got) != 1 || got[k] != want || pk.count() != 1 {
			t.Errorf("entry %+v, record of %d packets: groups %v, want %#x: %v", c.entry, c.packets, got, k, want)
		}
		pk.each(func(v uint64, a agg) { got[v] = a }) // read again: the same
		if len(got) != 1 || got[k] != want {
			t.Errorf("entry %+v, read again: groups %v, want %v", c.entry, got, want)
		}
	}
}

// TestPortLanesReadInPlace: the lanes are read where they are, the
// slots untouched; when an entry would overflow, the lanes spill into
// the slots, grown once for all their groups (one allocation, not a
// doubling chain), and the table counts on without lanes.
func TestPortLanesReadInPlace(t *testing.T) {
	parts, _ := layout(byFields(flowlog.DstPort, flowlog.Protocol))
	pk := newPackedTable(parts)
	var r flowlog.Record
	_ = r.SetUint(flowlog.Protocol, 6)
	_ = r.SetUint(flowlog.Packets, 2)
	add := func(port uint64) {
		_ = r.SetUint(flowlog.DstPort, port)
		k, _ := pk.packRecord(&r)
		pk.add(k, &r)
	}
	for port := range uint64(20000) {
		add(port)
	}
	if n := pk.count(); n != 20000 || len(pk.slots) != 16 || pk.ports == nil {
		t.Fatalf("%d groups, %d slots, lanes %v: want 20000 in the lanes, 16 slots", n, len(pk.slots), pk.ports != nil)
	}
	pk.ports.lanes[0][7].packets = math.MaxUint32 - 1
	add(7) // counted at the next read: then it overflows
	var before, after runtime.MemStats
	runtime.GC() // no collection of the tests before under way while counting
	runtime.ReadMemStats(&before)
	n := pk.count()
	runtime.ReadMemStats(&after)
	if n != 20000 || pk.ports != nil || len(pk.slots) != 32768 || after.Mallocs-before.Mallocs != 1 {
		t.Errorf("spilled: %d groups in %d slots after %d allocations, lanes %v; want 20000 in 32768 after 1, no lanes",
			n, len(pk.slots), after.Mallocs-before.Mallocs, pk.ports != nil)
	}
	add(7)
	add(20000)
	got := map[uint64]agg{}
	pk.each(func(v uint64, a agg) { got[v] = a })
	k7, k20000 := portKey(7, 0), portKey(20000, 0)
	if len(got) != 20001 || got[k7] != (agg{3, math.MaxUint32 - 1 + 4, 0}) || got[k20000] != (agg{1, 2, 0}) || pk.room == 0 {
		t.Errorf("after the spill: %d groups, port 7 %v, port 20000 %v, queues %v", len(got), got[k7], got[k20000], pk.room != 0)
	}
}

// TestPortLanesBesideALargeTable: when the groups of other protocols
// grow the slots past the size where a table queues its records, the
// lanes' keys still count in the lanes only (counted as Set.Add counts:
// enqueue, else add), so that no group is read twice.
func TestPortLanesBesideALargeTable(t *testing.T) {
	parts, _ := layout(byFields(flowlog.DstPort, flowlog.Protocol))
	pk := newPackedTable(parts)
	var r flowlog.Record
	_ = r.SetUint(flowlog.Packets, 1)
	add := func(port, proto uint64) {
		_ = r.SetUint(flowlog.DstPort, port)
		_ = r.SetUint(flowlog.Protocol, proto)
		k, _ := pk.packRecord(&r)
		if !pk.enqueue(k, &r) {
			pk.add(k, &r)
		}
	}
	for port := range uint64(20000) {
		add(port, 132) // SCTP: the slots
	}
	if len(pk.slots) <= directSlots {
		t.Fatalf("%d slots: the test tests less than it says", len(pk.slots))
	}
	for range 2 {
		for port := range uint64(1000) {
			add(port, 6)
			add(port, 17)
			add(port, 1)
		}
	}
	got := map[uint64]agg{}
	pk.each(func(v uint64, a agg) {
		if _, dup := got[v]; dup {
			t.Errorf("group %#x read twice", v)
		}
		got[v] = a
	})
	if n := pk.count(); len(got) != 23000 || n != 23000 {
		t.Errorf("%d groups read, %d counted, want 23000", len(got), n)
	}
	for _, proto := range []uint64{6, 17, 1} {
		k := ((999<<2|1)<<8|proto)<<2 | 1
		if got[uint64(k)] != (agg{2, 2, 0}) {
			t.Errorf("protocol %d, port 999: %v, want 2 records", proto, got[uint64(k)])
		}
	}
}

// TestPortLanesAdopt: a table counts in its slots until it has
// portLanesFrom groups; then the groups of the lanes' keys move to the
// lanes, the others stay, and the counts are the same; unless a group
// is too large for a lane: then the slots count on.
func TestPortLanesAdopt(t *testing.T) {
	for _, huge := range []bool{false, true} {
		parts, _ := layout(byFields(flowlog.DstPort, flowlog.Protocol))
		pk := newPackedTable(parts)
		want := map[uint64]agg{}
		var r flowlog.Record
		add := func(port, proto, packets uint64) {
			_ = r.SetUint(flowlog.DstPort, port)
			_ = r.SetUint(flowlog.Protocol, proto)
			_ = r.SetUint(flowlog.Packets, packets)
			_ = r.SetUint(flowlog.Bytes, 3)
			k, _ := pk.packRecord(&r)
			pk.add(k, &r)
			w := want[k]
			w.merge(&agg{1, int64(packets), 3})
			want[k] = w
		}
		if huge {
			add(80, 6, math.MaxUint32+1)
		}
		for port := range uint64(portLanesFrom / 3) { // 4,095 groups
			add(port, 6, 1)
			add(port, 17, 2)
			add(port, 1, 3)
		}
		checkV4(t, pk, want)
		if pk.ports.on || pk.ports.lanes[0] != nil {
			t.Fatalf("lanes on below %d groups (%d)", portLanesFrom, pk.n)
		}
		add(60000, 1, 3) // the table has portLanesFrom groups
		add(9, 17, 4)    // a record of a lane's key: the lanes take over
		add(60000, 6, 5)
		checkV4(t, pk, want)
		if pk.ports.on == huge || pk.ports.n+pk.n != len(want) || !huge && pk.n != portLanesFrom/3+1 {
			t.Errorf("huge %v: lanes on %v, %d groups in them, %d in the slots", huge, pk.ports.on, pk.ports.n, pk.n)
		}
	}
}
