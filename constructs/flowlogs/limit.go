package flowlogs

import (
	"fmt"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MaxFlowLogsPerResource is AWS's quota of flow logs per network interface, subnet or VPC: 2,
// "This limit cannot be increased. You can effectively have 6 flow logs per network interface if
// you create 2 flow logs for the subnet, and 2 flow logs for the VPC in which your network
// interface resides" (Amazon VPC quotas, Flow logs:
// https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-flow-logs,
// archived in github.com/awsdocs/amazon-vpc-user-guide doc_source/amazon-vpc-limits.md). The
// current quotas page no longer lists it; if your account allows more, raise the limit for your
// app with the context key MaxFlowLogsPerResourceContextKey. Transit gateway resources have no
// such quota listed and are not counted.
const MaxFlowLogsPerResource = 2

// MaxFlowLogsPerResourceContextKey overrides MaxFlowLogsPerResource for an app (a number).
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
		return fmt.Errorf("flowlogs: Destinations has %d flow log(s) for %s %s%s; AWS allows at most %v flow logs per VPC, subnet or network interface "+
			"(https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-flow-logs); log the others on a subnet or network interface, or raise the limit with context %s",
			n, r.Type(), name, already, limit, MaxFlowLogsPerResourceContextKey)
	}
	return nil
}
