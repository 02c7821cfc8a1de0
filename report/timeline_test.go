package report

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	h := func(hours int64, v uint64) hourly {
		return hourly{Hour: 1_700_000_000/3600*3600 + hours*3600, Values: [][3]uint64{{v, v, v}}}
	}
	tests := []struct {
		name  string
		in    []hourly
		n     int
		width time.Duration
		sum   uint64
	}{
		{"one hour", []hourly{h(0, 5)}, 1, time.Hour, 5},
		{"gap filled", []hourly{h(0, 1), h(5, 2)}, 6, time.Hour, 3},
		{"unsorted", []hourly{h(3, 1), h(0, 2)}, 4, time.Hour, 3},
		{"100 hours stay hourly", []hourly{h(0, 1), h(99, 1)}, 100, time.Hour, 2},
		{"a week in 2-hour buckets", []hourly{h(0, 1), h(167, 1)}, 84, 2 * time.Hour, 2},
		{"a year in weeks", []hourly{h(0, 1), h(8759, 1)}, 53, 168 * time.Hour, 2},
		{"decades", []hourly{h(-24*365*40, 1), h(24*365*20, 1)}, 61, 8760 * time.Hour, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, width := bucket(tt.in, 1)
			if len(bs) != tt.n || width != tt.width {
				t.Fatalf("%d buckets of %v, want %d of %v", len(bs), width, tt.n, tt.width)
			}
			var sum uint64
			for i, b := range bs {
				sum += b.Values[0][2]
				if i > 0 && b.Hour-bs[i-1].Hour != int64(width/time.Second) {
					t.Fatalf("bucket %d not contiguous", i)
				}
			}
			if sum != tt.sum || len(bs) > maxBuckets {
				t.Errorf("sum %d, want %d (%d buckets)", sum, tt.sum, len(bs))
			}
		})
	}
	if bs, _ := bucket(nil, 1); bs != nil {
		t.Error("no hours gave buckets")
	}
}

func TestBucketLabels(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC).Unix()
	full, short := bucketLabels([]hourly{{Hour: t0}, {Hour: t0 + 3600}}, time.Hour)
	if full[1] != "2026-11-30 23:00" || short[1] != "23:00" {
		t.Errorf("%q %q", full, short)
	}
	full, short = bucketLabels([]hourly{{Hour: t0}, {Hour: t0 + 86400}}, time.Hour)
	if short[1] != "Dec 1 22:00" || full[0] != "2026-11-30 22:00" {
		t.Errorf("%q %q", full, short)
	}
	if got := widthName(3 * time.Hour); got != "3 hours" {
		t.Error(got)
	}
	if got := widthName(168 * time.Hour); got != "1 week" {
		t.Error(got)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0 seconds", 42 * time.Second: "42 seconds", 61 * time.Second: "1 minute 1 second",
		55*time.Hour + 33*time.Minute + 13*time.Second: "55 hours 33 minutes", 80 * time.Hour: "3.3 days",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
}
