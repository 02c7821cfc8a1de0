package review

import (
	"reflect"
	"sort"
	"sync"
)

// templateIndex holds what review looks up in a template again and again:
// the logical IDs by type, the names resources give themselves, the bucket
// policies by bucket. Built once per template, it keeps reviewing a
// template of N flow logs near O(N) rather than O(N²) (every flow log once
// scanned and sorted every resource).
type templateIndex struct {
	resources uintptr // the Resources map it was built from
	size      int     // and its size then
	all       []string
	byType    map[string][]string
	names     map[string]string
	policies  map[string][]string // bucket policies by bucket
}

// indexBox holds a template's index; a pointer so that copying a Template
// does not copy its lock.
type indexBox struct {
	mu  sync.Mutex
	idx *templateIndex
}

// index returns the template's index, building it on first use and again
// when Resources was replaced or changed size. A template made by hand
// (without Parse) is indexed afresh on every call.
func (t *Template) index() *templateIndex {
	ptr, size := reflect.ValueOf(t.Resources).Pointer(), len(t.Resources)
	if t.box == nil {
		return buildIndex(t, ptr, size)
	}
	t.box.mu.Lock()
	defer t.box.mu.Unlock()
	if x := t.box.idx; x == nil || x.resources != ptr || x.size != size {
		t.box.idx = buildIndex(t, ptr, size)
	}
	return t.box.idx
}

func buildIndex(t *Template, ptr uintptr, size int) *templateIndex {
	x := &templateIndex{resources: ptr, size: size, byType: map[string][]string{}}
	for id, r := range t.Resources {
		x.all = append(x.all, id)
		x.byType[r.Type] = append(x.byType[r.Type], id)
	}
	sort.Strings(x.all)
	for _, ids := range x.byType {
		sort.Strings(ids)
	}
	x.names = literalNamesOf(t)
	x.policies = map[string][]string{}
	for _, id := range x.byType[TypeBucketPolicy] {
		if target, attr, ok := Target(t.Resources[id].Properties["Bucket"]); ok && attr == "" {
			x.policies[target] = append(x.policies[target], id)
		}
	}
	return x
}
