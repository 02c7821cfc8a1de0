package investigations

import (
	"errors"
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// ErrNotLogged: the flow log's traffic type never delivers a record the
// investigation or counter counts (wrapped by *NotLoggedError).
var ErrNotLogged = errors.New("traffic type never logs what it counts")

// NotLoggedError says that a flow log of TrafficType never delivers a
// record that the investigation or counter Name counts. It wraps
// ErrNotLogged.
type NotLoggedError struct {
	Name        string    // the investigation or counter
	TrafficType string    // the flow log's traffic type: ACCEPT or REJECT
	Actions     ActionSet // the actions of the records it counts
}

func (e *NotLoggedError) Error() string {
	return fmt.Sprintf("investigations: %s counts only %s records, which a flow log of %s traffic never delivers", e.Name, e.Actions, e.TrafficType)
}

// Unwrap returns ErrNotLogged.
func (e *NotLoggedError) Unwrap() error { return ErrNotLogged }

// featured are the investigations worth the cost of a continuous
// rendering: a Contributor Insights rule (billed per rule-month and per
// matched event, https://aws.amazon.com/cloudwatch/pricing/) or a
// dashboard widget (every refresh re-runs its Logs Insights query,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html).
var featured = []string{"top-talkers", "rejected-traffic", "rejected-by-dst-port"}

// Featured returns the names of the investigations that Contributor
// Insights rules and dashboard widgets show by default. The slice is a
// copy.
func Featured() []string { return append([]string(nil), featured...) }

// Dropped is an investigation or counter left out for a flow log, and
// why: the fields its format lacks, or the traffic type that never
// delivers what it counts.
type Dropped struct {
	Name        string          // the investigation or counter
	Missing     []flowlog.Field // the fields the format lacks, in registry order
	TrafficType string          // when not "", the traffic type that never logs Actions
	Actions     ActionSet       // what it counts, when TrafficType is set
}

// String says what was dropped and why, e.g.
// "top-talkers-packet-level (the format lacks pkt-srcaddr)".
func (d Dropped) String() string {
	if len(d.Missing) > 0 {
		names := make([]string, len(d.Missing))
		for i, f := range d.Missing {
			names[i] = f.Name()
		}
		return d.Name + " (the format lacks " + strings.Join(names, ", ") + ")"
	}
	return d.Name + " (counts only " + d.Actions.String() + " records; trafficType is " + d.TrafficType + ")"
}

// drop returns why inv is left out for format f and traffic type tt, or
// false when it is not.
func drop(name string, missingFields []flowlog.Field, actions ActionSet, tt string) (Dropped, bool) {
	if len(missingFields) > 0 {
		return Dropped{Name: name, Missing: missingFields}, true
	}
	if !actions.Logged(tt) {
		return Dropped{Name: name, TrafficType: tt, Actions: actions}, true
	}
	return Dropped{}, false
}

// Available returns the investigations among names (none: the whole
// catalogue) that a flow log of format f and traffic type trafficType
// ("ALL", "ACCEPT", "REJECT"; "" is "ALL") can answer, fitted to f
// ([Investigation.ForFormat]), in the order given, and those it leaves
// out, with why. It fails only for an unknown name.
func Available(f flowlog.Format, trafficType string, names ...string) ([]Investigation, []Dropped, error) {
	cands, err := named(catalogue, names, Lookup, "")
	if err != nil {
		return nil, nil, err
	}
	var out []Investigation
	var dropped []Dropped
	for _, inv := range cands {
		if d, ok := drop(inv.Name, inv.Missing(f), inv.Actions(), trafficType); ok {
			dropped = append(dropped, d)
			continue
		}
		out = append(out, inv.ForFormat(f))
	}
	return out, dropped, nil
}

// SelectFor is [Select] for a flow log of traffic type trafficType: with
// names, an investigation that the traffic type never logs records for
// is an error too (a *NotLoggedError); without, such investigations are
// skipped like those the format cannot answer.
func SelectFor(f flowlog.Format, trafficType string, names ...string) ([]Investigation, error) {
	invs, dropped, err := Available(f, trafficType, names...)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return invs, nil
	}
	var errs []error
	for _, d := range dropped {
		if len(d.Missing) > 0 {
			errs = append(errs, &MissingError{Name: d.Name, Format: f, Fields: d.Missing})
		} else {
			errs = append(errs, &NotLoggedError{Name: d.Name, TrafficType: d.TrafficType, Actions: d.Actions})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return invs, nil
}

// AvailableCounters returns the counters among names (none: every
// counter) that a flow log of format f and traffic type trafficType can
// count, in the order given, and those it leaves out, with why. It fails
// only for an unknown name.
func AvailableCounters(f flowlog.Format, trafficType string, names ...string) ([]Counter, []Dropped, error) {
	cands, err := named(counters, names, LookupCounter, "counter ")
	if err != nil {
		return nil, nil, err
	}
	var out []Counter
	var dropped []Dropped
	for _, c := range cands {
		if d, ok := drop(c.Name, c.Missing(f), c.Actions(), trafficType); ok {
			dropped = append(dropped, d)
			continue
		}
		out = append(out, c)
	}
	return out, dropped, nil
}

// named returns all when names is empty, else the entries lookup finds for
// names, in the order given; it fails naming every unknown name (kind, e.g.
// "counter ", goes before it in the message).
func named[T any](all []T, names []string, lookup func(string) (T, bool), kind string) ([]T, error) {
	if len(names) == 0 {
		return all, nil
	}
	out := make([]T, 0, len(names))
	var errs []error
	for _, n := range names {
		v, ok := lookup(n)
		if !ok {
			errs = append(errs, fmt.Errorf("investigations: %w %s%q", ErrUnknown, kind, n))
			continue
		}
		out = append(out, v)
	}
	return out, errors.Join(errs...)
}
