package flowlog

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"
	"testing"
)

// referenceJSON encodes r the slow, obvious way: Get and encoding/json.
func referenceJSON(r *Record, f Format) string {
	b := []byte{'{'}
	for _, fld := range f.Fields() {
		v := r.Get(fld)
		if !v.Valid() {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(fld.Name())
		b = append(append(b, k...), ':')
		switch fld.Kind() {
		case KindUint8, KindUint16, KindUint64, KindTime:
			b = strconv.AppendUint(b, v.Uint(), 10)
		case KindAddr:
			s, _ := json.Marshal(v.Addr().String())
			b = append(b, s...)
		default:
			var s bytes.Buffer
			e := json.NewEncoder(&s)
			e.SetEscapeHTML(false) // as the CLI always wrote them
			_ = e.Encode(v.Str())
			b = append(b, bytes.TrimSuffix(s.Bytes(), []byte{'\n'})...)
		}
	}
	return string(append(b, '}'))
}

func TestAppendJSON(t *testing.T) {
	for _, f := range []Format{DefaultFormat(), AllFields()} {
		g := NewGenerator(7, f)
		for i := range 2000 {
			r := g.Record()
			if i%7 == 0 {
				// Strings JSON must escape.
				_ = r.SetText(InstanceTag, `a"b\c`)
				_ = r.SetText(InterfaceTag, "caf\u00e9")
			}
			got := string(r.AppendJSON(nil, f))
			if want := referenceJSON(&r, f); got != want {
				t.Fatalf("record %d:\n got %s\nwant %s", i, got, want)
			}
			if !json.Valid([]byte(got)) {
				t.Fatalf("invalid JSON %s", got)
			}
		}
	}
	// Every width of number, and addresses of every length.
	var n Record
	for _, v := range []uint64{0, 9, 10, 99, 100, 999, 1000, 65535, 1e9 - 1, 1e9, 1<<32 + 1, 1e19 - 1, 1e19, 1<<64 - 1} {
		_ = n.SetUint(Packets, v)
		_ = n.SetUint(Bytes, v/3)
		_ = n.SetUint(SrcPort, v%65536)
		_ = n.SetAddr(SrcAddr, netip.AddrFrom4([4]byte{byte(v), byte(v >> 8), 0, 255}))
		_ = n.SetAddr(DstAddr, netip.MustParseAddr("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))
		if got, want := string(n.AppendJSON(make([]byte, 3, 5), AllFields())[3:]), referenceJSON(&n, AllFields()); got != want {
			t.Fatalf("%d:\n got %s\nwant %s", v, got, want)
		}
	}
	var r Record
	if got := string(r.AppendJSON(nil, DefaultFormat())); got != "{}" {
		t.Errorf("empty record: %s", got)
	}
}

func TestAppendJSONNoAllocs(t *testing.T) {
	g := NewGenerator(1, AllFields())
	r := g.Record()
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = r.AppendJSON(buf[:0], AllFields()) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	f := DefaultFormat()
	g := NewGenerator(1, f)
	recs := make([]Record, 1024)
	n := 0
	for i := range recs {
		g.Next(&recs[i])
		n += len(recs[i].AppendJSON(nil, f)) + 1
	}
	var buf []byte
	b.ReportAllocs()
	b.SetBytes(int64(n / len(recs)))
	i := 0
	start := cpuTime()
	for b.Loop() {
		buf = recs[i&1023].AppendJSON(buf[:0], f)
		i++
	}
	reportCPU(b, start, 1)
}

// TestJSONPlain: putPlain's eight-bytes-at-a-time check agrees with the
// byte table for every byte value at every position of strings of 17 and
// of 5 bytes, and copies the strings it takes.
func TestJSONPlain(t *testing.T) {
	for _, base := range [][]byte{[]byte("eni-0123456789abc"), []byte("eu-w1")} {
		for c := range 256 {
			for i := range base {
				s := append([]byte(nil), base...)
				s[i] = byte(c)
				want := true
				for _, b := range s {
					want = want && jsonSafe[b]
				}
				b := make([]byte, len(s)+16)
				n, ok := putPlain(b, 3, string(s))
				if ok != want || ok && (n != 3+len(s) || string(b[3:n]) != string(s)) {
					t.Fatalf("%q: %v %q, want %v", s, ok, b[3:n], want)
				}
			}
		}
	}
}
