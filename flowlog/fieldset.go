package flowlog

import "math/bits"

// fieldSet is a set of fields: a bit per Field, 128 in all. The fields of
// VPC flow logs are below 64, so the default format and every VPC format
// live in lo; the transit-gateway-only fields are in hi.
//
// The operations are branch-free: for a Field f below 64, f-64 wraps to
// 192..255 and a shift by that much is 0 in Go, as is a shift of lo by f
// of 64 or more, so each touches the right word without a test.
type fieldSet struct{ lo, hi uint64 }

// has reports whether f is in s.
func (s fieldSet) has(f Field) bool { return (s.lo>>f|s.hi>>(f-64))&1 != 0 }

// add puts f in s.
func (s *fieldSet) add(f Field) {
	s.lo |= 1 << f
	s.hi |= 1 << (f - 64)
}

// del takes f out of s.
func (s *fieldSet) del(f Field) {
	s.lo &^= 1 << f
	s.hi &^= 1 << (f - 64)
}

// within reports whether every field of s is in t.
func (s fieldSet) within(t fieldSet) bool { return s.lo&^t.lo|s.hi&^t.hi == 0 }

// meets reports whether s and t have a field in common.
func (s fieldSet) meets(t fieldSet) bool { return s.lo&t.lo|s.hi&t.hi != 0 }

// len returns the number of fields in s.
func (s fieldSet) len() int { return bits.OnesCount64(s.lo) + bits.OnesCount64(s.hi) }

// setOf returns the set of the fields.
func setOf(fields ...Field) fieldSet {
	var s fieldSet
	for _, f := range fields {
		s.add(f)
	}
	return s
}
