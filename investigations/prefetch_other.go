//go:build !amd64 || purego

package investigations

// prefetchSink keeps prefetchLines' loads.
var prefetchSink uint64

// prefetchLines loads each group's first word, as packedTable.flush
// does, where there is no prefetch instruction in assembly here: see
// packedTable.rotate.
func prefetchLines(lines *[batchSize]*packedGroup) {
	var s uint64
	for _, g := range lines {
		s += g.key
	}
	prefetchSink = s
}
