// Package leftout tells whoever runs cdk synth which catalogue investigations or counters an
// analytics construct left out for the flow log's format or traffic type, and why, so that
// nothing is dropped silently.
package leftout

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// Note adds an info annotation to scope naming each dropped investigation or counter with its
// reason, e.g. "2 investigations left out of the named queries: top-talkers-packet-level (the
// format lacks pkt-srcaddr); accepted-tcp-traffic (counts only ACCEPT records; trafficType is
// REJECT)". An info, not a warning: leaving out what a flow log cannot answer is the documented
// default, and warnings stop synth in strict mode (cdk.json). Nothing is added when nothing was
// dropped.
func Note(scope constructs.IConstruct, what string, dropped []investigations.Dropped) {
	if len(dropped) == 0 {
		return
	}
	reasons := make([]string, len(dropped))
	for i, d := range dropped {
		reasons[i] = d.String()
	}
	awscdk.Annotations_Of(scope).AddInfo(jsii.String(fmt.Sprintf("%d left out of the %s: %s",
		len(dropped), what, strings.Join(reasons, "; "))))
}

// TrafficType returns the traffic type a prop gives, "ALL" when nil or empty, and panics with a message
// naming the prop (pkg: the package's name) when it is not ALL, ACCEPT or REJECT.
func TrafficType(pkg string, v *string) string {
	if v == nil || *v == "" {
		return "ALL"
	}
	if err := flowlogs.ValidateTrafficType(pkg+": TrafficType", *v); err != nil {
		panic(err.Error())
	}
	return *v
}

// Choose returns the investigations a construct renders: exactly names when given (an error
// names those the format or traffic type cannot answer), else those of defaults (nil: the whole
// catalogue) that they can, with the dropped ones and why.
func Choose(format flowlog.Format, trafficType string, names, defaults []string) ([]investigations.Investigation, []investigations.Dropped, error) {
	if len(names) > 0 {
		invs, err := investigations.SelectFor(format, trafficType, names...)
		return invs, nil, err
	}
	return investigations.Available(format, trafficType, defaults...)
}
