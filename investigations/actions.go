package investigations

import (
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// ActionSet is a set of the action values a record can have: ACCEPT,
// REJECT, or none (NODATA and SKIPDATA records have "-").
type ActionSet uint8

// Action values.
const (
	ActionAccept ActionSet = 1 << iota // action ACCEPT
	ActionReject                       // action REJECT
	ActionNone                         // no action: NODATA and SKIPDATA records
	AnyAction    = ActionAccept | ActionReject | ActionNone
)

// String lists the set's members, e.g. "ACCEPT" or "ACCEPT,REJECT,-".
func (s ActionSet) String() string {
	var out []string
	for _, a := range []struct {
		bit  ActionSet
		name string
	}{{ActionAccept, "ACCEPT"}, {ActionReject, "REJECT"}, {ActionNone, "-"}} {
		if s&a.bit != 0 {
			out = append(out, a.name)
		}
	}
	return strings.Join(out, ",")
}

// Logged reports whether a flow log of the traffic type ("ACCEPT",
// "REJECT" or "ALL", the flow log's TrafficType,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html)
// can deliver records of the set: "" and "ALL" deliver every record;
// ACCEPT and REJECT only records with that action, and the records
// without one (NODATA, SKIPDATA), which are not traffic.
func (s ActionSet) Logged(trafficType string) bool {
	switch trafficType {
	case "ACCEPT":
		return s&(ActionAccept|ActionNone) != 0
	case "REJECT":
		return s&(ActionReject|ActionNone) != 0
	}
	return s != 0
}

// Actions returns the action values of the records c can match: every
// value unless c requires one. It errs on the side of matching: a
// condition it cannot see through (a NOT of several fields, say) can
// match any action.
func (c Cond) Actions() ActionSet {
	var s ActionSet
	for _, a := range []ActionSet{ActionAccept, ActionReject, ActionNone} {
		if c.mayMatch(a) {
			s |= a
		}
	}
	return s
}

// mayMatch reports whether c can be true for a record whose action is a,
// in SQL's three-valued logic (a comparison with an absent action is not
// true, and NOT of it is not true either).
func (c Cond) mayMatch(a ActionSet) bool {
	switch c.op {
	case opAnd:
		for _, k := range c.kids {
			if !k.mayMatch(a) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range c.kids {
			if k.mayMatch(a) {
				return true
			}
		}
		return false
	case opNot:
		k := c.kids[0]
		if k.field != flowlog.Action {
			return true
		}
		switch k.op {
		case opPresent:
			return a == ActionNone
		case opIn:
			return a != ActionNone && !slices.Contains(k.strs, a.String())
		}
		return true
	}
	if c.field != flowlog.Action || c.op == opTrue {
		return true
	}
	switch c.op {
	case opPresent, opParam:
		return a != ActionNone
	case opIn:
		return a != ActionNone && slices.Contains(c.strs, a.String())
	}
	return true
}

// Actions returns the action values of the records the investigation
// can count (from Where): e.g. only ACCEPT for accepted-tcp-traffic, so
// a flow log of REJECT traffic has nothing for it.
func (inv Investigation) Actions() ActionSet { return inv.Where.Actions() }

// Actions returns the action values of the events the counter can count.
func (c Counter) Actions() ActionSet { return c.Where.Actions() }
