package report

import (
	"slices"

	fl "github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// DefaultTop is the number of bars a chart shows before "other".
const DefaultTop = 10

// The investigations a report runs, by name. All but two are the
// catalogue's, so every chart can be reproduced with
// `flowlog investigate NAME` and in Athena or Logs Insights.
const (
	invHours     = "bytes-per-hour"
	invTalkers   = "top-talkers"
	invPairs     = "top-pairs-by-bytes"
	invRejPorts  = "rejected-by-dst-port"
	invRejSrc    = "rejected-by-source" // ad hoc, below
	invDirection = "traffic-by-direction"
	invPath      = "egress-by-traffic-path"
	invToSvc     = "traffic-to-aws-services"
	invFromSvc   = "traffic-from-aws-services"
	invNoData    = "nodata-skipdata-by-interface"
	invStatus    = "by-action-and-status" // ad hoc, below
)

// plan returns the investigations of a report. Groups of few values
// (hours, directions, paths, services) are kept whole (no limit), so that
// their charts are exact; the others keep the catalogue's limit, and the
// rest of their totals is drawn as "other".
func plan() []investigations.Investigation {
	var out []investigations.Investigation
	for _, name := range []string{invHours, invTalkers, invPairs, invRejPorts, invDirection, invPath, invToSvc, invFromSvc, invNoData} {
		inv, ok := investigations.Lookup(name)
		if !ok {
			panic("report: the catalogue has no " + name)
		}
		switch name {
		case invHours, invDirection, invPath, invToSvc, invFromSvc:
			inv.Limit = 0
		}
		out = append(out, inv)
	}
	// The catalogue asks about rejected sources per port (rejected-tcp-traffic,
	// rejected-ssh-rdp) but not per source alone; the report needs the
	// sources, with every protocol.
	rejSrc := investigations.TopN([]fl.Field{fl.SrcAddr}, investigations.Records, 50, investigations.Equal(fl.Action, "REJECT"))
	rejSrc.Name, rejSrc.Title = invRejSrc, "Rejected traffic by source"
	rejSrc.Question = "Which source addresses had the most rejected flows?"
	// Totals per action and log status, for the "other" rows of the
	// charts of all, rejected, or NODATA and SKIPDATA records.
	status := investigations.TopN([]fl.Field{fl.Action, fl.LogStatus}, investigations.Records, 0, investigations.Cond{})
	status.Name = invStatus
	return append(out, rejSrc, status)
}

// Collector computes a report's numbers in one pass over records: Begin
// with each input's format, Add every record, Merge the collectors of
// other goroutines. It is not safe for concurrent use.
type Collector struct {
	parts   []part
	formats []fl.Format
}

type part struct {
	inv  investigations.Investigation
	eval *investigations.Evaluator // nil while no input's format has the fields
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	c := &Collector{}
	for _, inv := range plan() {
		c.parts = append(c.parts, part{inv: inv})
	}
	return c
}

// Begin prepares for records in format f: the investigations f has the
// fields for start counting.
func (c *Collector) Begin(f fl.Format) {
	if slices.Contains(c.formats, f) {
		return
	}
	c.formats = append(c.formats, f)
	for i := range c.parts {
		p := &c.parts[i]
		if p.eval == nil && len(p.inv.Missing(f)) == 0 {
			e, err := p.inv.NewEvaluator(f)
			if err != nil {
				panic("report: " + err.Error()) // a bad plan, caught by the package's tests
			}
			p.eval = e
		}
	}
}

// Add counts one record.
func (c *Collector) Add(r *fl.Record) {
	for i := range c.parts {
		if e := c.parts[i].eval; e != nil {
			e.Add(r)
		}
	}
}

// Merge adds o's counts into c; o must not be used afterwards.
func (c *Collector) Merge(o *Collector) {
	for _, f := range o.formats {
		if !slices.Contains(c.formats, f) {
			c.formats = append(c.formats, f)
		}
	}
	for i := range c.parts {
		p, q := &c.parts[i], &o.parts[i]
		switch {
		case q.eval == nil:
		case p.eval == nil:
			p.eval = q.eval
		default:
			p.eval.Merge(q.eval)
		}
	}
}

// Formats returns the formats of the inputs seen, in order.
func (c *Collector) Formats() []fl.Format { return slices.Clone(c.formats) }

func (c *Collector) find(name string) *part {
	for i := range c.parts {
		if c.parts[i].inv.Name == name {
			return &c.parts[i]
		}
	}
	return nil
}

func (c *Collector) result(name string) (grid, *part, bool) {
	p := c.find(name)
	if p == nil || p.eval == nil {
		return grid{}, p, false
	}
	r := p.eval.Result()
	return grid{cols: r.Columns, rows: r.Rows}, p, true
}
