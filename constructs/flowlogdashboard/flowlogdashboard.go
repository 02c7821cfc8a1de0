// Package flowlogdashboard is one CloudWatch dashboard for a VPC's flow logs: traffic and rejects
// over time (the flowlogalarms metric filters), the alarms' states, the Contributor Insights
// rules' top-contributor graphs, and Logs Insights widgets for the top investigations.
//
// Every dashboard refresh re-runs its Logs Insights widgets' queries, which are billed per GB
// scanned (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html), so the
// widgets are few and the default time range is three hours.
package flowlogdashboard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/contributorinsights"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/leftout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// FlowLogDashboardProps configures FlowLogDashboard. Each part is optional; the dashboard shows
// what it is given.
type FlowLogDashboardProps struct {
	// The dashboard's name, unique in the account.
	//
	// Default: - "vpc-flow-logs".
	DashboardName *string

	// The flow-log group, for the Logs Insights widgets.
	//
	// Default: - no Logs Insights widgets.
	LogGroup awslogs.ILogGroup

	// The flow logs' record format, for the Logs Insights widgets' queries.
	//
	// Default: - flowlog.DefaultFormat().
	Format *flowlog.Format

	// The investigations shown as Logs Insights widgets, by name. Naming one the format cannot
	// answer panics with the fields it lacks; naming one that counts only records TrafficType
	// never delivers panics too.
	//
	// Default: - those of investigations.Featured() the format and traffic type can answer; an
	// info annotation names the others and why.
	Investigations []string

	// The flow log's traffic type: ALL, ACCEPT or REJECT. A widget over records of another
	// action (rejected-traffic on an ACCEPT flow log, say) would always be empty and still cost
	// a query at every refresh, so it is not shown.
	//
	// Default: - "ALL".
	TrafficType *string

	// The metric filters and alarms to graph.
	//
	// Default: - no metric graphs, no alarm states.
	Alarms flowlogalarms.FlowLogAlarms

	// The Contributor Insights rules to graph.
	//
	// Default: - no Contributor Insights graphs.
	ContributorInsights contributorinsights.ContributorInsights
}

// FlowLogDashboard is the flow logs' dashboard.
type FlowLogDashboard interface {
	constructs.Construct
	// Dashboard is the dashboard (child ID "Dashboard").
	Dashboard() awscloudwatch.Dashboard
	// Dropped are the default Logs Insights widgets left out for the format or traffic type,
	// with why (none when Investigations were named).
	Dropped() []investigations.Dropped
}

type flowLogDashboard struct {
	constructs.Construct
	dashboard awscloudwatch.Dashboard
	dropped   []investigations.Dropped
}

func (d *flowLogDashboard) Dashboard() awscloudwatch.Dashboard { return d.dashboard }
func (d *flowLogDashboard) Dropped() []investigations.Dropped  { return slices.Clone(d.dropped) }

// DefaultDashboardName is the dashboard's name.
const DefaultDashboardName = "vpc-flow-logs"

// period of the metric graphs.
var period = awscdk.Duration_Minutes(jsii.Number(5))

// NewFlowLogDashboard creates the dashboard.
func NewFlowLogDashboard(scope constructs.Construct, id *string, props *FlowLogDashboardProps) FlowLogDashboard {
	var p FlowLogDashboardProps
	if props != nil {
		p = *props
	}
	format := flowlog.DefaultFormat()
	if p.Format != nil {
		format = *p.Format
	}
	name := DefaultDashboardName
	if p.DashboardName != nil {
		name = *p.DashboardName
	}
	traffic := leftout.TrafficType("flowlogdashboard", p.TrafficType)
	var invs []investigations.Investigation
	var dropped []investigations.Dropped
	if p.LogGroup != nil {
		invs, dropped = selectWidgets(format, traffic, p.Investigations)
	}

	this := &flowLogDashboard{dropped: dropped}
	constructs.NewConstruct_Override(this, scope, id)
	leftout.Note(this, "dashboard's Logs Insights widgets", dropped)
	var rows [][]awscloudwatch.IWidget
	text := func(md string) []awscloudwatch.IWidget {
		return []awscloudwatch.IWidget{awscloudwatch.NewTextWidget(&awscloudwatch.TextWidgetProps{
			Markdown: jsii.String(md), Width: jsii.Number(24), Height: jsii.Number(1)})}
	}
	rows = append(rows, text("# VPC flow logs"))

	if p.Alarms != nil {
		var counts, volumes []awscloudwatch.IMetric
		for _, c := range p.Alarms.Counters() {
			m, _ := p.Alarms.Metric(c.Name, period)
			m = m.With(&awscloudwatch.MetricOptions{Label: jsii.String(c.Title)})
			if strings.HasPrefix(c.MetricValue(), "$") {
				volumes = append(volumes, m)
			} else {
				counts = append(counts, m)
			}
		}
		var row []awscloudwatch.IWidget
		if len(counts) > 0 {
			row = append(row, graph("Records counted, per 5 minutes", counts, 12))
		}
		if len(volumes) > 0 {
			row = append(row, graph("Traffic, per 5 minutes", volumes, 12))
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
		var alarms []interfacesawscloudwatch.IAlarmRef
		for _, c := range p.Alarms.Counters() {
			if a, ok := p.Alarms.Alarms()[c.Name]; ok {
				alarms = append(alarms, a)
			}
		}
		if len(alarms) > 0 {
			rows = append(rows, []awscloudwatch.IWidget{awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
				Title: jsii.String("Alarms"), Alarms: &alarms, Width: jsii.Number(24), Height: jsii.Number(3)})})
		}
	}

	if p.ContributorInsights != nil {
		var row []awscloudwatch.IWidget
		rules := p.ContributorInsights.RuleNames()
		for i, inv := range p.ContributorInsights.Investigations() {
			// INSIGHT_RULE_METRIC graphs a rule's report
			// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-GraphReportData.html).
			metric := func(stat, label string) awscloudwatch.IMetric {
				return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
					Expression:   jsii.String(fmt.Sprintf("INSIGHT_RULE_METRIC('%s', '%s')", rules[i], stat)),
					Label:        jsii.String(label),
					Period:       period,
					UsingMetrics: &map[string]awscloudwatch.IMetric{},
				})
			}
			row = append(row, graph("Contributor Insights: "+inv.Title,
				[]awscloudwatch.IMetric{metric("MaxContributorValue", "top contributor"), metric("UniqueContributors", "contributors")}, 8))
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}

	for _, inv := range invs {
		q, err := inv.InsightsQuery(format)
		if err != nil {
			panic(fmt.Sprintf("flowlogdashboard: investigation %s: %v", inv.Name, err))
		}
		rows = append(rows, []awscloudwatch.IWidget{awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
			Title:         jsii.String(inv.Title),
			LogGroupNames: &[]*string{p.LogGroup.LogGroupName()},
			QueryString:   jsii.String(q),
			View:          awscloudwatch.LogQueryVisualizationType_TABLE,
			Width:         jsii.Number(24),
			Height:        jsii.Number(6),
		})})
	}

	widgets := make([]*[]awscloudwatch.IWidget, len(rows))
	for i := range rows {
		widgets[i] = &rows[i]
	}
	this.dashboard = awscloudwatch.NewDashboard(this, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String(name),
		Start:         jsii.String("-PT3H"),
		Widgets:       &widgets,
	})
	return this
}

func graph(title string, metrics []awscloudwatch.IMetric, width float64) awscloudwatch.IWidget {
	return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
		Title: jsii.String(title), Left: &metrics, Width: jsii.Number(width), Height: jsii.Number(6),
		Period: period, Stacked: jsii.Bool(false),
	})
}

// selectWidgets returns the investigations for Logs Insights widgets: names as
// investigations.SelectFor does, or those of investigations.Featured() without parameters the
// format and traffic type can answer, with the others and why.
func selectWidgets(format flowlog.Format, trafficType string, names []string) ([]investigations.Investigation, []investigations.Dropped) {
	invs, dropped, err := leftout.Choose(format, trafficType, names, investigations.Featured())
	if err != nil {
		panic(fmt.Sprintf("flowlogdashboard: Investigations: %v", err))
	}
	if len(names) == 0 {
		invs = slices.DeleteFunc(invs, func(inv investigations.Investigation) bool { return len(inv.Params()) > 0 })
	}
	return invs, dropped
}
