package investigations

import (
	"math/rand/v2"
	"net/netip"
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
		for _, fd := range []flowlog.Field{flowlog.DstPort, flowlog.Protocol, flowlog.InterfaceID, flowlog.LogStatus} {
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
		if packed == 0 || refused == 0 {
			t.Errorf("%v: %d packed, %d refused: the test tests less than it says", keys, packed, refused)
		}
	}
}
