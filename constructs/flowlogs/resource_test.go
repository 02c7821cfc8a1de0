package flowlogs

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// TestResourceIDs: IDs are checked by shape, but the first synth of an app
// that looks its VPC up must pass with the dummy VPC's subnets
// (awsec2.Vpc_FromLookup answers p-12345 … before the CLI has looked).
func TestResourceIDs(t *testing.T) {
	for _, c := range []struct {
		typ, id string
		ok      bool
	}{
		{ResourceTypeSubnet, "subnet-0123456789abcdef0", true},
		{ResourceTypeSubnet, "p-12345", true}, // lookup dummies
		{ResourceTypeSubnet, "s-67890", true},
		{ResourceTypeSubnet, "p-99999", false},
		{ResourceTypeSubnet, "vpc-12345", false},
		{ResourceTypeVpc, "vpc-12345", true},
		{ResourceTypeNetworkInterface, "eni-0123456789abcdef0", true},
		{ResourceTypeNetworkInterface, "eni-!!", false},
		{ResourceTypeTransitGateway, "tgw-attach-0123", false},
	} {
		err := (&Resource{typ: c.typ, id: jsii.String(c.id)}).validate()
		if (err == nil) != c.ok {
			t.Errorf("%s %q: error %v, want ok %v", c.typ, c.id, err, c.ok)
		}
	}
}
