//go:build !linux

package investigations

import "unsafe"

// hugePageSize is 0 where a process does not ask for huge pages with
// madvise (see the Linux file): newTable then allocates as make does.
func hugePageSize() int { return 0 }

func adviseHuge(unsafe.Pointer, uintptr) {}
