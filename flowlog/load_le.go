//go:build 386 || amd64 || arm64 || loong64 || ppc64le || wasm

package flowlog

import "unsafe"

// ld64 returns line[i:i+8] as a little-endian uint64 with no bounds check:
// the caller must have checked that 0 <= i and i+8 <= len(line). It
// compiles to one load, where binary.LittleEndian.Uint64([]byte(line[i:i+8]))
// adds bounds and nil checks that the parser's hot path pays on every field.
// These are the little-endian architectures whose loads need no alignment.
func ld64(line string, i int) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.StringData(line)), i))
}
