// Package flowlogs attaches VPC flow logs to any set of destinations in one declaration: one
// AWS::EC2::FlowLog per destination, each with the delivery permissions it needs in place before
// it is created, and a log format built from the flowlog field registry.
package flowlogs

import (
	"fmt"
	"slices"

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
	// The VPC whose traffic is logged. Required.
	Vpc awsec2.IVpc

	// Where the records go: one or more of *CloudWatchLogsDestination and *S3Destination, each with
	// a distinct Id. Required.
	Destinations []Destination

	// Which traffic to log: ALL, ACCEPT or REJECT.
	//
	// Default: - "ALL".
	TrafficType *string

	// The longest time, in seconds, over which a flow is aggregated into one record: 60 or 600.
	//
	// Default: - 600, EC2's own default; 60 gives faster, finer records at a higher cost.
	MaxAggregationInterval *float64

	// The record format. Every flow log gets an explicit LogFormat, so a template reviewer and
	// the parser both see exactly which fields are delivered.
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	LogFormat *flowlog.Format

	// The tag keys whose values fill the version-11 tag fields of LogFormat, by resource type:
	// "instance" fills ${instance-tag} and ${instance-tag-2}, "network-interface" fills
	// ${interface-tag} and ${interface-tag-2}, "auto-scaling-group" fills ${asg-tag} and
	// ${asg-tag-2}, in order; one or two keys each. A tag field without a key here stays "-".
	//
	// Default: - none.
	TagFields map[string][]string

	// The flow logs' Name tag.
	//
	// Default: - no Name tag.
	Name *string

	// Tags for the flow logs themselves (stack-wide tags reach them too).
	//
	// Default: - none.
	Tags *map[string]*string
}

// FlowLogs is a VPC's flow logs to one or more destinations.
type FlowLogs interface {
	constructs.Construct
	// FlowLogs are the AWS::EC2::FlowLog resources, one per destination in the order given (child
	// ID "<destination Id>/FlowLog").
	FlowLogs() []awsec2.CfnFlowLog
	// LogGroups are the CloudWatch Logs destinations' log groups.
	LogGroups() []awslogs.ILogGroup
	// Roles are the CloudWatch Logs destinations' delivery roles.
	Roles() []awsiam.IRole
	// Buckets are the S3 destinations' buckets.
	Buckets() []awss3.IBucket
	// Format is the record format every flow log delivers.
	Format() flowlog.Format
}

type flowLogs struct {
	constructs.Construct
	flowLogs  []awsec2.CfnFlowLog
	logGroups []awslogs.ILogGroup
	roles     []awsiam.IRole
	buckets   []awss3.IBucket
	format    flowlog.Format
}

func (f *flowLogs) FlowLogs() []awsec2.CfnFlowLog  { return slices.Clone(f.flowLogs) }
func (f *flowLogs) LogGroups() []awslogs.ILogGroup { return slices.Clone(f.logGroups) }
func (f *flowLogs) Roles() []awsiam.IRole          { return slices.Clone(f.roles) }
func (f *flowLogs) Buckets() []awss3.IBucket       { return slices.Clone(f.buckets) }
func (f *flowLogs) Format() flowlog.Format         { return f.format }

// Defaults.
const (
	DefaultTrafficType            = "ALL"
	DefaultMaxAggregationInterval = 600
)

// NewFlowLogs creates one flow log per destination. It panics with a message naming the prop when
// a prop is invalid.
func NewFlowLogs(scope constructs.Construct, id *string, props *FlowLogsProps) FlowLogs {
	var p FlowLogsProps
	if props != nil {
		p = *props
	}
	if p.TrafficType == nil {
		p.TrafficType = jsii.String(DefaultTrafficType)
	}
	if p.MaxAggregationInterval == nil {
		p.MaxAggregationInterval = jsii.Number(DefaultMaxAggregationInterval)
	}
	format := flowlog.DefaultFormat()
	if p.LogFormat != nil {
		format = *p.LogFormat
	}
	if err := validate(&p, format); err != nil {
		panic(err.Error())
	}

	f := &flowLogs{format: format}
	constructs.NewConstruct_Override(f, scope, id)
	for _, d := range p.Destinations {
		dscope := constructs.NewConstruct(f, jsii.String(d.id()))
		cfnProps := &awsec2.CfnFlowLogProps{
			ResourceId:             p.Vpc.VpcId(),
			ResourceType:           jsii.String("VPC"),
			TrafficType:            p.TrafficType,
			MaxAggregationInterval: p.MaxAggregationInterval,
			LogFormat:              jsii.String(format.String()),
			Tags:                   tags(p.Name, p.Tags),
		}
		if specs := tagFieldSpecs(p.TagFields); specs != nil {
			cfnProps.TagFieldSpecifications = specs
		}
		b := d.bind(dscope, cfnProps)
		fl := awsec2.NewCfnFlowLog(dscope, jsii.String("FlowLog"), cfnProps)
		for _, dep := range b.dependsOn {
			fl.Node().AddDependency(dep)
		}
		f.flowLogs = append(f.flowLogs, fl)
		if b.logGroup != nil {
			f.logGroups = append(f.logGroups, b.logGroup)
		}
		if b.role != nil {
			f.roles = append(f.roles, b.role)
		}
		if b.bucket != nil {
			f.buckets = append(f.buckets, b.bucket)
		}
	}
	return f
}

func validate(p *FlowLogsProps, format flowlog.Format) error {
	if p.Vpc == nil {
		return fmt.Errorf("flowlogs: Vpc is nil; give the VPC whose traffic to log")
	}
	if len(p.Destinations) == 0 {
		return fmt.Errorf("flowlogs: Destinations is empty; give at least one *CloudWatchLogsDestination or *S3Destination")
	}
	seen := map[string]bool{}
	for i, d := range p.Destinations {
		if d == nil {
			return fmt.Errorf("flowlogs: Destinations[%d] is nil", i)
		}
		if seen[d.id()] {
			return fmt.Errorf("flowlogs: Destinations[%d] has Id %q, which another destination already has; give each destination its own Id", i, d.id())
		}
		seen[d.id()] = true
		if err := d.validate(); err != nil {
			return err
		}
	}
	if err := ValidateTrafficType("flowlogs: TrafficType", *p.TrafficType); err != nil {
		return err
	}
	if err := ValidateMaxAggregationInterval("flowlogs: MaxAggregationInterval", *p.MaxAggregationInterval); err != nil {
		return err
	}
	if format.Len() == 0 {
		return fmt.Errorf("flowlogs: LogFormat is empty; give at least one field, e.g. flowlog.DefaultFormat()")
	}
	return ValidateTagFields(p.TagFields, format)
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
