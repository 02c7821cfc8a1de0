package review

import (
	"errors"
	"strconv"
	"strings"
)

// ErrTooDeep is wrapped by errors about a template nested more than
// [MaxNestingDepth] levels deep.
var ErrTooDeep = errors.New("template nested too deeply")

// MaxNestingDepth is how deeply the values of a template may nest. A
// CloudFormation template is shallow (a bucket policy's condition is about
// ten levels down); a limit keeps a hostile input of a hundred thousand
// nested lists from exhausting the stack or memory.
const MaxNestingDepth = 200

// docPath is where a value sits in a document, kept as a chain of parents so
// that descending a level costs no string: the dotted form
// ("Resources.Log.Properties.Statement[0]") is built only for an error.
type docPath struct {
	parent *docPath
	key    string // the mapping key
	index  int    // the list index, when elem
	isElem bool
	depth  int
}

// child returns the path of key inside p (p may be nil: the top level).
func (p *docPath) child(key string) *docPath {
	return &docPath{parent: p, key: key, depth: p.level() + 1}
}

// elem returns the path of list element i inside p.
func (p *docPath) elem(i int) *docPath {
	return &docPath{parent: p, index: i, isElem: true, depth: p.level() + 1}
}

func (p *docPath) level() int {
	if p == nil {
		return 0
	}
	return p.depth
}

// String gives the dotted form, or "the top level" for nil.
func (p *docPath) String() string { return p.format(-1) }

// short gives the dotted form of the first n levels, then "...", for paths
// too deep to print whole.
func (p *docPath) short(n int) string { return p.format(n) }

func (p *docPath) format(limit int) string {
	if p == nil {
		return "the top level"
	}
	var parts []*docPath
	for q := p; q != nil; q = q.parent {
		parts = append(parts, q)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		if limit >= 0 && len(parts)-1-i == limit {
			b.WriteString("...")
			break
		}
		q := parts[i]
		if q.isElem {
			b.WriteString("[" + strconv.Itoa(q.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(q.key)
	}
	return b.String()
}
