// Package contributorinsights turns the catalogue's top-N investigations into CloudWatch
// Contributor Insights rules (AWS::CloudWatch::InsightRule) over the flow-log group: who talks
// most, who is rejected most, which ports are rejected most, continuously, as time series. The
// rule bodies, with the CLF positions of the flow log's format, come from package investigations.
package contributorinsights

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/leftout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/names"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// ContributorInsightsProps configures ContributorInsights.
type ContributorInsightsProps struct {
	// The log group the flow logs are delivered to. Required.
	LogGroup awslogs.ILogGroup

	// The flow logs' record format; the rules' field positions follow it.
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	Format *flowlog.Format

	// The catalogue investigations to make rules of, by name. Naming one the format cannot
	// answer, one that counts only records TrafficType never delivers, or one whose shape does
	// not fit a rule (at most 4 keys and 4 filters, no parameters), panics.
	//
	// Default: - investigations.Featured(), those of them the format and traffic type can
	// answer; an info annotation names the others and why.
	Investigations []string

	// The flow log's traffic type: ALL, ACCEPT or REJECT. A rule over records of another action
	// (rejected-traffic on an ACCEPT flow log, say) would match nothing and still cost a
	// rule-month, so it is not made.
	//
	// Default: - "ALL".
	TrafficType *string

	// ENABLED or DISABLED. A disabled rule costs nothing and collects nothing.
	//
	// Default: - "ENABLED".
	RuleState *string

	// The start of every rule's name, unique in the account and Region; the investigation's
	// name follows it.
	//
	// Default: - "vpc-flow-logs-".
	RuleNamePrefix *string
}

// ContributorInsights is the Contributor Insights rules of a flow-log group.
type ContributorInsights interface {
	constructs.Construct
	// Rules are the rules, in Investigations' order (child IDs are the investigations' names in
	// PascalCase).
	Rules() []awscloudwatch.CfnInsightRule
	// RuleNames are the rules' names, in the same order.
	RuleNames() []string
	// Investigations are the investigations the rules answer.
	Investigations() []investigations.Investigation
	// Dropped are the default investigations left out for the format or traffic type, with
	// why (none when Investigations were named).
	Dropped() []investigations.Dropped
}

type contributorInsights struct {
	constructs.Construct
	rules     []awscloudwatch.CfnInsightRule
	ruleNames []string
	invs      []investigations.Investigation
	dropped   []investigations.Dropped
}

func (c *contributorInsights) Rules() []awscloudwatch.CfnInsightRule { return slices.Clone(c.rules) }
func (c *contributorInsights) RuleNames() []string                   { return slices.Clone(c.ruleNames) }
func (c *contributorInsights) Investigations() []investigations.Investigation {
	return slices.Clone(c.invs)
}
func (c *contributorInsights) Dropped() []investigations.Dropped { return slices.Clone(c.dropped) }

// RuleStates are the states a rule can have.
var RuleStates = []string{"ENABLED", "DISABLED"}

// ValidateRuleState checks a rule state; setting names the setting in the message.
func ValidateRuleState(setting, v string) error {
	if slices.Contains(RuleStates, v) {
		return nil
	}
	return fmt.Errorf("%s %q is not allowed; use ENABLED or DISABLED", setting, v)
}

// DefaultRuleNamePrefix starts every rule's name.
const DefaultRuleNamePrefix = "vpc-flow-logs-"

// NewContributorInsights creates the rules. It panics with a message naming the prop when a prop
// is invalid or an investigation asked for by name does not fit.
func NewContributorInsights(scope constructs.Construct, id *string, props *ContributorInsightsProps) ContributorInsights {
	var p ContributorInsightsProps
	if props != nil {
		p = *props
	}
	if p.LogGroup == nil {
		panic("contributorinsights: LogGroup is nil; give the log group the flow logs are delivered to")
	}
	format := flowlog.DefaultFormat()
	if p.Format != nil {
		format = *p.Format
	}
	state := "ENABLED"
	if p.RuleState != nil {
		state = *p.RuleState
	}
	if err := ValidateRuleState("contributorinsights: RuleState", state); err != nil {
		panic(err.Error())
	}
	prefix := DefaultRuleNamePrefix
	if p.RuleNamePrefix != nil {
		prefix = *p.RuleNamePrefix
	}
	explicit := len(p.Investigations) > 0
	traffic := leftout.TrafficType("contributorinsights", p.TrafficType)
	invs, dropped, err := Select(format, traffic, p.Investigations...)
	if err != nil {
		panic(fmt.Sprintf("contributorinsights: Investigations: %v", err))
	}

	this := &contributorInsights{dropped: dropped}
	constructs.NewConstruct_Override(this, scope, id)
	leftout.Note(this, "Contributor Insights rules", dropped)
	for _, inv := range invs {
		body, ok, err := inv.ContributorRule(format, *p.LogGroup.LogGroupName())
		if err != nil {
			panic(fmt.Sprintf("contributorinsights: investigation %s: %v", inv.Name, err))
		}
		if !ok {
			if explicit {
				panic(fmt.Sprintf("contributorinsights: Investigations: %s does not fit a Contributor Insights rule (at most 4 keys and 4 filters, no parameters)", inv.Name))
			}
			continue
		}
		name := prefix + inv.Name
		if len(name) > 128 {
			panic(fmt.Sprintf("contributorinsights: RuleNamePrefix %q makes the rule name %q longer than 128 characters", prefix, name))
		}
		rule := awscloudwatch.NewCfnInsightRule(this, jsii.String(names.PascalCase(inv.Name)), &awscloudwatch.CfnInsightRuleProps{
			RuleName:  jsii.String(name),
			RuleState: jsii.String(state),
			RuleBody:  jsii.String(body),
		})
		this.rules = append(this.rules, rule)
		this.ruleNames = append(this.ruleNames, name)
		this.invs = append(this.invs, inv)
	}
	return this
}

// Select returns the investigations to make rules of for a flow log of the format and traffic
// type: names as investigations.SelectFor does, or, with none, those of
// investigations.Featured() the format and traffic type can answer, with the others and why.
func Select(format flowlog.Format, trafficType string, names ...string) ([]investigations.Investigation, []investigations.Dropped, error) {
	return leftout.Choose(format, trafficType, names, investigations.Featured())
}
