package investigations

import (
	"math/rand/v2"
	"net/netip"
	"reflect"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// shapeRecords returns generated records of format f with their address,
// port, protocol, interface and log-status fields redrawn at random: IPv4,
// IPv6, IPv4-mapped IPv6 and absent addresses, absent numbers and
// strings, and enum codes the registry has and has not.
func shapeRecords(t *testing.T, f flowlog.Format, n int) []flowlog.Record {
	t.Helper()
	rng := rand.New(rand.NewPCG(13, 13))
	recs := append(generated(f, n), edgeRecords(t, f)...)
	addr := func() netip.Addr {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		switch rng.IntN(5) {
		case 0:
			return netip.AddrFrom16(b) // IPv6
		case 1:
			return netip.AddrFrom4([4]byte(b[:4])).Unmap()
		case 2:
			return netip.AddrFrom16(netip.AddrFrom4([4]byte(b[:4])).As16()) // IPv4-mapped IPv6
		case 3:
			return netip.AddrFrom4([4]byte{0, 0, 0, byte(rng.IntN(3))})
		}
		return netip.AddrFrom4([4]byte{255, 255, 255, 255 - byte(rng.IntN(3))})
	}
	for i := range recs {
		r := &recs[i]
		for _, fd := range []flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr, flowlog.PktSrcAddr} {
			if !f.Has(fd) {
				continue
			}
			if rng.IntN(6) == 0 {
				_ = r.SetText(fd, "-")
			} else if err := r.SetAddr(fd, addr()); err != nil {
				t.Fatal(err)
			}
		}
		for _, fd := range []flowlog.Field{flowlog.DstPort, flowlog.Protocol, flowlog.InterfaceID, flowlog.LogStatus,
			flowlog.VpcID, flowlog.FlowDirection} {
			if rng.IntN(8) == 0 {
				_ = r.SetText(fd, "-")
			}
		}
		switch rng.IntN(4) {
		case 0:
			_ = r.SetUint(flowlog.DstPort, 65535)
		case 1:
			_ = r.SetUint(flowlog.Protocol, 255)
		case 2:
			_ = r.SetUint(flowlog.LogStatus, uint64(1+rng.IntN(3)))
		}
	}
	return recs
}

// TestShapedPackersEqualParts: every layout that packRecord packs with
// code of its own (its shape) packs every record exactly as the general
// loop over the parts does: the same key, and the same refusal of a
// record with an absent or IPv6 (IPv4-mapped included) address.
func TestShapedPackersEqualParts(t *testing.T) {
	f := flowlog.AllFields()
	recs := shapeRecords(t, f, 3000)
	for _, keys := range [][]Key{
		{By(flowlog.SrcAddr)},
		{By(flowlog.PktSrcAddr)},
		{By(flowlog.SrcAddr), By(flowlog.DstAddr)},
		{By(flowlog.DstAddr), By(flowlog.PktSrcAddr)},
		{By(flowlog.DstPort), By(flowlog.Protocol)},
		{By(flowlog.InterfaceID), By(flowlog.LogStatus)},
		{By(flowlog.VpcID), By(flowlog.FlowDirection)},
	} {
		parts, _ := layout(keys)
		tab := newPackedTable(parts)
		if tab == nil || tab.shape == shapeParts {
			t.Fatalf("%v: no shaped packer: the test tests less than it says", keys)
		}
		packed, refused := 0, 0
		for i := range recs {
			got, gotOK := tab.packRecord(&recs[i])
			want, wantOK := tab.packParts(&recs[i])
			if gotOK != wantOK || gotOK && got != want {
				t.Fatalf("%v: record %d (%s): packRecord %#x %v, packParts %#x %v",
					keys, i, recs[i].Text(f), got, gotOK, want, wantOK)
			}
			if gotOK {
				packed++
			} else {
				refused++
			}
		}
		// Only an address refuses to pack (IPv6, absent).
		if packed == 0 || (refused == 0) == (parts[0].kind == partAddr) {
			t.Errorf("%v: %d packed, %d refused", keys, packed, refused)
		}
	}
}

// TestSetSimpleFilters: Set.Add checks the simple filters (a set of
// values of one field, Present conditions) itself, reading action and
// log-status without their presence bits (routes); every table still counts
// exactly the records the reference's filter selects: absent values in
// no set, protocol 0 (a value) apart from an absent protocol.
func TestSetSimpleFilters(t *testing.T) {
	f := flowlog.AllFields()
	recs := rollUpRecords(t, f)
	for i := range recs {
		switch i % 7 {
		case 0:
			_ = recs[i].SetUint(flowlog.Protocol, 0)
		case 1:
			_ = recs[i].SetText(flowlog.Protocol, "-")
		case 2:
			_ = recs[i].SetText(flowlog.Action, "-")
		case 3:
			_ = recs[i].SetText(flowlog.FlowDirection, "-")
		case 4:
			_ = recs[i].SetText(flowlog.LogStatus, "-")
		}
	}
	invs := []Investigation{
		TopN([]flowlog.Field{flowlog.SrcAddr}, Records, 0, Equal(flowlog.Action, "REJECT")),
		TopN([]flowlog.Field{flowlog.DstAddr}, Records, 0, OneOf(flowlog.Action, "ACCEPT", "REJECT")),
		TopN([]flowlog.Field{flowlog.InterfaceID, flowlog.LogStatus}, Records, 0, OneOf(flowlog.LogStatus, "NODATA", "SKIPDATA")),
		TopN([]flowlog.Field{flowlog.DstPort}, Records, 0, OneOf(flowlog.Protocol, "0", "6")),
		TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Bytes, 0, And(Equal(flowlog.FlowDirection, "ingress"), Present(flowlog.SrcPort))),
		TopN([]flowlog.Field{flowlog.Action}, Bytes, 0, Present(flowlog.Protocol)),
		// Present conditions on action and log-status: the route checks them.
		TopN([]flowlog.Field{flowlog.SrcAddr}, Records, 0, Present(flowlog.Action)),
		TopN([]flowlog.Field{flowlog.DstPort}, Records, 0, And(Present(flowlog.LogStatus), Equal(flowlog.Action, "ACCEPT"), Present(flowlog.DstAddr))),
	}
	set, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		set.Add(&recs[i])
	}
	for i, inv := range invs {
		want := refResult(inv, recs)
		if len(want.Rows) == 0 {
			t.Errorf("%s: no rows: the test tests nothing", inv.Name)
		}
		if got := set.Result(i); !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%s): Set\n got %v\nwant %v", inv.Name, inv.Where, head(got.Rows), head(want.Rows))
		}
		own, _ := inv.NewEvaluator(f)
		for j := range recs {
			own.Add(&recs[j])
		}
		if got := own.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%s): Evaluator\n got %v\nwant %v", inv.Name, inv.Where, head(got.Rows), head(want.Rows))
		}
	}
}

// TestMakeKeyPairEqualsParts: makeKey's own code for a pair of
// addresses writes the key the loop over the parts writes, for IPv4,
// IPv6, IPv4-mapped and absent addresses.
func TestMakeKeyPairEqualsParts(t *testing.T) {
	f := flowlog.AllFields()
	recs := shapeRecords(t, f, 3000)
	for _, keys := range [][]Key{
		{By(flowlog.SrcAddr), By(flowlog.DstAddr)},
		{By(flowlog.PktSrcAddr), By(flowlog.SrcAddr)},
	} {
		parts, w := layout(keys)
		got, want := make([]uint64, w), make([]uint64, w)
		tags := map[uint64]bool{}
		for i := range recs {
			makeKey(got, parts, &recs[i])
			makeKeyParts(want, parts, &recs[i])
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%v: record %d (%s): makeKey %x, makeKeyParts %x", keys, i, recs[i].Text(f), got, want)
			}
			tags[got[0]] = true
		}
		if len(tags) != 9 { // absent, IPv4, IPv6 for each
			t.Errorf("%v: %d tag combinations, want 9: the test tests less than it says", keys, len(tags))
		}
	}
}

// TestSetAddDoesNotAllocate: Set.Add, which counts a record in every
// table itself, allocates nothing for records of existing groups, over
// the report's kinds of tables (a pair roll-up, rejected traffic by port
// and by source, NODATA/SKIPDATA by interface, bytes per hour).
func TestSetAddDoesNotAllocate(t *testing.T) {
	f := flowlog.DefaultFormat()
	recs := append(rollUpRecords(t, f), generated(f, 40000)...) // pairs enough to queue (see packedTable.add)
	recs = append(recs, ipv6Records(f, 20000, 1)...)            // IPv6 and mixed pairs enough to queue too
	present := func(fs ...flowlog.Field) Cond {
		var cs []Cond
		for _, f := range fs {
			cs = append(cs, Present(f))
		}
		return And(cs...)
	}
	rejected := Equal(flowlog.Action, "REJECT")
	invs := []Investigation{
		TopN([]flowlog.Field{flowlog.SrcAddr}, Bytes, 10, present(flowlog.SrcAddr)),
		TopN([]flowlog.Field{flowlog.DstAddr}, Bytes, 10, present(flowlog.DstAddr)),
		TopN([]flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}, Bytes, 10, present(flowlog.SrcAddr, flowlog.DstAddr)),
		TopN([]flowlog.Field{flowlog.SrcAddr}, Records, 10, And(present(flowlog.SrcAddr), rejected)),
	}
	for _, name := range []string{"rejected-by-dst-port", "nodata-skipdata-by-interface", "bytes-per-hour"} {
		inv, ok := Lookup(name)
		if !ok {
			t.Fatalf("no %s in the catalogue", name)
		}
		invs = append(invs, inv)
	}
	s, err := NewSet(f, invs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs { // create every group
		s.Add(&recs[i])
	}
	allocs := testing.AllocsPerRun(5, func() {
		for i := range recs {
			s.Add(&recs[i])
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per pass over existing groups", allocs)
	}
	if e := s.evals[0]; e.pk == nil || e.pk.room == 0 || e.p6 == nil || e.p6.t.room == 0 || e.tab.qkeys == nil {
		t.Error("the pair roll-up's tables never queued: the test tests less than it says")
	}
}

// TestRouteCodesFit: Set.Add routes a record by its action and log-status
// codes in two bits each; the registry has no code beyond that.
func TestRouteCodesFit(t *testing.T) {
	for _, f := range []flowlog.Field{flowlog.Action, flowlog.LogStatus} {
		if names := enumNames(f); len(names) > 4 {
			t.Errorf("%s has %d codes (absent included), Set.route has room for 4: %q", f.Name(), len(names), names)
		}
	}
}
