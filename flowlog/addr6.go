package flowlog

import "net/netip"

// hexVal maps a byte to its hex digit value, or 0xFF.
var hexVal = func() (t [256]uint8) {
	for c := range t {
		t[c] = 0xFF
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c-'a') + 10
		t[c-'a'+'A'] = uint8(c-'a') + 10
	}
	return t
}()

// scanIPv6 parses the common forms of an IPv6 address at line[i:]: groups
// of 1 to 4 hex digits separated by ":", with at most one "::", ending at
// a space or the end of line. When it reports true, the address is what
// netip.ParseAddr gives for the token. It reports false for anything else,
// including valid forms it leaves to netip (an IPv4 tail) and invalid
// ones, leaving the caller to take the careful path.
func scanIPv6(line string, i int) (netip.Addr, int, bool) {
	var ip [16]byte
	n := len(line)
	ellipsis := -1
	j := i
	if j+1 < n && line[j] == ':' && line[j+1] == ':' {
		ellipsis = 0
		j += 2
		if j == n || line[j] == ' ' {
			return netip.IPv6Unspecified(), j, true
		}
	}
	k := 0
	for k < 16 {
		start := j
		var acc uint32
		for j < n {
			d := hexVal[line[j]]
			if d > 15 {
				break
			}
			acc = acc<<4 | uint32(d)
			j++
		}
		if l := j - start; l == 0 || l > 4 {
			return netip.Addr{}, j, false
		}
		ip[k], ip[k+1] = byte(acc>>8), byte(acc)
		k += 2
		if j == n || line[j] == ' ' {
			break
		}
		if line[j] != ':' {
			return netip.Addr{}, j, false
		}
		j++
		if j == n || line[j] == ' ' {
			return netip.Addr{}, j, false
		}
		if line[j] == ':' {
			if ellipsis >= 0 {
				return netip.Addr{}, j, false
			}
			ellipsis = k
			j++
			if j == n || line[j] == ' ' {
				break
			}
		}
	}
	if j < n && line[j] != ' ' {
		return netip.Addr{}, j, false
	}
	if k < 16 {
		if ellipsis < 0 {
			return netip.Addr{}, j, false
		}
		z := 16 - k
		copy(ip[ellipsis+z:], ip[ellipsis:k])
		clear(ip[ellipsis : ellipsis+z])
	} else if ellipsis >= 0 {
		return netip.Addr{}, j, false
	}
	return netip.AddrFrom16(ip), j, true
}
