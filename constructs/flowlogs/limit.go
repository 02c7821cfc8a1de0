package flowlogs

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MaxFlowLogsPerResource is the default limit on flow logs per VPC, subnet or network interface
// that synth checks: 0, no limit, because AWS documents none. The Amazon VPC quotas page listed
// "Flow logs per single network interface, single subnet, or single VPC in a Region: 2, not
// adjustable" until mid-2019: github.com/awsdocs/amazon-vpc-user-guide,
// doc_source/amazon-vpc-limits.md, lost the row in commit 0abeb95 of 2019-06-27 (the row is in
// its parent; the versions of 2020-08-07, commit 1e1eda5, and 2021-09-13, commit ef4a904, do not
// have it), and neither the current quotas page
// (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html) nor the Amazon VPC
// service quotas of the General Reference (https://docs.aws.amazon.com/general/latest/gr/vpc-service.html)
// list a flow-log quota. Failing synth on a limit AWS no longer states would reject deployable
// apps, so the check runs only when an app sets one with the context key
// MaxFlowLogsPerResourceContextKey (e.g. an organization's own rule). Transit gateway resources
// are never counted.
const MaxFlowLogsPerResource = 0

// MaxFlowLogsPerResourceContextKey sets a limit on flow logs per VPC, subnet or network
// interface for an app (a positive number; 0 or absent: no limit).
const MaxFlowLogsPerResourceContextKey = "@vpc-flow-logs/flowlogs:maxFlowLogsPerResource"

// flowLogsOn counts the AWS::EC2::FlowLog resources already in the app on the same resource (the
// same type and ID, or ID token), whichever construct or stack made them.
func flowLogsOn(scope constructs.Construct, r *Resource) int {
	n := 0
	for _, c := range *scope.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if fl, ok := c.(awsec2.CfnFlowLog); ok && fl != nil && fl.ResourceType() != nil && fl.ResourceId() != nil &&
			*fl.ResourceType() == r.Type() && *fl.ResourceId() == *r.Id() {
			n++
		}
	}
	return n
}

func checkPerResourceLimit(scope constructs.Construct, r *Resource, n int) error {
	if r.IsTransitGateway() {
		return nil
	}
	limit := float64(MaxFlowLogsPerResource)
	switch v := scope.Node().TryGetContext(jsii.String(MaxFlowLogsPerResourceContextKey)).(type) {
	case float64:
		limit = v
	case string: // from cdk synth -c
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("flowlogs: context %s=%q is not a number", MaxFlowLogsPerResourceContextKey, v)
		}
		limit = n
	}
	if limit <= 0 {
		return nil
	}
	had := flowLogsOn(scope, r)
	if float64(had+n) > limit {
		name := *r.Id()
		if awscdk.Token_IsUnresolved(r.Id()) != nil && *awscdk.Token_IsUnresolved(r.Id()) {
			name = "(the same " + r.Type() + " object)"
		}
		already := ""
		if had > 0 {
			already = fmt.Sprintf(", which already has %d in this app", had)
		}
		return fmt.Errorf("flowlogs: Destinations has %d flow log(s) for %s %s%s; context %s allows at most %v flow logs per VPC, subnet or network interface; "+
			"log the others on a subnet or network interface, or raise the limit",
			n, r.Type(), name, already, MaxFlowLogsPerResourceContextKey, limit)
	}
	return nil
}
