package flowlogs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
)

// checkRoleNameFree fails when a role of this app that may land in the same account as scope's
// stack already has the name: IAM role names are unique per account, across Regions
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so the second stack
// would fail to deploy. Stacks whose accounts are both known and differ do not clash. prop names
// what set the name, for the message.
func checkRoleNameFree(scope constructs.Construct, name, prop string) error {
	account := accountOf(awscdk.Stack_Of(scope))
	for _, c := range *scope.Node().Root().Node().FindAll(constructs.ConstructOrder_PREORDER) {
		role, ok := c.(awsiam.CfnRole)
		if !ok || role == nil || !resolved(role.RoleName()) || *role.RoleName() != name {
			continue
		}
		other := accountOf(awscdk.Stack_Of(role))
		if account != "" && other != "" && account != other {
			continue
		}
		return fmt.Errorf("flowlogs: %s %q is already the name of role %s in this app; IAM role names are unique per account (in every Region), "+
			"so give each its own name", prop, name, *role.Node().Path())
	}
	return nil
}

func accountOf(stack awscdk.Stack) string {
	if resolved(stack.Account()) {
		return *stack.Account()
	}
	return ""
}
