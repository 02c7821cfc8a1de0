// Package flowlogs attaches VPC flow logs to any set of destinations in one declaration: one
// AWS::EC2::FlowLog per destination, each with the delivery permissions it needs in place before
// it is created, and a log format built from the flowlog field registry.
package flowlogs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// FlowLogsProps configures FlowLogs.
type FlowLogsProps struct {
	// The VPC whose traffic is logged; a shorthand for Resource: FromVpc(vpc). Give Vpc or
	// Resource.
	//
	// Default: - none: Resource is used.
	Vpc awsec2.IVpc

	// The VPC, subnet, network interface, transit gateway or transit gateway attachment whose
	// traffic is logged (FromVpc, FromSubnet, FromNetworkInterfaceId, FromTransitGatewayId,
	// FromTransitGatewayAttachmentId). Give Vpc or Resource.
	//
	// Default: - none: Vpc is used.
	Resource *Resource

	// Where the records go: one flow log per destination, each a *CloudWatchLogsDestination,
	// *S3Destination or *FirehoseDestination with a distinct Id. A destination's FlowLogOptions
	// override TrafficType, MaxAggregationInterval and the formats for its flow log. AWS documents
	// no limit on flow logs per resource today; an app may set one (see MaxFlowLogsPerResource).
	// Required.
	Destinations []Destination

	// Which traffic to log: ALL, ACCEPT or REJECT. Transit gateway flow logs take none: EC2
	// rejects a traffic type for them (https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html).
	//
	// Default: - "ALL"; none for a transit gateway or attachment.
	TrafficType *string

	// The longest time, in seconds, over which a flow is aggregated into one record: 60 or 600.
	// Transit gateway flow logs accept only 60
	// (https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html).
	//
	// Default: - 600, EC2's own default, 60 for a transit gateway or attachment; 60 gives faster,
	// finer records at a higher cost.
	MaxAggregationInterval *float64

	// The record format of VPC, subnet and network-interface flow logs. Every flow log gets an
	// explicit LogFormat, so a template reviewer and the parser both see exactly which fields are
	// delivered. On a transit gateway resource it is accepted only when every field is one
	// transit gateway flow logs record (see flowlog.TransitGatewayFormatOf).
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	LogFormat *flowlog.Format

	// The record format of transit gateway and transit gateway attachment flow logs.
	//
	// Default: - flowlog.DefaultTransitGatewayFormat(): every transit gateway field, as EC2
	// records without a LogFormat.
	TransitGatewayLogFormat *flowlog.TransitGatewayFormat

	// The tag keys whose values fill the version-11 tag fields of LogFormat, by resource type:
	// "instance" fills ${instance-tag} and ${instance-tag-2}, "network-interface" fills
	// ${interface-tag} and ${interface-tag-2}, "auto-scaling-group" fills ${asg-tag} and
	// ${asg-tag-2}, in order; one or two keys each. A tag field without a key here stays "-".
	//
	// Default: - none.
	TagFields map[string][]string

	// The role CloudFormation creates the flow logs with (the stack's deployment role, e.g. cdk
	// bootstrap's cfn-exec-role), for a LogFormat with ECS fields: AWS records them only when
	// whoever creates the flow log may call ecs:ListClusters and, per field,
	// ecs:ListContainerInstances, ecs:ListServices, ecs:ListTaskDefinitions or ecs:ListTasks
	// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html; see ECSActions), so
	// a customer managed policy granting them is attached to this role and the flow logs wait for it.
	//
	// Default: - none; with ECS fields, ECSPermissionsGranted must then be true.
	ECSPermissionsRole awsiam.IRole

	// States that whoever creates the flow logs already has the ECS permissions above, so ECS
	// fields may be used without ECSPermissionsRole.
	//
	// Default: - false.
	ECSPermissionsGranted *bool

	// The flow logs' Name tag.
	//
	// Default: - no Name tag.
	Name *string

	// Tags for the flow logs themselves (stack-wide tags reach them too).
	//
	// Default: - none.
	Tags *map[string]*string
}

// FlowLogs is a resource's flow logs to one or more destinations.
type FlowLogs interface {
	constructs.Construct
	// FlowLogs are the AWS::EC2::FlowLog resources, one per destination in the order given (child
	// ID "<destination Id>/FlowLog").
	FlowLogs() []awsec2.CfnFlowLog
	// LogGroups are the CloudWatch Logs destinations' log groups.
	LogGroups() []awslogs.ILogGroup
	// Roles are the delivery roles: the CloudWatch Logs destinations' roles and the source-account
	// roles of cross-account Firehose destinations.
	Roles() []awsiam.IRole
	// Buckets are the S3 destinations' buckets.
	Buckets() []awss3.IBucket
	// DeliveryStreamArns are the Firehose destinations' streams, given or created.
	DeliveryStreamArns() []*string
	// Format is the props' VPC record format (FlowLogsProps.LogFormat or its default).
	Format() flowlog.Format
	// LogFormats are the LogFormat strings of FlowLogs(), in the same order.
	LogFormats() []string
	// Resource is what the flow logs record the traffic of.
	Resource() *Resource
}

type flowLogs struct {
	constructs.Construct
	flowLogs   []awsec2.CfnFlowLog
	logGroups  []awslogs.ILogGroup
	roles      []awsiam.IRole
	buckets    []awss3.IBucket
	streams    []*string
	format     flowlog.Format
	logFormats []string
	resource   *Resource
}

func (f *flowLogs) FlowLogs() []awsec2.CfnFlowLog  { return slices.Clone(f.flowLogs) }
func (f *flowLogs) LogGroups() []awslogs.ILogGroup { return slices.Clone(f.logGroups) }
func (f *flowLogs) Roles() []awsiam.IRole          { return slices.Clone(f.roles) }
func (f *flowLogs) Buckets() []awss3.IBucket       { return slices.Clone(f.buckets) }
func (f *flowLogs) DeliveryStreamArns() []*string  { return slices.Clone(f.streams) }
func (f *flowLogs) Format() flowlog.Format         { return f.format }
func (f *flowLogs) LogFormats() []string           { return slices.Clone(f.logFormats) }
func (f *flowLogs) Resource() *Resource            { return f.resource }

// Defaults.
const (
	DefaultTrafficType = "ALL"
	// DefaultMaxAggregationInterval is EC2's own default (the fact lives in package flowlog).
	DefaultMaxAggregationInterval = flowlog.DefaultAggregationInterval
	// TransitGatewayMaxAggregationInterval is the only interval transit gateway flow logs accept
	// (the fact lives in package flowlog).
	TransitGatewayMaxAggregationInterval = flowlog.TransitGatewayAggregationInterval
)

// NewFlowLogs creates one flow log per destination. It panics with a message naming the prop when
// a prop is invalid.
func NewFlowLogs(scope constructs.Construct, id *string, props *FlowLogsProps) FlowLogs {
	var p FlowLogsProps
	if props != nil {
		p = *props
	}
	plans, err := plan(scope, &p)
	if err != nil {
		panic(err.Error())
	}

	f := &flowLogs{format: plans[0].vpcFormat, resource: p.Resource}
	constructs.NewConstruct_Override(f, scope, id)
	addLimitValidation(f, p.Resource)
	var ecsPolicy constructs.IDependable
	var ecsActions []string
	for _, pl := range plans {
		for _, a := range ECSActions(pl.vpcFormat) {
			if !slices.Contains(ecsActions, a) {
				ecsActions = append(ecsActions, a)
			}
		}
	}
	if len(ecsActions) > 0 && p.ECSPermissionsRole != nil {
		slices.Sort(ecsActions)
		ecsPolicy = grantECSPermissions(f, p.ECSPermissionsRole, ecsActions)
	}
	for _, pl := range plans {
		d := pl.dest
		dscope := constructs.NewConstruct(f, jsii.String(d.id()))
		cfnProps := &awsec2.CfnFlowLogProps{
			ResourceId:             p.Resource.Id(),
			ResourceType:           jsii.String(p.Resource.Type()),
			TrafficType:            pl.trafficType,
			MaxAggregationInterval: jsii.Number(pl.interval),
			LogFormat:              jsii.String(pl.logFormat),
			Tags:                   tags(p.Name, p.Tags),
		}
		if specs := tagFieldSpecs(p.TagFields); specs != nil {
			cfnProps.TagFieldSpecifications = specs
		}
		b := d.bind(dscope, cfnProps, p.Resource)
		fl := awsec2.NewCfnFlowLog(dscope, jsii.String("FlowLog"), cfnProps)
		for _, dep := range b.dependsOn {
			fl.Node().AddDependency(dep)
		}
		if pl.ecs && ecsPolicy != nil {
			fl.Node().AddDependency(ecsPolicy)
		}
		f.flowLogs = append(f.flowLogs, fl)
		f.logFormats = append(f.logFormats, pl.logFormat)
		if b.logGroup != nil {
			f.logGroups = append(f.logGroups, b.logGroup)
		}
		if b.role != nil {
			f.roles = append(f.roles, b.role)
		}
		if b.bucket != nil {
			f.buckets = append(f.buckets, b.bucket)
		}
		if b.streamArn != nil {
			f.streams = append(f.streams, b.streamArn)
		}
	}
	return f
}

// flowLogPlan is one destination's flow log with every setting resolved and checked.
type flowLogPlan struct {
	dest        Destination
	trafficType *string
	interval    float64
	vpcFormat   flowlog.Format
	logFormat   string
	ecs         bool
}

// plan resolves the props (filling in p.Resource) and each destination's options, and checks
// them against the resource type's rules.
func plan(scope constructs.Construct, p *FlowLogsProps) ([]flowLogPlan, error) {
	switch {
	case p.Vpc != nil && p.Resource != nil:
		return nil, fmt.Errorf("flowlogs: both Vpc and Resource are given; give one (Vpc is short for Resource: FromVpc(vpc))")
	case p.Vpc != nil:
		p.Resource = FromVpc(p.Vpc)
	case p.Resource == nil:
		return nil, fmt.Errorf("flowlogs: Vpc is nil; give the VPC whose traffic to log, or a Resource")
	}
	if err := p.Resource.validate(); err != nil {
		return nil, err
	}
	if len(p.Destinations) == 0 {
		return nil, fmt.Errorf("flowlogs: Destinations is empty; give at least one *CloudWatchLogsDestination, *S3Destination or *FirehoseDestination")
	}
	tgw := p.Resource.IsTransitGateway()
	if tgw && len(p.TagFields) > 0 {
		return nil, fmt.Errorf("flowlogs: TagFields is given for a %s flow log; tag fields are VPC flow-log fields that transit gateway flow logs do not record", p.Resource.Type())
	}
	if !tgw && p.TransitGatewayLogFormat != nil {
		return nil, fmt.Errorf("flowlogs: TransitGatewayLogFormat is given for a %s flow log; use LogFormat", p.Resource.Type())
	}
	seen := map[string]bool{}
	var plans []flowLogPlan
	for i, d := range p.Destinations {
		if d == nil {
			return nil, fmt.Errorf("flowlogs: Destinations[%d] is nil", i)
		}
		// A nil *S3Destination (or other pointer) in the slice is a non-nil interface.
		if v := reflect.ValueOf(d); v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, fmt.Errorf("flowlogs: Destinations[%d] is a nil %T; give a destination such as &flowlogs.S3Destination{}", i, d)
		}
		if seen[d.id()] {
			return nil, fmt.Errorf("flowlogs: Destinations[%d] has Id %q, which another destination already has; give each destination its own Id", i, d.id())
		}
		seen[d.id()] = true
		if err := d.validate(awscdk.Stack_Of(scope)); err != nil {
			return nil, err
		}
		pl, err := planOne(p, d.options(), fmt.Sprintf("Destinations[%d].", i))
		if err != nil {
			return nil, err
		}
		pl.dest = d
		plans = append(plans, pl)
	}
	if err := checkPerResourceLimit(scope, p.Resource, len(plans)); err != nil {
		return nil, err
	}
	return plans, nil
}

// planOne resolves one flow log's settings: the destination's options, then the props', then the
// defaults. where names the destination in messages about its own options.
func planOne(p *FlowLogsProps, o *FlowLogOptions, where string) (flowLogPlan, error) {
	var pl flowLogPlan
	res := p.Resource
	tgw := res.IsTransitGateway()

	traffic, trafficProp := p.TrafficType, "TrafficType"
	if o.TrafficType != nil {
		traffic, trafficProp = o.TrafficType, where+"TrafficType"
	}
	interval, intervalProp := p.MaxAggregationInterval, "MaxAggregationInterval"
	if o.MaxAggregationInterval != nil {
		interval, intervalProp = o.MaxAggregationInterval, where+"MaxAggregationInterval"
	}
	format, formatProp := p.LogFormat, "LogFormat"
	if o.LogFormat != nil {
		format, formatProp = o.LogFormat, where+"LogFormat"
	}
	tgwFormat, tgwFormatProp := p.TransitGatewayLogFormat, "TransitGatewayLogFormat"
	if o.TransitGatewayLogFormat != nil {
		tgwFormat, tgwFormatProp = o.TransitGatewayLogFormat, where+"TransitGatewayLogFormat"
	}

	pl.vpcFormat = flowlog.DefaultFormat()
	if format != nil {
		if format.Len() == 0 {
			return pl, fmt.Errorf("flowlogs: %s is empty; give at least one field, e.g. flowlog.DefaultFormat()", formatProp)
		}
		pl.vpcFormat = *format
		if !tgw && !format.InVPCFlowLogs() {
			var only []string
			for _, f := range format.Fields() {
				if !f.InVPCFlowLogs() {
					only = append(only, f.Token())
				}
			}
			return pl, fmt.Errorf("flowlogs: %s has transit gateway fields (%s), which %s flow logs do not record "+
				"(https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records); use VPC flow-log fields",
				formatProp, strings.Join(only, " "), res.Type())
		}
	}
	if tgw {
		// https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html: EC2 returns an error for
		// a traffic type, and for any interval but 60, on transit gateway resource types.
		if traffic != nil {
			return pl, fmt.Errorf("flowlogs: %s %q is not allowed on a %s flow log; EC2 rejects any traffic type for transit gateway resource types, so leave it nil", trafficProp, *traffic, res.Type())
		}
		pl.interval = TransitGatewayMaxAggregationInterval
		if interval != nil && *interval != TransitGatewayMaxAggregationInterval {
			return pl, fmt.Errorf("flowlogs: %s %v is not allowed on a %s flow log; transit gateway flow logs accept only 60 seconds", intervalProp, *interval, res.Type())
		}
		switch {
		case format != nil && tgwFormat != nil:
			return pl, fmt.Errorf("flowlogs: both %s and %s apply to this %s flow log; give only TransitGatewayLogFormat", formatProp, tgwFormatProp, res.Type())
		case format != nil:
			f, err := flowlog.TransitGatewayFormatOf(*format)
			if err != nil {
				return pl, fmt.Errorf("flowlogs: %s is not a transit gateway format (%v); give TransitGatewayLogFormat, e.g. from flowlog.ParseTransitGatewayFormat", formatProp, err)
			}
			pl.logFormat = f.String()
		case tgwFormat != nil:
			if tgwFormat.Len() == 0 {
				return pl, fmt.Errorf("flowlogs: %s is empty; give at least one field, e.g. flowlog.DefaultTransitGatewayFormat()", tgwFormatProp)
			}
			pl.logFormat = tgwFormat.String()
		default:
			pl.logFormat = flowlog.DefaultTransitGatewayFormat().String()
		}
		return pl, nil
	}

	if tgwFormat != nil {
		return pl, fmt.Errorf("flowlogs: %s is given for a %s flow log; use LogFormat", tgwFormatProp, res.Type())
	}
	pl.trafficType = jsii.String(DefaultTrafficType)
	if traffic != nil {
		if err := ValidateTrafficType("flowlogs: "+trafficProp, *traffic); err != nil {
			return pl, err
		}
		pl.trafficType = traffic
	}
	pl.interval = DefaultMaxAggregationInterval
	if interval != nil {
		if err := ValidateMaxAggregationInterval("flowlogs: "+intervalProp, *interval); err != nil {
			return pl, err
		}
		pl.interval = *interval
	}
	if err := ValidateTagFields(p.TagFields, pl.vpcFormat); err != nil {
		return pl, err
	}
	if ecs := ECSFields(pl.vpcFormat); len(ecs) > 0 {
		pl.ecs = true
		if p.ECSPermissionsRole == nil && (p.ECSPermissionsGranted == nil || !*p.ECSPermissionsGranted) {
			toks := make([]string, len(ecs))
			for i, f := range ecs {
				toks[i] = f.Token()
			}
			return pl, fmt.Errorf("flowlogs: %s has ECS fields (%s), which AWS records only when whoever creates the flow log may call %s "+
				"(https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); give ECSPermissionsRole (the role CloudFormation deploys with) "+
				"to have them granted, or set ECSPermissionsGranted if it already has them",
				formatProp, strings.Join(toks, " "), strings.Join(ECSActions(pl.vpcFormat), ", "))
		}
	}
	pl.logFormat = pl.vpcFormat.String()
	return pl, nil
}

// tagFieldsOf maps each resource type of TagFieldSpecifications to the log-format fields its
// keys fill, in key order.
var tagFieldsOf = map[string][2]flowlog.Field{
	"instance":           {flowlog.InstanceTag, flowlog.InstanceTag2},
	"network-interface":  {flowlog.InterfaceTag, flowlog.InterfaceTag2},
	"auto-scaling-group": {flowlog.ASGTag, flowlog.ASGTag2},
}

// ValidateTagFields checks FlowLogsProps.TagFields against the format they are for.
func ValidateTagFields(tf map[string][]string, format flowlog.Format) error {
	for rt, keys := range tf {
		fields, ok := tagFieldsOf[rt]
		if !ok {
			return fmt.Errorf("flowlogs: TagFields has resource type %q; use instance, network-interface or auto-scaling-group", rt)
		}
		if len(keys) < 1 || len(keys) > 2 {
			return fmt.Errorf("flowlogs: TagFields[%q] has %d tag keys; give one or two", rt, len(keys))
		}
		for _, k := range keys {
			if k == "" {
				return fmt.Errorf("flowlogs: TagFields[%q] has an empty tag key", rt)
			}
		}
		if !format.Has(fields[0]) && !format.Has(fields[1]) {
			return fmt.Errorf("flowlogs: TagFields[%q] is given but LogFormat has neither %s nor %s, so the keys would record nothing",
				rt, fields[0].Token(), fields[1].Token())
		}
	}
	return nil
}

func tagFieldSpecs(tf map[string][]string) *[]*awsec2.CfnFlowLog_TagFieldSpecificationProperty {
	if len(tf) == 0 {
		return nil
	}
	types := make([]string, 0, len(tf))
	for rt := range tf {
		types = append(types, rt)
	}
	slices.Sort(types)
	specs := make([]*awsec2.CfnFlowLog_TagFieldSpecificationProperty, len(types))
	for i, rt := range types {
		specs[i] = &awsec2.CfnFlowLog_TagFieldSpecificationProperty{ResourceType: jsii.String(rt), TagKeys: jsii.Strings(tf[rt]...)}
	}
	return &specs
}

func tags(name *string, extra *map[string]*string) *[]*awscdk.CfnTag {
	var out []*awscdk.CfnTag
	if extra != nil {
		keys := make([]string, 0, len(*extra))
		for k := range *extra {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if k == "Name" && name != nil {
				continue
			}
			out = append(out, &awscdk.CfnTag{Key: jsii.String(k), Value: (*extra)[k]})
		}
	}
	if name != nil {
		out = append([]*awscdk.CfnTag{{Key: jsii.String("Name"), Value: name}}, out...)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}
