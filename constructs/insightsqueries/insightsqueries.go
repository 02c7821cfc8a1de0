// Package insightsqueries saves the catalogue's investigations as CloudWatch Logs Insights
// queries (AWS::Logs::QueryDefinition) scoped to the flow-log group, so they are one click away
// in the console's "Saved queries", in a folder of their own. Each query is rendered from the
// flow log's format by package investigations: the default format uses the fields Logs Insights
// discovers, any other format a generated parse clause.
package insightsqueries

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/leftout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/names"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// InsightsQueriesProps configures InsightsQueries.
type InsightsQueriesProps struct {
	// The log group the flow logs are delivered to; every query is scoped to it. Required.
	LogGroup awslogs.ILogGroup

	// The flow logs' record format.
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	Format *flowlog.Format

	// The catalogue investigations to save, by name. Naming one the format cannot answer, one
	// that counts only records TrafficType never delivers, or one that takes parameters, panics.
	//
	// Default: - every catalogue investigation without parameters the format and traffic type
	// can answer; an info annotation names the others and why.
	Investigations []string

	// The flow log's traffic type: ALL, ACCEPT or REJECT. An investigation that counts only
	// records of another action (accepted-tcp-traffic on a REJECT flow log, say) would always be
	// empty, so it is not saved.
	//
	// Default: - "ALL".
	TrafficType *string

	// The folder of the saved queries: the part of each query's name before the last "/"
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-querydefinition.html).
	//
	// Default: - DefaultFolder ("vpc-flow-logs").
	Folder *string
}

// InsightsQueries is the saved Logs Insights queries of a flow-log group.
type InsightsQueries interface {
	constructs.Construct
	// QueryDefinitions are the saved queries, in Investigations' order (child IDs are the
	// investigations' names in PascalCase).
	QueryDefinitions() []awslogs.CfnQueryDefinition
	// Investigations are the saved investigations.
	Investigations() []investigations.Investigation
	// QueryString returns the saved query of an investigation, by name.
	QueryString(name string) (string, bool)
	// Dropped are the catalogue investigations left out for the format or traffic type, with
	// why (none when Investigations were named).
	Dropped() []investigations.Dropped
}

type insightsQueries struct {
	constructs.Construct
	defs    []awslogs.CfnQueryDefinition
	invs    []investigations.Investigation
	dropped []investigations.Dropped
	queries map[string]string
}

func (q *insightsQueries) QueryDefinitions() []awslogs.CfnQueryDefinition {
	return slices.Clone(q.defs)
}
func (q *insightsQueries) Investigations() []investigations.Investigation {
	return slices.Clone(q.invs)
}
func (q *insightsQueries) Dropped() []investigations.Dropped { return slices.Clone(q.dropped) }
func (q *insightsQueries) QueryString(name string) (string, bool) {
	s, ok := q.queries[name]
	return s, ok
}

// DefaultFolder is the saved queries' folder.
const DefaultFolder = "vpc-flow-logs"

// maxQueryLength is the longest QueryString CloudWatch Logs accepts
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html).
const maxQueryLength = 10000

// NewInsightsQueries saves the queries. It panics with a message naming the prop when a prop is
// invalid, and when an investigation asked for by name needs fields the format lacks.
func NewInsightsQueries(scope constructs.Construct, id *string, props *InsightsQueriesProps) InsightsQueries {
	var p InsightsQueriesProps
	if props != nil {
		p = *props
	}
	if p.LogGroup == nil {
		panic("insightsqueries: LogGroup is nil; give the log group the flow logs are delivered to")
	}
	format := flowlog.DefaultFormat()
	if p.Format != nil {
		format = *p.Format
	}
	folder := DefaultFolder
	if p.Folder != nil {
		folder = strings.Trim(*p.Folder, "/")
	}
	if folder == "" || len(folder) > 200 {
		panic(fmt.Sprintf("insightsqueries: Folder %q is not allowed; use 1 to 200 characters", folder))
	}
	traffic := leftout.TrafficType("insightsqueries", p.TrafficType)
	invs, dropped, err := leftout.Choose(format, traffic, p.Investigations, nil)
	if err != nil {
		panic(fmt.Sprintf("insightsqueries: Investigations: %v", err))
	}
	// Saved Logs Insights queries have no parameters: those that need a value (an address, say)
	// are Athena-only unless asked for by name, which is an error.
	invs = slices.DeleteFunc(invs, func(inv investigations.Investigation) bool {
		if len(inv.Params()) == 0 {
			return false
		}
		if len(p.Investigations) > 0 {
			panic(fmt.Sprintf("insightsqueries: Investigations: %s takes parameters, which saved Logs Insights queries cannot; run it in Athena", inv.Name))
		}
		return true
	})

	this := &insightsQueries{invs: invs, dropped: dropped, queries: map[string]string{}}
	constructs.NewConstruct_Override(this, scope, id)
	leftout.Note(this, "saved Logs Insights queries", dropped)
	for _, inv := range invs {
		query, err := inv.InsightsQuery(format)
		if err != nil {
			panic(fmt.Sprintf("insightsqueries: investigation %s: %v", inv.Name, err))
		}
		if len(query) > maxQueryLength {
			panic(fmt.Sprintf("insightsqueries: investigation %s: the query has %d characters; CloudWatch Logs accepts %d", inv.Name, len(query), maxQueryLength))
		}
		this.queries[inv.Name] = query
		def := awslogs.NewCfnQueryDefinition(this, jsii.String(names.PascalCase(inv.Name)), &awslogs.CfnQueryDefinitionProps{
			Name:          jsii.String(folder + "/" + inv.Name),
			QueryString:   jsii.String(query),
			LogGroupNames: &[]any{p.LogGroup.LogGroupName()},
			QueryLanguage: jsii.String("CWLI"),
		})
		this.defs = append(this.defs, def)
	}
	return this
}
