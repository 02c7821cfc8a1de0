package source

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// readInOrder reads one input on one worker and returns its records'
// lines in order, and the errors reported.
func readInOrder(t testing.TB, data []byte, o *Options) ([]string, []error) {
	t.Helper()
	o.Stdin = bytes.NewReader(data)
	var mu sync.Mutex
	var lines []string
	var errs []error
	_ = Run(context.Background(), []Input{stdinInput(o)}, o, 1, nil, func(int) Sink { return &collect{mu: &mu, lines: &lines} },
		func(err error) { errs = append(errs, err) })
	return lines, errs
}

// TestSubscriptionGzipChecked: a gzipped subscription object of several
// payload members, with a bit flipped anywhere or cut anywhere, gives
// only whole members' events, each equal to the payload's event at the
// same position: no event a flip made up, nor the events of a member
// whose check failed, however far its JSON decodes. A damaged member is
// an error, named truncated or corrupt as text is.
func TestSubscriptionGzipChecked(t *testing.T) {
	f := flowlog.DefaultFormat()
	_, lines := textLog(t, 31, 160, f, false)
	var data []byte
	var ends []int // the offset after each member
	const members, per = 4, 40
	for m := range members {
		var msgs []string
		for _, l := range lines[m*per : (m+1)*per] {
			var r flowlog.Record
			if err := flowlog.ParseLine(l, flowlog.AllFields(), &r); err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, r.Text(f))
		}
		data = append(data, gz(t, []byte(subscription(msgs...)))...)
		ends = append(ends, len(data))
	}
	want, errs := readInOrder(t, data, &Options{})
	if len(want) != len(lines) || len(errs) != 0 {
		t.Fatalf("intact: %d records, errors %v", len(want), errs)
	}
	check := func(name string, bad []byte, intact int) { // intact: the records of a clean cut, or -1
		got, errs := readInOrder(t, bad, &Options{Lenient: true})
		for i, l := range got {
			if i >= len(want) || l != want[i] {
				t.Fatalf("%s: record %d is not the payload's:\n got %s\nwant %s", name, i, l, want[min(i, len(want)-1)])
			}
		}
		if len(got)%per != 0 {
			t.Fatalf("%s: %d records, not whole members of %d", name, len(got), per)
		}
		clean := intact
		if clean < 0 && len(errs) == 0 {
			clean = len(want) // a flip in what gzip does not check (its header's time or OS) changes nothing
		}
		if clean >= 0 {
			if len(errs) != 0 || len(got) != clean {
				t.Fatalf("%s: %d records, errors %v; want %d, no error", name, len(got), errs, clean)
			}
			return
		}
		if len(errs) != 1 {
			t.Fatalf("%s: %d records, errors %v; want one error", name, len(got), errs)
		}
		// Truncated or corrupt gzip says what was lost, in the words
		// of the text path.
		if msg := errs[0].Error(); (errors.Is(errs[0], flowlog.ErrTruncated) || errors.Is(errs[0], flowlog.ErrCorrupt)) &&
			!strings.Contains(msg, "not returned") && !strings.Contains(msg, "none of this gzip member's records were returned") &&
			!strings.Contains(msg, "not a gzip member") && !strings.Contains(msg, "the input ends early") {
			t.Fatalf("%s: %v", name, errs[0])
		}
	}
	// Every 29th bit: each byte of every member, its header, deflate data
	// and trailer.
	for bit := 0; bit < 8*len(data); bit += 29 {
		bad := bytes.Clone(data)
		bad[bit/8] ^= 1 << (bit % 8)
		check("flip of bit "+strconv.Itoa(bit), bad, -1)
	}
	// Cut at every 11th byte, in each member's trailer, and at each
	// member's end.
	for n := 1; n < len(data); n += 11 {
		check("cut at "+strconv.Itoa(n), data[:n], -1)
	}
	for m, n := range ends {
		for cut := n - 8; cut < n; cut++ {
			check("cut in trailer at "+strconv.Itoa(cut), data[:cut], -1)
		}
		check("cut at member end "+strconv.Itoa(n), data[:n], (m+1)*per)
	}
}

// TestSubscriptionGzipMemberBound: a gzip member of payloads that
// decompresses to more than MaxBuffer is not decoded at all (its bytes
// cannot be held until its check): an error naming the bound.
func TestSubscriptionGzipMemberBound(t *testing.T) {
	f := flowlog.DefaultFormat()
	_, lines := textLog(t, 33, 50, f, false)
	var msgs []string
	for _, l := range lines {
		var r flowlog.Record
		if err := flowlog.ParseLine(l, flowlog.AllFields(), &r); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, r.Text(f))
	}
	payload := subscription(msgs...)
	data := gz(t, []byte(payload))
	for _, max := range []int64{int64(len(payload)) - 1, int64(len(payload))} {
		got, errs := readInOrder(t, data, &Options{MaxBuffer: max})
		if max < int64(len(payload)) {
			if len(got) != 0 || len(errs) != 1 || !errors.Is(errs[0], flowlog.ErrMemberTooLarge) || !errors.Is(errs[0], ErrTooLarge) ||
				!strings.Contains(errs[0].Error(), strconv.FormatInt(max, 10)+" bytes") || !strings.Contains(errs[0].Error(), "--max-buffer") {
				t.Errorf("MaxBuffer %d: %d records, errors %v", max, len(got), errs)
			}
		} else if len(got) != len(lines) || len(errs) != 0 {
			t.Errorf("MaxBuffer %d (the member's size): %d records, errors %v", max, len(got), errs)
		}
	}
}
