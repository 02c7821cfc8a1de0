package flowlog

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// Values at the edges of each kind's encoding: every digit count, the
// widest octets, IPv6 in every shape netip formats, and strings of every
// length around the eight-byte steps, with and without characters JSON
// must escape.
var (
	jsonEdgeUint8  = []uint64{0, 1, 9, 10, 99, 100, 199, 255}
	jsonEdgeUint16 = []uint64{0, 7, 9, 10, 22, 80, 99, 100, 443, 999, 1000, 9999, 10000, 12345, 59999, 65535}
	jsonEdgeUint64 = []uint64{0, 9, 10, 99, 100, 9999, 10000, 99999, 100000, 1e9 - 1, 1e9, 1<<32 - 1, 1 << 32,
		1e15, 1e19 - 1, 1e19, math.MaxUint64}
	jsonEdgeTime = []uint64{0, 9, 10, 999999999, 1e9, 1700000000, 1700000024, 9999999999, 1e10, math.MaxInt64}
	jsonEdgeAddr = []netip.Addr{
		netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("10.1.23.53"),
		netip.MustParseAddr("1.22.100.9"), netip.MustParseAddr("::"), netip.MustParseAddr("::1"),
		netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
		netip.MustParseAddr("fe80::1:0:0:1"), netip.MustParseAddr("::ffff:192.0.2.1"), netip.MustParseAddr("1::"),
	}
	jsonEdgeStrings = []string{"", "a", "-x", "1234567", "12345678", "123456789", "652159946549",
		"eni-6002bc93e2c89add0", "vpc-0123456789abcdef0", strings.Repeat("z", 31), strings.Repeat("y", 32),
		strings.Repeat("x", 33), strings.Repeat("w", 200), "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
		`a"b\c`, `12345678"`, `"`, `\`, "caf\u00e9", "tab\there", "nul\x00", "del\x7f", "\xff\xfe", "new\nline",
		"emoji \U0001F600 ok", "key=value;team=net", "<script>&amp;", "\u2028sep"}
)

// randomJSONRecord sets every field of r (every registry field, v2 to v11
// and the transit gateway's) to an edge value of its kind, or leaves it
// absent with probability absent.
func randomJSONRecord(rng *rand.Rand, r *Record, absent float64) {
	*r = Record{}
	for _, f := range Fields() {
		if rng.Float64() < absent {
			continue
		}
		var err error
		switch f.Kind() {
		case KindUint8:
			err = r.SetUint(f, jsonEdgeUint8[rng.IntN(len(jsonEdgeUint8))])
		case KindUint16:
			err = r.SetUint(f, jsonEdgeUint16[rng.IntN(len(jsonEdgeUint16))])
		case KindUint64:
			err = r.SetUint(f, jsonEdgeUint64[rng.IntN(len(jsonEdgeUint64))])
		case KindTime:
			err = r.SetUint(f, jsonEdgeTime[rng.IntN(len(jsonEdgeTime))])
		case KindAddr:
			err = r.SetAddr(f, jsonEdgeAddr[rng.IntN(len(jsonEdgeAddr))])
		case KindEnum:
			n := uint64(3)
			if f == Action || f == FlowDirection {
				n = 2
			}
			err = r.SetUint(f, 1+rng.Uint64N(n))
		case KindString:
			// Set directly: a Parquet input can hold any bytes, which
			// SetText would refuse.
			r.setStr(f, jsonEdgeStrings[rng.IntN(len(jsonEdgeStrings))])
		}
		if err != nil {
			panic(err)
		}
	}
}

// randomJSONFormat returns a format of 1 to 40 random registry fields in
// random order.
func randomJSONFormat(rng *rand.Rand) Format {
	// No flow log records both VPC-only and transit-gateway-only fields
	// (ErrMixedFields): the fields of one kind of flow log.
	all := fieldsOf(rng.IntN(2) == 0)
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	names := make([]string, 1+rng.IntN(min(40, len(all))))
	for i := range names {
		names[i] = all[i].Name()
	}
	f, err := ParseHeader(strings.Join(names, " "))
	if err != nil {
		panic(err)
	}
	return f
}

// fieldsOf returns the registry's fields that VPC flow logs record, or
// those transit gateway flow logs record.
func fieldsOf(tgw bool) []Field {
	var fs []Field
	for _, f := range Fields() {
		if tgw && f.InTransitGatewayFlowLogs() || !tgw && f.InVPCFlowLogs() {
			fs = append(fs, f)
		}
	}
	return fs
}

// TestAppendJSONEveryField compares AppendJSON with encoding/json over
// Record.Get for every registry field: every preset, the default format
// (whose all-present records take a straight-line path), the whole
// registry in order and random custom formats; records with every field,
// with absent fields, and with fields outside the format; edge numbers,
// IPv4 and IPv6, and strings JSON must escape. The output goes after
// existing bytes, into buffers with and without spare capacity.
func TestAppendJSONEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	formats := []Format{DefaultFormat(), AllFields()}
	for _, tgw := range []bool{false, true} { // the registry in order, per kind of flow log
		every, err := ParseHeader(strings.Join(fieldNames(fieldsOf(tgw)), " "))
		if err != nil {
			t.Fatal(err)
		}
		formats = append(formats, every)
	}
	for _, name := range PresetNames() {
		f, _ := Preset(name)
		formats = append(formats, f)
	}
	for range 50 {
		formats = append(formats, randomJSONFormat(rng))
	}
	var r Record
	for _, f := range formats {
		for i := range 400 {
			absent := []float64{0, 0, 0.05, 0.3, 0.9}[i%5]
			randomJSONRecord(rng, &r, absent)
			if i%3 == 0 { // only the format's fields
				r.has = fieldSet{r.has.lo & f.mask.lo, r.has.hi & f.mask.hi}
			}
			want := referenceJSON(&r, f)
			prefix := []byte("prefix ")
			dst := append(make([]byte, 0, []int{len(prefix), 64, 4096}[i%3]), prefix...)
			got := r.AppendJSON(dst, f)
			if string(got[:len(prefix)]) != string(prefix) || string(got[len(prefix):]) != want {
				t.Fatalf("format %s, record %d:\n got %s\nwant %s", f, i, got, want)
			}
			if !json.Valid([]byte(want)) {
				t.Fatalf("invalid JSON %s", want)
			}
		}
	}
}

func fieldNames(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name()
	}
	return out
}

// TestAppendJSONDefaultParsed: lines parsed in the default format encode
// as the reference does, including the shapes the parser's fast paths
// take (IPv4, IPv6, "-" values, NODATA) and every number width.
func TestAppendJSONDefaultParsed(t *testing.T) {
	f := DefaultFormat()
	var r Record
	for _, line := range []string{
		"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 10.0.2.9 443 49152 6 10 8400 1700000000 1700000060 ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f60718 2001:db8::1 2001:db8:0:0:1:0:0:1 0 65535 58 1 18446744073709551615 0 9999999999 REJECT OK",
		"2 - - - - - - - - - 1700000000 1700000060 - NODATA",
		"2 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - SKIPDATA",
		"255 1 e 0.0.0.0 255.255.255.255 9 10 255 9 10 99 100 ACCEPT OK",
		"3 unknown eni-x 1.2.3.4 5.6.7.8 99 100 17 1000 10000 1 2 REJECT OK",
	} {
		if err := ParseLine(line, f, &r); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if got, want := string(r.AppendJSON(nil, f)), referenceJSON(&r, f); got != want {
			t.Errorf("%s:\n got %s\nwant %s", line, got, want)
		}
	}
}

// TestDecimalDigits checks the loop-free digit count against strconv at
// every power of ten and its neighbours.
func TestDecimalDigits(t *testing.T) {
	check := func(v uint64) {
		if got, want := decimalDigits(v), len(strconv.FormatUint(v, 10)); got != want {
			t.Fatalf("decimalDigits(%d) = %d, want %d", v, got, want)
		}
	}
	check(math.MaxUint64)
	for p := uint64(1); ; p *= 10 {
		check(p - 1)
		check(p)
		check(p + 1)
		for b := uint64(1); b != 0 && b < p; b <<= 1 {
			check(b)
			check(b - 1)
		}
		if p > math.MaxUint64/10 {
			break
		}
	}
}

// TestPutUint compares putUint with strconv for every number below
// 100,000, around every power of ten and two, and at random widths.
func TestPutUint(t *testing.T) {
	b := make([]byte, 64)
	check := func(v uint64) {
		for i := range b {
			b[i] = '#'
		}
		n := putUint(b, 3, v)
		if got, want := string(b[3:n]), strconv.FormatUint(v, 10); got != want || string(b[:3]) != "###" {
			t.Fatalf("putUint(%d) = %q (before it %q), want %q", v, got, b[:3], want)
		}
	}
	for v := range uint64(100_000) {
		check(v)
	}
	for p := uint64(10); p <= 1e19; p *= 10 {
		check(p - 1)
		check(p)
		check(p + 1)
	}
	for s := range 64 {
		check(1<<s - 1)
		check(1 << s)
	}
	check(math.MaxUint64)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		check(rng.Uint64() >> rng.IntN(64))
	}
}

// TestPutIPv6 compares putIPv6 with netip for every set of zero groups,
// with the other groups of every hex width, and for IPv4-mapped
// addresses.
func TestPutIPv6(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	b := make([]byte, 128)
	check := func(a netip.Addr) {
		for i := range b {
			b[i] = '#'
		}
		n := putBareAddr(b, 5, a)
		if got, want := string(b[5:n]), a.String(); got != want || string(b[:5]) != "#####" {
			t.Fatalf("%s: got %q (before it %q)", want, b[5:n], b[:5])
		}
	}
	widths := []uint16{0x1, 0xf, 0x10, 0xab, 0x100, 0xfff, 0x1000, 0xabcd, 0xffff, 0x9, 0xa}
	for zero := range 256 {
		for range 20 {
			var x [16]byte
			for i := range 8 {
				if zero&(1<<i) == 0 {
					v := widths[rng.IntN(len(widths))]
					if rng.IntN(2) == 0 {
						v = uint16(1 + rng.IntN(0xffff))
					}
					x[2*i], x[2*i+1] = byte(v>>8), byte(v)
				}
			}
			check(netip.AddrFrom16(x))
		}
	}
	for _, s := range []string{"::ffff:1.2.3.4", "::ffff:0.0.0.0", "::", "::1", "1::", "0.0.0.0", "192.168.100.200"} {
		check(netip.MustParseAddr(s))
	}
}
