package flowlog

import (
	"encoding/json"
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
			s, _ := json.Marshal(v.Str())
			b = append(b, s...)
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
