package investigations

import "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"

// hourWindow counts the groups of a layout of one hour and otherwise
// small-domain parts (bytes-per-hour: hour and action) in an array
// indexed by the hour's distance from the window's first hour and the
// other parts' array index: flow logs come roughly in time order and a
// file spans hours, so the window stays small and a record costs no
// hash. A window wider than maxWindow entries (e.g. start times decades
// apart) gives way to the hash table.
type hourWindow struct {
	part  int // the hour part's index
	other int // the other part's index, when there is one and it is not a family; -1 otherwise
	// The fields of those parts and the other's radix, copied out of
	// parts so that slot, run for every record, does not index them.
	hourField, otherField flowlog.Field
	otherRadix            int
	rest                  int   // the other parts' array size
	first                 int64 // the window's first hour, in hours since the epoch
	hours                 int   // the window's width in hours
	counts                []agg // [(hour-first)*rest + other parts' index]
	// The hour of the last record slot counted, as the times [lo, hi)
	// whose key is that hour, and its first entry in counts, for recent:
	// lo == hi (none yet, or a negative hour) matches no time.
	// Only for bytes-per-hour's layout (the hour of start, and action),
	// whose action's entry is act[action code].
	lo, hi int64
	base   int
	byAct  bool
	act    [4]int
	absent []agg    // records without the time field, by the other parts' index
	k      []uint64 // scratch key
}

// maxWindow bounds an hour window's entries (24 bytes each): two years
// of hours by action.
const maxWindow = 1 << 16

// newHourWindow returns a window for parts, or nil if they are not one
// hour and small-domain others.
func newHourWindow(parts []part, w int) *hourWindow {
	hw := &hourWindow{part: -1, rest: 1, k: make([]uint64, w)}
	for i, p := range parts {
		switch {
		case p.kind == partHour && hw.part < 0:
			hw.part = i
		case p.radix > 0:
			hw.rest *= p.radix
		default:
			return nil
		}
	}
	if hw.part < 0 || hw.rest > smallDomain {
		return nil
	}
	hw.other, hw.hourField = -1, parts[hw.part].field
	if len(parts) == 2 && parts[1-hw.part].kind != partFamily {
		hw.other = 1 - hw.part
		hw.otherField, hw.otherRadix = parts[hw.other].field, parts[hw.other].radix
	}
	hw.absent = make([]agg, hw.rest)
	if hw.byAct = hw.hourField == flowlog.Start && hw.otherField == flowlog.Action; hw.byAct {
		for c := 1; c < len(hw.act); c++ { // as slot has it
			hw.act[c] = min(c+1, hw.otherRadix-1)
		}
	}
	return hw
}

// recent returns the counts of r's group when r starts in the hour of
// the record slot counted last, else nil: flow logs come roughly in time
// order, so most records do, and this path, small enough to be inlined
// into the loop over every record, finds them without slot's call.
func (hw *hourWindow) recent(r *flowlog.Record) *agg {
	if t := r.StartUnix(); t >= hw.lo && t < hw.hi && r.Has(flowlog.Start) {
		return &hw.counts[hw.base+hw.act[r.Action()&3]]
	}
	return nil
}

// slot returns the counts of r's group, or nil when r's hour is beyond
// what the window may cover.
func (hw *hourWindow) slot(parts []part, r *flowlog.Record) *agg {
	var ri int
	switch {
	case hw.otherField == flowlog.Action: // bytes-per-hour's: 0 when absent, without numOf's call
		if c := int(r.Action()); c != 0 {
			ri = min(c+1, hw.otherRadix-1)
		}
	case hw.other >= 0: // denseIndex of one enum or number part
		if f := hw.otherField; r.Has(f) {
			ri = min(int(numOf(r, f))+1, hw.otherRadix-1)
		}
	default:
		ri = denseIndex(parts, hw.part, r)
	}
	f := hw.hourField
	if !r.Has(f) {
		return &hw.absent[ri]
	}
	var t int64
	switch f { // the common hours without numOf's call
	case flowlog.Start:
		t = r.StartUnix()
	case flowlog.End:
		t = r.EndUnix()
	default:
		t = int64(numOf(r, f))
	}
	h := t / 3600 // the key's hour (as makeKey has it: t - t%3600), in hours
	i := h - hw.first
	if hw.hours == 0 || i < 0 || i >= int64(hw.hours) {
		if !hw.cover(h) {
			return nil
		}
		i = h - hw.first
	}
	hw.base = int(i) * hw.rest
	if h >= 0 && hw.byAct { // t/3600 == h exactly for t in [3600h, 3600h+3600)
		hw.lo, hw.hi = h*3600, h*3600+3600
	} else {
		hw.lo, hw.hi = 0, 0
	}
	return &hw.counts[hw.base+ri]
}

// cover widens the window to hour h, with room to grow on that side; it
// reports false if the window would exceed maxWindow.
func (hw *hourWindow) cover(h int64) bool {
	if hw.hours == 0 {
		hw.first, hw.hours = h, 1
		hw.counts = make([]agg, hw.rest)
		return true
	}
	lo, hi := min(hw.first, h), max(hw.first+int64(hw.hours), h+1) // [lo, hi)
	if hi-lo > int64(maxWindow/hw.rest) || hi-lo < 0 {
		return false
	}
	// Double the width, towards the side that grew, within the bound.
	room := min(int64(hw.hours), int64(maxWindow/hw.rest)-(hi-lo))
	if h < hw.first {
		lo -= room
	} else {
		hi += room
	}
	counts := make([]agg, int(hi-lo)*hw.rest)
	copy(counts[int(hw.first-lo)*hw.rest:], hw.counts)
	hw.first, hw.hours, hw.counts = lo, int(hi-lo), counts
	return true
}

// each calls fn with the key and counts of every group.
func (hw *hourWindow) each(parts []part, fn func(k []uint64, a agg)) {
	k := hw.k
	hp := &parts[hw.part]
	for i := range hw.counts {
		if a := hw.counts[i]; a.records > 0 {
			k[0] = 1<<hp.shift | usedBit
			k[hp.word] = uint64((hw.first + int64(i/hw.rest)) * 3600)
			denseKey(k, parts, hw.part, i%hw.rest)
			fn(k, a)
		}
	}
	for ri, a := range hw.absent {
		if a.records > 0 {
			k[0], k[hp.word] = usedBit, 0
			denseKey(k, parts, hw.part, ri)
			fn(k, a)
		}
	}
}
