//go:build amd64 && !purego

package investigations

// prefetchLines asks the processor for the cache line of each address
// (PREFETCHT0) without waiting for any: see packedTable.rotate.
//
//go:noescape
func prefetchLines(lines *[batchSize]*packedGroup)
