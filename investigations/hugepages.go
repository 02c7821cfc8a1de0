package investigations

import (
	"runtime/metrics"
	"unsafe"
)

// newTable returns a hash table's n zeroed slots, each page written
// once (writeEachPage), and, for a table of at least a huge page (2 MiB
// on amd64) made while the heap is still fresh (see freshHeap), aligned
// to huge pages and advised to be backed by them, where the kernel backs
// a process's memory with huge pages on request (Linux's transparent
// huge pages in "madvise" or "always" mode: hugePageSize).
//
// Why: a new table is memory the process has not touched, and each of
// its 4 KiB pages costs a page fault on first touch (~1.4 µs each on
// the VM this was measured on, where zeroing the page is a small part);
// a 2 MiB page costs one fault, ~0.15 µs per 4 KiB of it once the
// machine has backed it before. The report's tables over 1M generated
// lines (the IPv4 pairs', the rejected ports', the IPv6 pairs'; their
// 2 and 4 MiB growth steps) are 14 MiB of the ~20 MiB they touch.
// The random look-ups of a table that outgrows the caches also miss the
// TLB far less over 2 MiB pages than over 4 KiB ones.
//
// The alignment costs address space, not memory: the slice is cut from
// an allocation one huge page longer, whose untouched rest is never
// faulted in because fresh heap memory is known to be zero (the runtime
// does not clear it). Once the runtime has collected garbage, a new
// allocation may be reused memory that it clears whole, rest included,
// and whose pages are already there: then the table is allocated as
// before, with no advice.
func newTable[T any](n int) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if huge := hugePageSize(); huge > 0 && size > 0 && n*size >= huge && huge%size == 0 && freshHeap() {
		return hugeTable[T](n, huge)
	}
	s := make([]T, n)
	writeEachPage(s)
	return s
}

// hugeTable is newTable's table of n slots aligned to huge pages of
// huge bytes, of which the slot's size is a divisor.
func hugeTable[T any](n, huge int) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	s := make([]T, n+huge/size)
	base := int(uintptr(unsafe.Pointer(&s[0])) % uintptr(huge))
	if pad := (huge - base) % huge; pad%size == 0 {
		s = s[pad/size : pad/size+n : pad/size+n]
		adviseHuge(unsafe.Pointer(&s[0]), uintptr(n*size))
	} else { // not expected: a large allocation starts on a page
		s = s[:n:n]
	}
	writeEachPage(s)
	return s
}

// gcCycles is the runtime metric freshHeap reads.
const gcCycles = "/gc/cycles/total:gc-cycles"

// freshHeap reports whether the runtime has not collected garbage yet:
// then no heap memory has been freed, and a new large allocation is
// memory the process has not touched (a command that counts records
// makes no collection below its heap floor: cmd/flowlog's collectFrom).
func freshHeap() bool {
	s := [1]metrics.Sample{{Name: gcCycles}}
	metrics.Read(s[:])
	return s[0].Value.Kind() == metrics.KindUint64 && s[0].Value.Uint64() == 0
}
