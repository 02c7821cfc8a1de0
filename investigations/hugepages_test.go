package investigations

import (
	"runtime"
	"testing"
	"unsafe"
)

func TestHugeTableIsAlignedAndZero(t *testing.T) {
	const huge = 2 << 20
	for _, n := range []int{huge / 32, 2 * huge / 32, 4 * huge / 32} {
		s := hugeTable[packedGroup](n, huge)
		if len(s) != n || cap(s) != n {
			t.Fatalf("n=%d: len %d cap %d", n, len(s), cap(s))
		}
		if p := uintptr(unsafe.Pointer(&s[0])); p%huge != 0 {
			t.Errorf("n=%d: starts at %#x, not on a %d-byte page", n, p, huge)
		}
		for i := range s {
			if s[i] != (packedGroup{}) {
				t.Fatalf("n=%d: slot %d is %v", n, i, s[i])
			}
		}
	}
}

func TestNewTableIsZero(t *testing.T) {
	for _, n := range []int{16, 8192, 1 << 16, 1 << 17} {
		s := newTable[packedGroup](n)
		if len(s) != n || cap(s) != n {
			t.Fatalf("n=%d: len %d cap %d", n, len(s), cap(s))
		}
		for i := range s {
			if s[i] != (packedGroup{}) {
				t.Fatalf("n=%d: slot %d is %v", n, i, s[i])
			}
		}
	}
}

func TestFreshHeapEndsAtTheFirstCollection(t *testing.T) {
	runtime.GC()
	if freshHeap() {
		t.Error("freshHeap after a collection")
	}
}
