package report

import (
	"slices"
	"strings"
	"sync"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// DefaultTop is the number of bars a chart shows before "other".
const DefaultTop = 10

// The investigations a report runs, by name. The top-N tables are the
// ones `flowlog summarize --by src,dst,pair` runs (summary.TopN),
// so the page and `summarize --json` show the same tables; the others are
// the catalogue's, so every chart can be reproduced with
// `flowlog investigate NAME` and in Athena or Logs Insights.
const (
	invHours     = "bytes-per-hour"
	invSources   = "top-srcaddr-by-bytes"
	invDests     = "top-dstaddr-by-bytes"
	invPairs     = "top-srcaddr-dstaddr-by-bytes"
	invRejPorts  = "rejected-by-dst-port"
	invRejSrc    = "rejected-by-source" // ad hoc, below
	invDirection = "traffic-by-direction"
	invPath      = "egress-by-traffic-path"
	invToSvc     = "traffic-to-aws-services"
	invFromSvc   = "traffic-from-aws-services"
	invNoData    = "nodata-skipdata-by-interface"
)

// investigationsOf returns the investigations of a report with top rows
// per top-N table, in page order. Groups of few values (hours, directions,
// paths, services) are kept whole (no limit), so that their charts are
// exact; the rest of the others' totals is drawn as "other".
func investigationsOf(top int) []investigations.Investigation {
	topN := func(measure investigations.Measure, by ...fl.Field) investigations.Investigation {
		return summary.TopN(by, measure, top)
	}
	// The catalogue asks about rejected sources per port
	// (rejected-tcp-traffic, rejected-ssh-rdp) but not per source alone;
	// the report needs the sources, over every protocol.
	rejSrc := topN(investigations.Records, fl.SrcAddr)
	rejSrc.Where = investigations.And(rejSrc.Where, investigations.Equal(fl.Action, "REJECT"))
	rejSrc.Name, rejSrc.Title = invRejSrc, "Rejected traffic by source"
	rejSrc.Question = "Which source addresses had the most rejected flows?"

	out := []investigations.Investigation{
		catalogued(invHours, 0),
		topN(investigations.Bytes, fl.SrcAddr),
		topN(investigations.Bytes, fl.DstAddr),
		topN(investigations.Bytes, fl.SrcAddr, fl.DstAddr),
		catalogued(invRejPorts, -1),
		rejSrc,
		catalogued(invDirection, 0),
		catalogued(invPath, 0),
		catalogued(invToSvc, 0),
		catalogued(invFromSvc, 0),
		catalogued(invNoData, -1),
	}
	return out
}

// catalogued returns the catalogue's investigation with the name and the
// limit (-1: the catalogue's own).
func catalogued(name string, limit int) investigations.Investigation {
	inv, ok := investigations.Lookup(name)
	if !ok {
		panic("report: the catalogue has no " + name)
	}
	if limit >= 0 {
		inv.Limit = limit
	}
	return inv
}

// Plan is what a report computes: the totals and the investigations
// behind its charts, over the records a filter selects, as one
// summary.Spec, so that the page shows what `flowlog summarize` computes.
// The investigations are chosen by the format of the first input (those
// whose fields it lacks are left out and noted on the page); an input of
// another format counts in the totals and the charts it has the fields of. A Plan is
// shared by the Collectors of every goroutine.
type Plan struct {
	where investigations.Cond
	top   int

	mu        sync.Mutex
	spec      *summary.Spec
	skipped   []skip
	totals    *summary.Spec // the totals' spec (groups)
	groupList []*group
}

type skip struct {
	inv     investigations.Investigation
	missing []fl.Field
}

// NewPlan returns the plan of a report over the records where selects
// (the zero Cond: every record), with top rows per top-N chart (0:
// DefaultTop).
func NewPlan(where investigations.Cond, top int) *Plan {
	if top <= 0 {
		top = DefaultTop
	}
	return &Plan{where: where, top: top}
}

// Top returns the rows per top-N chart.
func (p *Plan) Top() int { return p.top }

// Spec returns the summary.Spec of the report, made for the format f of
// the first input by the first call (later calls return the same spec):
// the filter, and the report's investigations that f has the fields for.
// Summarizing records with it gives the numbers of the page.
func (p *Plan) Spec(f fl.Format) *summary.Spec {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.spec == nil {
		p.spec = &summary.Spec{Where: p.where}
		for _, inv := range investigationsOf(p.top) {
			if m := inv.Missing(f); len(m) > 0 {
				p.skipped = append(p.skipped, skip{inv, m})
				continue
			}
			p.spec.Tables = append(p.spec.Tables, inv)
			if inv.Limit > 0 {
				p.spec.Tables = append(p.spec.Tables, keyTotals(inv))
			}
		}
	}
	return p.spec
}

// keyTotals returns the investigation of the totals of the records a
// cut-off table (one with a Limit) counts: those its filter selects, with
// every grouping key present. Its "other" row is these totals minus the
// rows shown; the totals of all records would also count records lacking
// the key (NODATA, SKIPDATA: no addresses), which are in no group.
func keyTotals(inv investigations.Investigation) investigations.Investigation {
	return investigations.Investigation{
		Name:     totalsPrefix + inv.Name,
		Title:    inv.Title + " (totals)",
		Question: "How many records, packets and bytes are in the groups of " + inv.Name + "?",
		Where:    inv.Where,
		Measures: []investigations.Measure{investigations.Records, investigations.Packets, investigations.Bytes},
	}
}

const totalsPrefix = "totals-of-"

// groups returns the plan's tables in groups that are counted together
// over the inputs whose format has their fields: each chart's table with
// its keyTotals. The totals (Where alone) cover every input.
func (p *Plan) groups(f fl.Format) (totals *summary.Spec, groups []*group) {
	spec := p.Spec(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.totals == nil {
		p.totals = &summary.Spec{Where: p.where}
		for _, inv := range spec.Tables {
			if strings.HasPrefix(inv.Name, totalsPrefix) {
				g := p.groupList[len(p.groupList)-1]
				g.spec.Tables = append(g.spec.Tables, inv)
				continue
			}
			p.groupList = append(p.groupList, &group{spec: &summary.Spec{Where: p.where, Tables: []investigations.Investigation{inv}}})
		}
	}
	return p.totals, p.groupList
}

// group is tables counted together, and the inputs they left out.
type group struct {
	spec    *summary.Spec
	missing []string // field names
	inputs  []string // names of the inputs left out, as Begin got them
}

// missingIn returns the fields of g's tables that f lacks.
func (g *group) missingIn(f fl.Format) []fl.Field {
	var out []fl.Field
	for _, inv := range g.spec.Tables {
		for _, m := range inv.Missing(f) {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

func (p *Plan) leftOut(g *group, input string, missing []fl.Field) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range missing {
		if !slices.Contains(g.missing, m.Name()) {
			g.missing = append(g.missing, m.Name())
		}
	}
	g.inputs = append(g.inputs, input)
}

// Collector computes a report's numbers from the records one goroutine
// reads: Begin with each input's format, Add every record; then Merge the
// collectors of a plan into one and Build the page from it. A Collector is
// not safe for concurrent use.
//
// The totals cover every input; each chart the inputs whose format has
// its fields (the charts are chosen by the first input's format, and an
// input of another format may lack some): the page names the inputs a
// chart left out.
type Collector struct {
	plan    *Plan
	tot     *summary.Summarizer
	tabs    []*summary.Summarizer // per group
	active  []*summary.Summarizer // the groups the current input has the fields of
	formats []fl.Format
}

// Collector returns a new, empty collector of the plan.
func (p *Plan) Collector() *Collector { return &Collector{plan: p} }

// Begin is BeginInput of an unnamed input.
func (c *Collector) Begin(f fl.Format) error { return c.BeginInput("", f) }

// BeginInput prepares for the records of input name in format f. It
// fails, and the input must be skipped, when f lacks a field the filter
// needs; charts whose fields f lacks leave the input out, and the page
// says so.
func (c *Collector) BeginInput(name string, f fl.Format) error {
	totals, groups := c.plan.groups(f)
	if c.tot == nil {
		s, err := summary.New(totals)
		if err != nil {
			return err
		}
		c.tot = s
		for _, g := range groups {
			t, err := summary.New(g.spec)
			if err != nil {
				return err
			}
			c.tabs = append(c.tabs, t)
		}
	}
	if err := c.tot.Begin(f); err != nil {
		return err
	}
	c.active = c.active[:0]
	for i, g := range groups {
		if m := g.missingIn(f); len(m) > 0 {
			c.plan.leftOut(g, name, m)
			continue
		}
		if err := c.tabs[i].Begin(f); err != nil {
			return err
		}
		c.active = append(c.active, c.tabs[i])
	}
	if !slices.Contains(c.formats, f) {
		c.formats = append(c.formats, f)
	}
	return nil
}

// Add counts one record, if the filter selects it.
func (c *Collector) Add(r *fl.Record) {
	c.tot.Add(r)
	for _, s := range c.active {
		s.Add(r)
	}
}

// Merge adds o's counts into c; o must not be used afterwards.
func (c *Collector) Merge(o *Collector) {
	for _, f := range o.formats {
		if !slices.Contains(c.formats, f) {
			c.formats = append(c.formats, f)
		}
	}
	switch {
	case o.tot == nil:
	case c.tot == nil:
		c.tot, c.tabs = o.tot, o.tabs
	default:
		c.tot.Merge(o.tot)
		for i := range c.tabs {
			c.tabs[i].Merge(o.tabs[i])
		}
	}
}

// Summary returns the numbers so far: the same summary.Summary that
// `flowlog summarize` computes for the same tables.
func (c *Collector) Summary() summary.Summary {
	if c.tot == nil {
		return summary.Summary{}
	}
	s := c.tot.Summary()
	for _, t := range c.tabs {
		s.Tables = append(s.Tables, t.Summary().Tables...)
	}
	return s
}
