package summary

import (
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func benchAdd(b *testing.B, groups ...[]flowlog.Field) {
	recs := records(100_000, flowlog.DefaultFormat())
	spec := &Spec{}
	for _, g := range groups {
		spec.Tables = append(spec.Tables, TopN(g, investigations.Bytes, 10))
	}
	s, err := New(spec)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Begin(flowlog.DefaultFormat()); err != nil {
		b.Fatal(err)
	}
	var size int64
	for i := range recs {
		size += int64(len(recs[i].Text(flowlog.DefaultFormat())) + 1)
	}
	b.SetBytes(size / int64(len(recs))) // MB/s: of the lines the records came from
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Add(&recs[i%len(recs)])
		i++
	}
}

// BenchmarkAdd: the cost per record of the totals and of each table kind.
func BenchmarkAdd(b *testing.B) {
	src, dst := []flowlog.Field{flowlog.SrcAddr}, []flowlog.Field{flowlog.DstAddr}
	b.Run("totals", func(b *testing.B) { benchAdd(b) })
	b.Run("src", func(b *testing.B) { benchAdd(b, src) })
	b.Run("src,dst", func(b *testing.B) { benchAdd(b, src, dst) })
	b.Run("src,dst,dstport", func(b *testing.B) { benchAdd(b, src, dst, []flowlog.Field{flowlog.DstPort}) })
	// The report's top-N tables: src and dst roll up into the pair table.
	b.Run("src,dst,pair", func(b *testing.B) { benchAdd(b, src, dst, []flowlog.Field{flowlog.SrcAddr, flowlog.DstAddr}) })
}
