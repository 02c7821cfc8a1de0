// Package network provides the VPC whose traffic the flow logs record: two Availability Zones,
// public and private subnets, and no NAT gateway unless one is asked for.
package network

import (
	"fmt"
	"net/netip"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// NetworkProps configures a Network. The zero value is a valid, cheap configuration.
type NetworkProps struct {
	// The VPC's IPv4 CIDR block, between /16 and /28 as Amazon VPC allows
	// (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
	//
	// Default: - 10.0.0.0/16.
	Cidr *string

	// How many Availability Zones the VPC spans.
	//
	// Default: - 2: enough to show cross-AZ traffic, half the subnets of CDK's default of 3.
	MaxAzs *float64

	// How many NAT gateways to create. With 0 the private subnets are isolated (no route to the
	// internet); with 1 or more they are private-with-egress and each NAT gateway costs money by
	// the hour and by the GB.
	//
	// Default: - 0: no NAT gateway, no NAT cost.
	NatGateways *float64

	// The subnet layout, as CDK's awsec2.VpcProps.SubnetConfiguration.
	//
	// Default: - one public /24 (no automatic public IPs) and one private /24 per Availability
	// Zone; the private subnets are isolated when NatGateways is 0, private-with-egress otherwise.
	SubnetConfiguration *[]*awsec2.SubnetConfiguration

	// The VPC's Name tag.
	//
	// Default: - the construct path, as CDK names VPCs.
	VpcName *string
}

// Network is a VPC built for flow logs.
type Network interface {
	constructs.Construct
	// Vpc is the VPC (child ID "Vpc").
	Vpc() awsec2.Vpc
}

type network struct {
	constructs.Construct
	vpc awsec2.Vpc
}

func (n *network) Vpc() awsec2.Vpc { return n.vpc }

const (
	defaultCidr   = "10.0.0.0/16"
	defaultMaxAzs = 2
)

// NewNetwork creates the VPC. It panics with a message naming the prop when a prop is invalid.
func NewNetwork(scope constructs.Construct, id *string, props *NetworkProps) Network {
	var p NetworkProps
	if props != nil {
		p = *props
	}
	if p.Cidr == nil {
		p.Cidr = jsii.String(defaultCidr)
	}
	if p.MaxAzs == nil {
		p.MaxAzs = jsii.Number(defaultMaxAzs)
	}
	if p.NatGateways == nil {
		p.NatGateways = jsii.Number(0)
	}
	if err := ValidateProps(&p); err != nil {
		panic(err.Error())
	}
	if p.SubnetConfiguration == nil {
		private := awsec2.SubnetType_PRIVATE_ISOLATED
		if *p.NatGateways > 0 {
			private = awsec2.SubnetType_PRIVATE_WITH_EGRESS
		}
		p.SubnetConfiguration = &[]*awsec2.SubnetConfiguration{
			// No automatic public IPv4 addresses: whatever runs here asks for one explicitly
			// (AWS Control Tower control CT.EC2.PR.11).
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24), MapPublicIpOnLaunch: jsii.Bool(false)},
			{Name: jsii.String("Private"), SubnetType: private, CidrMask: jsii.Number(24)},
		}
	}

	this := &network{}
	// _Override makes the Go value itself the jsii object, so it can be passed anywhere a
	// construct is expected (Tags_Of, Aspects_Of, as a scope).
	constructs.NewConstruct_Override(this, scope, id)
	vpc := awsec2.NewVpc(this, jsii.String("Vpc"), &awsec2.VpcProps{
		IpAddresses:         awsec2.IpAddresses_Cidr(p.Cidr),
		MaxAzs:              p.MaxAzs,
		NatGateways:         p.NatGateways,
		SubnetConfiguration: p.SubnetConfiguration,
		VpcName:             p.VpcName,
		// The default security group of a new VPC allows all traffic between its members and all
		// egress. Nothing here uses it, so strip its rules (CIS AWS Foundations 5.4).
		RestrictDefaultSecurityGroup: jsii.Bool(true),
	})
	this.vpc = vpc
	return this
}

// ValidateProps checks props as NewNetwork does, without creating anything; nil fields are not
// checked.
func ValidateProps(p *NetworkProps) error {
	if p.Cidr != nil && !*awscdk.Token_IsUnresolved(p.Cidr) {
		prefix, err := netip.ParsePrefix(*p.Cidr)
		switch {
		case err != nil:
			return fmt.Errorf("network: Cidr %q is not a CIDR block (%v); use e.g. %q", *p.Cidr, err, defaultCidr)
		case !prefix.Addr().Is4():
			return fmt.Errorf("network: Cidr %q is not IPv4; a VPC's primary CIDR block is IPv4", *p.Cidr)
		case prefix.Bits() < 16 || prefix.Bits() > 28:
			return fmt.Errorf("network: Cidr %q has a /%d mask; Amazon VPC allows /16 to /28", *p.Cidr, prefix.Bits())
		case prefix.Masked() != prefix:
			return fmt.Errorf("network: Cidr %q has host bits set; did you mean %q?", *p.Cidr, prefix.Masked().String())
		}
	}
	if p.MaxAzs != nil && !*awscdk.Token_IsUnresolved(p.MaxAzs) && (*p.MaxAzs < 1 || *p.MaxAzs != float64(int(*p.MaxAzs))) {
		return fmt.Errorf("network: MaxAzs %v is not allowed; use a whole number of at least 1", *p.MaxAzs)
	}
	if p.NatGateways != nil && !*awscdk.Token_IsUnresolved(p.NatGateways) && (*p.NatGateways < 0 || *p.NatGateways != float64(int(*p.NatGateways))) {
		return fmt.Errorf("network: NatGateways %v is not allowed; use a whole number from 0 (none) up", *p.NatGateways)
	}
	return nil
}
