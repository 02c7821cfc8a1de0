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

// perResourceLimit is the app's limit from MaxFlowLogsPerResourceContextKey; 0 for none.
func perResourceLimit(scope constructs.Construct) (float64, error) {
	limit := float64(MaxFlowLogsPerResource)
	switch v := scope.Node().TryGetContext(jsii.String(MaxFlowLogsPerResourceContextKey)).(type) {
	case float64:
		limit = v
	case string: // from cdk synth -c
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("flowlogs: context %s=%q is not a number", MaxFlowLogsPerResourceContextKey, v)
		}
		limit = n
	}
	return limit, nil
}

func resourceName(r *Resource) string {
	if awscdk.Token_IsUnresolved(r.Id()) != nil && *awscdk.Token_IsUnresolved(r.Id()) {
		return "(the same " + r.Type() + " object)"
	}
	return *r.Id()
}

func checkPerResourceLimit(scope constructs.Construct, r *Resource, n int) error {
	if r.IsTransitGateway() {
		return nil
	}
	limit, err := perResourceLimit(scope)
	if err != nil || limit <= 0 {
		return err
	}
	had := flowLogsOn(scope, r)
	if float64(had+n) > limit {
		already := ""
		if had > 0 {
			already = fmt.Sprintf(", which already has %d in this app", had)
		}
		return fmt.Errorf("flowlogs: Destinations has %d flow log(s) for %s %s%s; context %s allows at most %v flow logs per VPC, subnet or network interface; "+
			"log the others on a subnet or network interface, or raise the limit",
			n, r.Type(), resourceName(r), already, MaxFlowLogsPerResourceContextKey, limit)
	}
	return nil
}

// limitValidation counts the resource's flow logs again when the app synthesizes, so that flow
// logs added after NewFlowLogs (vpc.AddFlowLog, another construct) count too.
type limitValidation struct {
	scope constructs.Construct
	r     *Resource
	limit float64
}

func (v *limitValidation) Validate() *[]*string {
	out := []*string{}
	if n := flowLogsOn(v.scope, v.r); float64(n) > v.limit {
		out = append(out, jsii.String(fmt.Sprintf("flowlogs: %s %s has %d flow logs in this app (counting those added after NewFlowLogs, e.g. by vpc.AddFlowLog); "+
			"context %s allows at most %v flow logs per VPC, subnet or network interface; log the others on a subnet or network interface, or raise the limit",
			v.r.Type(), resourceName(v.r), n, MaxFlowLogsPerResourceContextKey, v.limit)))
	}
	return &out
}

// addLimitValidation has scope check the limit at synth, when the app sets one.
func addLimitValidation(scope constructs.Construct, r *Resource) {
	if r.IsTransitGateway() {
		return
	}
	if limit, err := perResourceLimit(scope); err == nil && limit > 0 {
		scope.Node().AddValidation(&limitValidation{scope: scope, r: r, limit: limit})
	}
}
