package investigations

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Contributor Insights limits
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutInsightRule.html).
const (
	MaxContributorKeys    = 4    // keys per rule
	MaxContributorFilters = 4    // filters per rule
	MaxContributorValues  = 10   // values of an In/NotIn/StartsWith filter
	MaxRuleBodyLen        = 8192 // characters of a rule definition
)

// errShape says why an investigation does not fit a Contributor Insights
// rule; ContributorRule reports it as ok=false, not as an error.
var errShape = errors.New("shape does not fit Contributor Insights")

type ciRule struct {
	Schema        ciSchema          `json:"Schema"`
	LogGroupNames []string          `json:"LogGroupNames"`
	LogFormat     string            `json:"LogFormat"`
	Fields        map[string]string `json:"Fields"`
	Contribution  ciContribution    `json:"Contribution"`
	AggregateOn   string            `json:"AggregateOn"`
}

type ciSchema struct {
	Name    string `json:"Name"`
	Version int    `json:"Version"`
}

type ciContribution struct {
	Keys    []string   `json:"Keys"`
	ValueOf string     `json:"ValueOf,omitempty"`
	Filters []ciFilter `json:"Filters,omitempty"`
}

type ciFilter struct {
	Match      string   `json:"Match"`
	In         []string `json:"In,omitempty"`
	NotIn      []string `json:"NotIn,omitempty"`
	EqualTo    *uint64  `json:"EqualTo,omitempty"`
	NotEqualTo *uint64  `json:"NotEqualTo,omitempty"`
	GreaterTh  *uint64  `json:"GreaterThan,omitempty"`
	LessThan   *uint64  `json:"LessThan,omitempty"`
}

// ContributorRule renders inv as the body of a Contributor Insights rule
// over flow-log events in format f, in the log groups named (CLF: the
// fields are positions in the event counted from 1, computed from f;
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html).
//
// ok is false, with a nil error, when the investigation's shape does not
// fit a rule: more than 4 keys, keys that are not plain fields (hour,
// family), no OrderBy measure, a parameter, or a filter that is not an
// AND of at most 4 conditions Contributor Insights can express. The rule
// aggregates OrderBy: Count for records, Sum with ValueOf for packets or
// bytes. err is non-nil when f lacks a field or the definition is invalid.
func (inv Investigation) ContributorRule(f flowlog.Format, logGroupNames ...string) (ruleBody string, ok bool, err error) {
	inv, err = inv.check(f)
	if err != nil {
		return "", false, err
	}
	body, err := inv.contributorRule(f, logGroupNames)
	if errors.Is(err, errShape) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return body, true, nil
}

// ContributorFit says why inv does not fit a Contributor Insights rule
// for f, or returns nil if it does.
func (inv Investigation) ContributorFit(f flowlog.Format) error {
	inv, err := inv.check(f)
	if err != nil {
		return err
	}
	_, err = inv.contributorRule(f, []string{"x"})
	return err
}

func (inv Investigation) contributorRule(f flowlog.Format, groups []string) (string, error) {
	if inv.OrderBy == 0 {
		return "", fmt.Errorf("%w: not ordered by a measure", errShape)
	}
	if len(inv.GroupBy) == 0 || len(inv.GroupBy) > MaxContributorKeys {
		return "", fmt.Errorf("%w: %d keys (1..%d)", errShape, len(inv.GroupBy), MaxContributorKeys)
	}
	if len(inv.Params()) > 0 {
		return "", fmt.Errorf("%w: has parameters", errShape)
	}
	fields := map[string]string{}
	use := func(fld flowlog.Field) string {
		alias := fld.Name()
		fields[strconv.Itoa(f.Index(fld)+1)] = alias
		return alias
	}
	r := ciRule{
		Schema:        ciSchema{Name: "CloudWatchLogRule", Version: 1},
		LogGroupNames: append([]string{}, groups...),
		LogFormat:     "CLF",
		Fields:        fields,
		AggregateOn:   "Count",
	}
	for _, k := range inv.GroupBy {
		if k.Kind != ByValue && k.Kind != ByLabel { // a labelled key is the field's value in the rule
			return "", fmt.Errorf("%w: key %s is derived", errShape, k.Column())
		}
		r.Contribution.Keys = append(r.Contribution.Keys, use(k.Field))
	}
	if fld := inv.OrderBy.Field(); fld.Valid() {
		r.AggregateOn = "Sum"
		r.Contribution.ValueOf = use(fld)
	}
	var leaves []Cond
	switch inv.Where.op {
	case opTrue:
	case opAnd:
		leaves = inv.Where.kids
	default:
		leaves = []Cond{inv.Where}
	}
	for _, c := range leaves {
		flt, err := ciFilterOf(c, use)
		if err != nil {
			return "", err
		}
		r.Contribution.Filters = append(r.Contribution.Filters, flt...)
	}
	if len(r.Contribution.Filters) > MaxContributorFilters {
		return "", fmt.Errorf("%w: %d filters (at most %d)", errShape, len(r.Contribution.Filters), MaxContributorFilters)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	if len(b) > MaxRuleBodyLen {
		return "", fmt.Errorf("%w: rule body of %d characters (at most %d)", errShape, len(b), MaxRuleBodyLen)
	}
	return string(b), nil
}

func ciFilterOf(c Cond, use func(flowlog.Field) string) ([]ciFilter, error) {
	neg := false
	if c.op == opNot {
		neg, c = true, c.kids[0]
	}
	switch c.op {
	case opPresent:
		// An absent value is "-" in the event text.
		if neg {
			return []ciFilter{{Match: use(c.field), In: []string{"-"}}}, nil
		}
		return []ciFilter{{Match: use(c.field), NotIn: []string{"-"}}}, nil
	case opIn:
		vals := c.texts()
		if numeric(c.field) && len(vals) == 1 {
			n := c.nums[0]
			if neg {
				return []ciFilter{{Match: use(c.field), NotEqualTo: &n}}, nil
			}
			return []ciFilter{{Match: use(c.field), EqualTo: &n}}, nil
		}
		if len(vals) > MaxContributorValues {
			return nil, fmt.Errorf("%w: %d values for %s", errShape, len(vals), c.field.Name())
		}
		if neg {
			return []ciFilter{{Match: use(c.field), NotIn: vals}}, nil
		}
		return []ciFilter{{Match: use(c.field), In: vals}}, nil
	case opCmp:
		n := c.nums[0]
		if neg {
			n, c.cmp = negate(n, c.cmp)
		}
		switch c.cmp {
		case Eq:
			return []ciFilter{{Match: use(c.field), EqualTo: &n}}, nil
		case Ne:
			return []ciFilter{{Match: use(c.field), NotEqualTo: &n}}, nil
		case Gt:
			return []ciFilter{{Match: use(c.field), GreaterTh: &n}}, nil
		case Lt:
			return []ciFilter{{Match: use(c.field), LessThan: &n}}, nil
		case Ge:
			if n == 0 {
				return []ciFilter{{Match: use(c.field), NotIn: []string{"-"}}}, nil
			}
			m := n - 1
			return []ciFilter{{Match: use(c.field), GreaterTh: &m}}, nil
		case Le:
			m := n + 1
			return []ciFilter{{Match: use(c.field), LessThan: &m}}, nil
		}
	}
	return nil, fmt.Errorf("%w: condition %s", errShape, c.String())
}

// negate returns the comparison that is true when (x op n) is false.
func negate(n uint64, op CmpOp) (uint64, CmpOp) {
	switch op {
	case Eq:
		return n, Ne
	case Ne:
		return n, Eq
	case Lt:
		return n, Ge
	case Le:
		return n, Gt
	case Gt:
		return n, Le
	case Ge:
		return n, Lt
	}
	return n, op
}
