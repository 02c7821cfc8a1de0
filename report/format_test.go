package report

import (
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
