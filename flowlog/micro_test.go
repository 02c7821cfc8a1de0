package flowlog

import (
	"math"
	"testing"
)

var sinkU uint64
var sinkI int

func BenchmarkMicroScanUint10(b *testing.B) {
	s := "1418530010 1418530070 ACCEPT OK"
	for b.Loop() {
		v, j, _ := scanUint(s, 0, math.MaxUint64)
		sinkU += v
		sinkI += j
	}
}
func BenchmarkMicroScanUint3(b *testing.B) {
	s := "443 1418530010 1418530070 ACCEPT OK"
	for b.Loop() {
		v, j, _ := scanUint(s, 0, math.MaxUint64)
		sinkU += v
		sinkI += j
	}
}
func BenchmarkMicroScanAddr(b *testing.B) {
	s := "172.31.16.139 172.31.16.21 20641 22 6"
	for b.Loop() {
		a, j, _ := scanAddr(s, 0)
		sinkU += uint64(a.As4()[3])
		sinkI += j
	}
}
func BenchmarkMicroStringEnd(b *testing.B) {
	s := "eni-1235b8ca123456789 172.31.16.139"
	for b.Loop() {
		sinkI += stringEnd(s, 0)
	}
}
func BenchmarkMicroTokenEnd(b *testing.B) {
	s := "ACCEPT OK"
	for b.Loop() {
		sinkI += tokenEnd(s, 0)
	}
}
func BenchmarkMicroLineFixed(b *testing.B) {
	s := "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	f := DefaultFormat()
	var r Record
	for b.Loop() {
		_ = ParseLine(s, f, &r)
	}
}

func BenchmarkMicroLineSlow(b *testing.B) {
	s := "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	f := DefaultFormat()
	var r Record
	for b.Loop() {
		_ = slowParse(s, f, &r)
	}
}

func BenchmarkMicroLineNaive(b *testing.B) {
	s := "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	var r naiveRecord
	for b.Loop() {
		_ = naiveParse(s, &r)
	}
}
