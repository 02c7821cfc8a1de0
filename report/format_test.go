package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestHuman(t *testing.T) {
	for _, tt := range []struct {
		n    uint64
		u    Unit
		want string
	}{
		{0, Count, "0"}, {999, Count, "999"}, {1000, Count, "1.00k"}, {1234567, Count, "1.23M"},
		{999_500, Count, "1.00M"}, {45_600, Count, "45.6k"}, {0, Bytes, "0 B"}, {123_456_789_012, Bytes, "123 GB"},
		{1<<64 - 1, Bytes, "18.4 EB"},
	} {
		if got := human(tt.n, tt.u); got != tt.want {
			t.Errorf("human(%d, %d) = %q, want %q", tt.n, tt.u, got, tt.want)
		}
	}
}

func TestGrouped(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", 100000: "100,000"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, tt := range []struct{ n, want uint64 }{{0, 1}, {1, 1}, {4, 1}, {5, 2}, {9, 3}, {10, 3}, {11, 3}, {2_600_000_000, 800_000_000}, {1_100, 300}} {
		if got := niceStep(tt.n, 4); got != tt.want {
			t.Errorf("niceStep(%d, 4) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestAxisLabel(t *testing.T) {
	for n, want := range map[uint64]string{4000: "4k", 2500: "2.5k", 800_000_000: "800 MB", 1_200_000_000: "1.2 GB", 0: "0 B", 1_250_000: "1.25 MB"} {
		if got := string(axisLabel(nil, n, Bytes)); n != 4000 && n != 2500 && got != want {
			t.Errorf("axisLabel(%d) = %q, want %q", n, got, want)
		}
		if got := string(axisLabel(nil, n, Count)); (n == 4000 || n == 2500) && got != want {
			t.Errorf("axisLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestShorten(t *testing.T) {
	pair := "2001:db8::a1b2:c3d4:e5f6:789 → 2001:db8::1:2:3:4"
	got := shorten(pair, 38)
	if len([]rune(got)) != 38 || got[:10] != pair[:10] || !strings.HasSuffix(got, "::1:2:3:4") || !strings.Contains(got, "…") {
		t.Errorf("shorten(%q) = %q", pair, got)
	}
	if got := shorten("10.0.0.1", 38); got != "10.0.0.1" {
		t.Error(got)
	}
}

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		part, whole uint64
		want        string
	}{{1, 0, ""}, {0, 5, "0.0%"}, {1, 100000, "<0.1%"}, {1, 3, "33.3%"}, {5, 5, "100.0%"}} {
		if got := percent(tt.part, tt.whole); got != tt.want {
			t.Errorf("percent(%d, %d) = %q, want %q", tt.part, tt.whole, got, tt.want)
		}
	}
}

// TestAppendFixed: appendFixed writes what strconv writes, on random
// numbers of every magnitude the page draws, on exact and near ties, and
// on the numbers it leaves to strconv.
func TestAppendFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var fs []float64
	for range 200_000 {
		fs = append(fs, rng.Float64()*math.Pow(10, float64(rng.IntN(8)-2)))
	}
	for k := range 20_000 { // ties and their neighbours at each precision
		for _, d := range []float64{0.5, 0.05, 0.005, 0.0005} {
			x := float64(k)*d*2 + d
			fs = append(fs, x, math.Nextafter(x, 0), math.Nextafter(x, 1e9))
		}
	}
	for k := range 1000 { // the page's own numbers: percents and coordinates
		fs = append(fs, 100*float64(k)/7, 100*float64(k)/1000, float64(k)/3, float64(k*10)+0.25, 100-100*float64(k)/3)
	}
	fs = append(fs, 0, math.Copysign(0, -1), -0.0004, -1.5, 9.995, 99.95, 999.5, 1e7, 1e7-0.5, 1e300, math.Inf(1), math.NaN(), math.SmallestNonzeroFloat64)
	for _, f := range fs {
		for prec := range 4 {
			want := strconv.FormatFloat(f, 'f', prec, 64)
			if got := string(appendFixed([]byte("x"), f, prec)); got != "x"+want {
				t.Fatalf("appendFixed(%v, %d) = %q, want %q", f, prec, got[1:], want)
			}
		}
	}
}
