//go:build !(386 || amd64 || arm64 || loong64 || ppc64le || wasm)

package flowlog

import (
	"encoding/binary"
	"unsafe"
)

// ld64 returns line[i:i+8] as a little-endian uint64 with no bounds check:
// the caller must have checked that 0 <= i and i+8 <= len(line).
func ld64(line string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(line)), i)), 8))
}
