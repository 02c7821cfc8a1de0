package flowlogs

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

// Resource types a flow log can be on, as AWS::EC2::FlowLog ResourceType names them
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html).
const (
	ResourceTypeVpc                      = "VPC"
	ResourceTypeSubnet                   = "Subnet"
	ResourceTypeNetworkInterface         = "NetworkInterface"
	ResourceTypeTransitGateway           = "TransitGateway"
	ResourceTypeTransitGatewayAttachment = "TransitGatewayAttachment"
)

// Resource is what a flow log records the traffic of: a VPC, a subnet, a network interface, a
// transit gateway or a transit gateway attachment. Make one with the From functions.
type Resource struct {
	typ string
	id  *string
	// arnType is the resource type in the resource's ARN (arn:PARTITION:ec2:REGION:ACCOUNT:TYPE/ID).
	arnType string
}

// FromVpc is a VPC: one created in the stack (awsec2.NewVpc, network.NewNetwork), an existing one
// found by awsec2.Vpc_FromLookup, or one given by awsec2.Vpc_FromVpcAttributes.
func FromVpc(vpc awsec2.IVpc) *Resource {
	if vpc == nil {
		return &Resource{typ: ResourceTypeVpc, arnType: "vpc"}
	}
	return &Resource{typ: ResourceTypeVpc, id: vpc.VpcId(), arnType: "vpc"}
}

// FromSubnet is a subnet, e.g. one of vpc.PrivateSubnets() or awsec2.Subnet_FromSubnetId.
func FromSubnet(subnet awsec2.ISubnet) *Resource {
	if subnet == nil {
		return &Resource{typ: ResourceTypeSubnet, arnType: "subnet"}
	}
	return &Resource{typ: ResourceTypeSubnet, id: subnet.SubnetId(), arnType: "subnet"}
}

// FromNetworkInterfaceId is a network interface (eni-…), or a token such as a
// CfnNetworkInterface's Ref.
func FromNetworkInterfaceId(id *string) *Resource {
	return &Resource{typ: ResourceTypeNetworkInterface, id: id, arnType: "network-interface"}
}

// FromTransitGatewayId is a transit gateway (tgw-…), or a token such as a CfnTransitGateway's Ref.
// Its flow logs use a 60-second aggregation interval and no traffic type, and record the transit
// gateway fields (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html).
func FromTransitGatewayId(id *string) *Resource {
	return &Resource{typ: ResourceTypeTransitGateway, id: id, arnType: "transit-gateway"}
}

// FromTransitGatewayAttachmentId is a transit gateway attachment (tgw-attach-…), or a token such
// as a CfnTransitGatewayAttachment's Ref, with the rules of FromTransitGatewayId.
func FromTransitGatewayAttachmentId(id *string) *Resource {
	return &Resource{typ: ResourceTypeTransitGatewayAttachment, id: id, arnType: "transit-gateway-attachment"}
}

// Type is the AWS::EC2::FlowLog ResourceType, e.g. "Subnet".
func (r *Resource) Type() string { return r.typ }

// Id is the resource's ID (possibly a token).
func (r *Resource) Id() *string { return r.id }

// IsTransitGateway reports whether the resource is a transit gateway or one of its attachments.
func (r *Resource) IsTransitGateway() bool {
	return r.typ == ResourceTypeTransitGateway || r.typ == ResourceTypeTransitGatewayAttachment
}

// Arn is the resource's ARN in stack's account and Region: what an iam:AssociatedResourceARN
// condition names (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html).
func (r *Resource) Arn(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("ec2"),
		Resource:     jsii.String(r.arnType),
		ResourceName: r.id,
	})
}

func (r *Resource) validate() error {
	if r.id == nil || *r.id == "" {
		return fmt.Errorf("flowlogs: Resource is a %s without an ID; give the %s (or its ID)", r.typ, r.typ)
	}
	if awscdk.Token_IsUnresolved(r.id) != nil && *awscdk.Token_IsUnresolved(r.id) {
		return nil
	}
	if shape, ok := idShapes[r.typ]; ok {
		if !shape.MatchString(*r.id) {
			return fmt.Errorf("flowlogs: Resource %s ID %q is not allowed; a %s ID is %q followed by 8 or 17 lowercase hex digits, e.g. %s0123456789abcdef0", r.typ, *r.id, r.typ, idPrefixes[r.typ], idPrefixes[r.typ])
		}
		return nil
	}
	if r.typ == ResourceTypeSubnet && lookupDummySubnets[*r.id] {
		return nil
	}
	prefix := idPrefixes[r.typ]
	if len(*r.id) <= len(prefix) || (*r.id)[:len(prefix)] != prefix {
		return fmt.Errorf("flowlogs: Resource %s ID %q is not allowed; a %s ID starts with %q", r.typ, *r.id, r.typ, prefix)
	}
	return nil
}

// lookupDummySubnets are the subnet IDs of the dummy VPC awsec2.Vpc_FromLookup answers with
// before the CLI has looked the VPC up (aws-cdk-lib aws-ec2/lib/vpc.js, v2.276.0): that first
// pass must synthesize, so they pass as subnet IDs do.
var lookupDummySubnets = map[string]bool{"p-12345": true, "p-67890": true, "s-12345": true, "s-67890": true}

var idPrefixes = map[string]string{
	ResourceTypeVpc: "vpc-", ResourceTypeSubnet: "subnet-", ResourceTypeNetworkInterface: "eni-",
	ResourceTypeTransitGateway: "tgw-", ResourceTypeTransitGatewayAttachment: "tgw-attach-",
}

// idShapes are the exact ID shapes of the resources given by an ID string (EC2 IDs: a prefix and
// 8 or, since 2016, 17 lowercase hex digits,
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html). VPC and subnet IDs come
// from constructs and are checked by prefix only: awsec2.Vpc_FromLookup answers with a dummy VPC
// (vpc-12345) until the CLI has looked the VPC up, and that first pass must synthesize.
var idShapes = map[string]*regexp.Regexp{
	ResourceTypeNetworkInterface:         regexp.MustCompile(`^eni-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
	ResourceTypeTransitGateway:           regexp.MustCompile(`^tgw-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
	ResourceTypeTransitGatewayAttachment: regexp.MustCompile(`^tgw-attach-(?:[0-9a-f]{8}|[0-9a-f]{17})$`),
}
