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
	groupList []*group
	groupOf   []int // per table of spec: its group
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
		Question: "What are the totals of the groups of " + inv.Name + "?",
		Where:    inv.Where,
		// The table's measures: no field the table does not need, so
		// that an input the table answers, its totals answer too.
		Measures: inv.Measures,
	}
}

const totalsPrefix = "totals-of-"

// groups returns the plan's tables in groups whose inputs left out are
// said together: each chart's table with its keyTotals (which has its
// fields), and, for each of the spec's tables, its group.
func (p *Plan) groups(f fl.Format) (groups []*group, of []int) {
	spec := p.Spec(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.groupOf == nil {
		for _, inv := range spec.Tables {
			if !strings.HasPrefix(inv.Name, totalsPrefix) {
				p.groupList = append(p.groupList, &group{title: inv.Title})
			}
			p.groupOf = append(p.groupOf, len(p.groupList)-1)
		}
	}
	return p.groupList, p.groupOf
}

// group is the inputs a chart left out, and the fields they lack.
type group struct {
	title   string   // the chart's table's
	missing []string // field names
	inputs  []string // names of the inputs left out, as Begin got them
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
	sum     *summary.Summarizer // nil until the first Begin
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
	groups, of := c.plan.groups(f)
	if c.sum == nil {
		s, err := summary.New(c.plan.Spec(f))
		if err != nil {
			return err
		}
		c.sum = s
	}
	lacking, err := c.sum.BeginPartial(f)
	if err != nil {
		return err
	}
	// A chart's totals need no field its table does not (keyTotals):
	// the chart's table, first of its group, says what the group lacks.
	noted := -1
	for i, m := range lacking {
		if len(m) > 0 && of[i] != noted {
			c.plan.leftOut(groups[of[i]], name, m)
			noted = of[i]
		}
	}
	if !slices.Contains(c.formats, f) {
		c.formats = append(c.formats, f)
	}
	return nil
}

// Add counts one record, if the filter selects it.
func (c *Collector) Add(r *fl.Record) { c.sum.Add(r) }

// Merge adds o's counts into c; o must not be used afterwards.
func (c *Collector) Merge(o *Collector) {
	for _, f := range o.formats {
		if !slices.Contains(c.formats, f) {
			c.formats = append(c.formats, f)
		}
	}
	switch {
	case o.sum == nil:
	case c.sum == nil:
		c.sum = o.sum
	default:
		c.sum.Merge(o.sum)
	}
}

// Summary returns the numbers so far: the same summary.Summary that
// `flowlog summarize` computes for the same tables.
func (c *Collector) Summary() summary.Summary {
	if c.sum == nil {
		return summary.Summary{}
	}
	return c.sum.Summary()
}

// Partial returns the titles of the charts computed without some inputs,
// whose format lacks their fields (the page names those inputs under each
// chart), in page order: what the CLI's exit status counts as skipped.
func (c *Collector) Partial() []string {
	if c.plan == nil {
		return nil
	}
	c.plan.mu.Lock()
	defer c.plan.mu.Unlock()
	var titles []string
	for _, g := range c.plan.groupList {
		if len(g.inputs) > 0 {
			titles = append(titles, g.title)
		}
	}
	return titles
}
