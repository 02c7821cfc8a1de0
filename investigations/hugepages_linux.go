package investigations

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"syscall"
	"unsafe"
)

// hugePageSize returns the size of the kernel's transparent huge pages
// when a process can ask for them (madvise, or always), else 0. See
// https://docs.kernel.org/admin-guide/mm/transhuge.html for the files.
var hugePageSize = sync.OnceValue(func() int {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !bytes.Contains(mode, []byte("[madvise]")) && !bytes.Contains(mode, []byte("[always]")) {
		return 0
	}
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil || n <= pageSize || n&(n-1) != 0 {
		return 0
	}
	return n
})

// adviseHuge asks the kernel to back the n bytes at p, whose start is
// aligned to a huge page, with huge pages (MADV_HUGEPAGE): at the first
// touch of each whole huge page in it. The advice is a hint: when it
// fails (an old kernel) the memory is as without it.
func adviseHuge(p unsafe.Pointer, n uintptr) {
	end := (uintptr(p) + n) &^ uintptr(hugePageSize()-1)
	if end <= uintptr(p) {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(p), end-uintptr(p), syscall.MADV_HUGEPAGE)
}
