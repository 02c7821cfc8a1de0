//go:build amd64 && !purego

package investigations

import "unsafe"

// prefetchLine asks the processor for the cache line of p (PREFETCHT0)
// without waiting for it: see portLanes.
//
//go:noescape
func prefetchLine(p unsafe.Pointer)
