//go:build !amd64 || purego

package flowlog

// haveAsm reports whether parseDefaultAMD64 is the assembly parser.
const haveAsm = false

// parseDefaultAMD64 is the assembly parser on amd64; elsewhere, and with
// the purego build tag, the Go parser takes every line.
func parseDefaultAMD64(line string, r *Record) (acctEnd, ifaceEnd, srcEnd, dstEnd int, src, dst, absent uint64, ok bool) {
	return 0, 0, 0, 0, 0, 0, 0, false
}
