package investigations

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestWords16EqualsAs16: the words of an IPv6 address are those of its
// As16 bytes (IPv4-mapped and zoned addresses included), and addrWords
// gives an IPv4 address in the second word and zeros when absent.
func TestWords16EqualsAs16(t *testing.T) {
	addrs := []netip.Addr{netip.MustParseAddr("::"), netip.MustParseAddr("::1"),
		netip.MustParseAddr("::ffff:10.1.2.3"), netip.MustParseAddr("fe80::1%eth0"),
		netip.MustParseAddr("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")}
	g := flowlog.NewGenerator(7, flowlog.DefaultFormat())
	var r flowlog.Record
	for len(addrs) < 2000 {
		g.Next(&r)
		addrs = append(addrs, r.SrcAddr(), r.DstAddr())
	}
	for _, a := range addrs {
		b := a.As16()
		hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
		wh, wl := addrWords(a)
		switch {
		case a.Is4():
			if wh != 0 || wl != lo&(1<<32-1) {
				t.Errorf("addrWords(%v) = %#x %#x", a, wh, wl)
			}
		case !a.IsValid():
			if wh != 0 || wl != 0 {
				t.Errorf("addrWords(zero) = %#x %#x", wh, wl)
			}
		default:
			if gh, gl := words16(a); gh != hi || gl != lo || wh != hi || wl != lo {
				t.Errorf("%v: words16 %#x %#x, addrWords %#x %#x, As16 %#x %#x", a, gh, gl, wh, wl, hi, lo)
			}
		}
	}
}

// BenchmarkWords16: an IPv6 address's two words from As16's array (two
// stores read back as one 16-byte copy: no store-to-load forwarding)
// and from words16.
func BenchmarkWords16(b *testing.B) {
	g := flowlog.NewGenerator(42, flowlog.DefaultFormat())
	var addrs []netip.Addr
	var r flowlog.Record
	for len(addrs) < 100_000 {
		if g.Next(&r); r.SrcAddr().Is6() {
			addrs = append(addrs, r.SrcAddr(), r.DstAddr())
		}
	}
	var sink uint64
	b.Run("As16", func(b *testing.B) {
		for b.Loop() {
			for _, a := range addrs {
				x := a.As16()
				sink += mix(binary.BigEndian.Uint64(x[8:]), binary.BigEndian.Uint64(x[:8]))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(addrs)), "ns/addr")
	})
	b.Run("words16", func(b *testing.B) {
		for b.Loop() {
			for _, a := range addrs {
				hi, lo := words16(a)
				sink += mix(lo, hi)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(addrs)), "ns/addr")
	})
	_ = sink
}
