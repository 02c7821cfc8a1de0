//go:build amd64 && !purego

package flowlog

// haveAsm reports whether parseDefaultAMD64 is the assembly parser.
const haveAsm = true

// parseDefaultAMD64 parses the common shapes of a default-format line; see
// parse_default_amd64.s. It sets r's numeric fields and returns the ends of
// the two strings and the two addresses, the addresses as big-endian IPv4
// numbers or asmToken, and the mask of the fields that were "-"; or false
// for any other line.
//
//go:noescape
func parseDefaultAMD64(line string, r *Record) (acctEnd, ifaceEnd, srcEnd, dstEnd int, src, dst, absent uint64, ok bool)
