package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Destination names accepted by the "destinations" context key.
const (
	DestinationCloudWatchLogs = "cloudwatch-logs"
	DestinationS3             = "s3"
	DestinationFirehose       = "firehose"
)

// Config is the app's configuration, read from cdk.json context and `cdk synth -c key=value`.
// Its zero value is not valid; use DefaultConfig or ConfigFromContext.
type Config struct {
	StackName string
	// Account and Region pin the stack's environment; empty means environment-agnostic.
	Account, Region string

	Destinations           []string
	TrafficType            string
	MaxAggregationInterval float64
	LogFormat              flowlog.Format
	// LogFormatName is the preset name or custom format string the format came from.
	LogFormatName string
	// TagFields names the tag keys for the version-11 tag fields (see flowlogs.FlowLogsProps).
	TagFields     map[string][]string
	RetentionDays float64
	RemovalPolicy awscdk.RemovalPolicy
	Tags          map[string]string

	S3KeyPrefix                string
	S3FileFormat               string
	S3HiveCompatiblePartitions bool
	S3PerHourPartition         bool

	VpcCidr     string
	MaxAzs      float64
	NatGateways float64

	// Hardened selects the profile for regulated accounts: a customer managed KMS key with
	// rotation for the log group and the flow-log bucket, versioned buckets, S3 Object Lock for
	// legal holds, and EventBridge notifications.
	Hardened bool

	// ResourceConfig: an existing VPC, Firehose delivery (config_resources.go).
	ResourceConfig
	// Analytics is the analytics over the flow logs (stacks/analytics_config.go).
	Analytics AnalyticsConfig
}

// DefaultConfig is the seed scenario: a new VPC whose flow logs go to CloudWatch Logs and S3.
func DefaultConfig() Config {
	return Config{
		StackName:              "VpcFlowLogs",
		Destinations:           []string{DestinationCloudWatchLogs, DestinationS3},
		TrafficType:            flowlogs.DefaultTrafficType,
		MaxAggregationInterval: flowlogs.DefaultMaxAggregationInterval,
		LogFormat:              flowlog.DefaultFormat(),
		LogFormatName:          "default",
		RetentionDays:          loggroup.DefaultRetentionDays,
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		Tags:                   map[string]string{},
		S3FileFormat:           "plain-text",
		VpcCidr:                "10.0.0.0/16",
		MaxAzs:                 2,
		NatGateways:            0,
		Analytics:              DefaultAnalyticsConfig(),
	}
}

// A setting is one context key: its name, what it accepts (for messages and the README), and how
// it is applied to a Config.
type setting struct {
	key     string
	allowed string
	apply   func(c *Config, raw any) error
}

// Settings lists every context key the app reads with what it accepts, in README order.
func Settings() [][2]string {
	out := make([][2]string, len(settings))
	for i, s := range settings {
		out[i] = [2]string{s.key, s.allowed}
	}
	return out
}

var (
	accountPattern   = regexp.MustCompile(`^\d{12}$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	stackNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,127}$`)
)

var settings = []setting{
	{"destinations", "comma-separated cloudwatch-logs, s3 and/or firehose, one flow log each (default cloudwatch-logs,s3)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("no destination given; flow logs need at least one of cloudwatch-logs, s3, firehose")
		}
		var ds []string
		for _, d := range strings.Split(s, ",") {
			d = strings.TrimSpace(d)
			if d != DestinationCloudWatchLogs && d != DestinationS3 && d != DestinationFirehose {
				return fmt.Errorf("%q is not a destination; use cloudwatch-logs, s3 and/or firehose, comma-separated", d)
			}
			if slices.Contains(ds, d) {
				return fmt.Errorf("%q is listed twice", d)
			}
			ds = append(ds, d)
		}
		c.Destinations = ds
		return nil
	}},
	{"trafficType", flowlog.TrafficTypesText() + " (default ALL)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		c.TrafficType = s
		return flowlogs.ValidateTrafficType("", s)
	}},
	{"maxAggregationInterval", flowlog.AggregationIntervalsText() + " seconds (default 600)", func(c *Config, raw any) error {
		n, err := asNumber(raw)
		if err != nil {
			return err
		}
		c.MaxAggregationInterval = n
		return flowlogs.ValidateMaxAggregationInterval("", n)
	}},
	{"logFormat", "a preset (" + strings.Join(vpcPresetNames(), ", ") + "; default default) or a custom format like '${srcaddr} ${dstaddr} ${action}'", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		c.LogFormatName = s
		if f, ok := flowlog.Preset(s); ok {
			if !f.InVPCFlowLogs() {
				return fmt.Errorf("preset %q is the format of transit gateway flow logs; the app logs a VPC, so use one of the others", s)
			}
			c.LogFormat = f
			return nil
		}
		if !strings.Contains(s, "${") {
			return fmt.Errorf("%q is neither a preset (%s) nor a format of ${field} tokens", s, strings.Join(vpcPresetNames(), ", "))
		}
		f, err := flowlog.ParseVPCFormat(s)
		if err != nil {
			return err
		}
		c.LogFormat = f
		return nil
	}},
	{"tagFields", "a JSON object from instance, network-interface or auto-scaling-group to one or two tag keys, e.g. {\"instance\":[\"Name\"]}, for the format's v11 tag fields (default none)", func(c *Config, raw any) error {
		m, err := asObject(raw, `{"instance":["Name"]}`)
		if err != nil {
			return err
		}
		tf := map[string][]string{}
		for rt, v := range m {
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%q: %v is not a list of tag keys", rt, v)
			}
			for _, k := range list {
				ks, ok := k.(string)
				if !ok {
					return fmt.Errorf("%q: tag key %v is not a string", rt, k)
				}
				tf[rt] = append(tf[rt], ks)
			}
		}
		c.TagFields = tf
		return nil
	}},
	{"retentionDays", "days CloudWatch Logs keeps records: " + retentionList() + " (default 365)", func(c *Config, raw any) error {
		n, err := asNumber(raw)
		if err != nil {
			return err
		}
		c.RetentionDays = n
		return loggroup.ValidateRetentionDays("", n)
	}},
	{"removalPolicy", "retain or destroy: what happens to the log group and buckets on stack deletion (default retain)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		switch strings.ToLower(s) {
		case "retain":
			c.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
		case "destroy":
			c.RemovalPolicy = awscdk.RemovalPolicy_DESTROY
		default:
			return fmt.Errorf("%q is not allowed; use retain or destroy", s)
		}
		return nil
	}},
	{"tags", "a JSON object of tag keys to values, put on every resource (default none)", func(c *Config, raw any) error {
		m, err := asObject(raw, `{"team":"netsec"}`)
		if err != nil {
			return err
		}
		tags := map[string]string{}
		for k, v := range m {
			s, ok := v.(string)
			if !ok || k == "" || strings.HasPrefix(strings.ToLower(k), "aws:") {
				return fmt.Errorf("tag %q=%v is not allowed; keys must be non-empty, not start with aws:, and values must be strings", k, v)
			}
			tags[k] = s
		}
		c.Tags = tags
		return nil
	}},
	{"s3KeyPrefix", "a folder in the bucket for the logs, not AWSLogs (default none)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		c.S3KeyPrefix = s
		return flowlogs.ValidateKeyPrefix("", s)
	}},
	{"s3FileFormat", "plain-text or parquet (default plain-text)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		c.S3FileFormat = s
		return flowlogs.ValidateFileFormat("", s)
	}},
	{"s3HiveCompatiblePartitions", "true or false (default false)", func(c *Config, raw any) (err error) {
		c.S3HiveCompatiblePartitions, err = asBool(raw)
		return err
	}},
	{"s3PerHourPartition", "true or false (default false)", func(c *Config, raw any) (err error) {
		c.S3PerHourPartition, err = asBool(raw)
		return err
	}},
	{"vpcCidr", "the VPC's IPv4 CIDR, /16 to /28 (default 10.0.0.0/16)", func(c *Config, raw any) (err error) {
		c.VpcCidr, err = asString(raw)
		return err
	}},
	{"maxAzs", "Availability Zones, 1 or more (default 2)", func(c *Config, raw any) (err error) {
		c.MaxAzs, err = asNumber(raw)
		return err
	}},
	{"natGateways", "NAT gateways, 0 or more (default 0)", func(c *Config, raw any) (err error) {
		c.NatGateways, err = asNumber(raw)
		return err
	}},
	{"hardened", "true or false: KMS key with rotation for the log group and bucket, versioned buckets, Object Lock, EventBridge notifications (default false)", func(c *Config, raw any) (err error) {
		c.Hardened, err = asBool(raw)
		return err
	}},
	{"stackName", "the CloudFormation stack name (default VpcFlowLogs)",
		matching(stackNamePattern, "a letter then up to 127 letters, digits and hyphens", func(c *Config, s string) { c.StackName = s })},
	{"account", "a 12-digit AWS account ID (default: environment-agnostic)",
		matching(accountPattern, "a 12-digit account ID", func(c *Config, s string) { c.Account = s })},
	{"region", "an AWS Region such as eu-west-1 (default: environment-agnostic)",
		matching(regionPattern, "a Region name such as us-east-1", func(c *Config, s string) { c.Region = s })},
}

// ConfigFromContext reads every setting from node's context over DefaultConfig. It reports every
// bad value at once, each naming the context key, the value and what is allowed.
func ConfigFromContext(node constructs.Node) (Config, error) {
	get := func(key string) any { return node.TryGetContext(&key) }
	return configFrom(get)
}

// ConfigFromMap is ConfigFromContext for a plain map, as tests and tools hold context.
func ConfigFromMap(ctx map[string]any) (Config, error) {
	return configFrom(func(key string) any { return ctx[key] })
}

func configFrom(get func(string) any) (Config, error) {
	c := DefaultConfig()
	var errs []error
	for _, s := range settings {
		raw := get(s.key)
		if raw == nil {
			continue
		}
		if err := s.apply(&c, raw); err != nil {
			msg := strings.TrimSpace(err.Error())
			var te typeError
			if errors.As(err, &te) {
				msg += "; allowed: " + s.allowed
			}
			errs = append(errs, fmt.Errorf("context %s=%s: %s", s.key, show(raw), msg))
		}
	}
	if err := network.ValidateProps(&network.NetworkProps{Cidr: &c.VpcCidr, MaxAzs: &c.MaxAzs, NatGateways: &c.NatGateways}); err != nil {
		errs = append(errs, fmt.Errorf("context vpcCidr/maxAzs/natGateways: %w", err))
	}
	if err := flowlogs.ValidateTagFields(c.TagFields, c.LogFormat); err != nil {
		errs = append(errs, fmt.Errorf("context tagFields/logFormat: %w", err))
	}
	errs = append(errs, validateResourceConfig(&c)...)
	if !slices.Contains(c.Destinations, DestinationS3) && (c.S3KeyPrefix != "" || c.S3FileFormat != "plain-text" || c.S3HiveCompatiblePartitions || c.S3PerHourPartition) {
		errs = append(errs, fmt.Errorf("context s3* settings are given but destinations=%s has no s3; add s3 or drop them", strings.Join(c.Destinations, ",")))
	}
	if err := validateAnalytics(c); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

func show(raw any) string {
	if s, ok := raw.(string); ok {
		return strconv.Quote(s)
	}
	b, _ := json.Marshal(raw)
	return string(b)
}

func retentionList() string {
	days := loggroup.AllowedRetentionDays()
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ", ")
}

// Context values are strings when given with -c and JSON values when written in cdk.json.

// typeError is a value of the wrong kind; its message gets the setting's allowed values added.
type typeError string

func (e typeError) Error() string { return string(e) }

func asString(raw any) (string, error) {
	if s, ok := raw.(string); ok {
		return s, nil
	}
	return "", typeError(fmt.Sprintf("a %T is not a string", raw))
}

// asObject takes a JSON object, written in cdk.json or given as a string with -c; example is a
// valid value for the message.
func asObject(raw any, example string) (map[string]any, error) {
	switch v := raw.(type) {
	case map[string]any:
		return v, nil
	case string:
		m := map[string]any{}
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return nil, fmt.Errorf("not a JSON object (%v); use e.g. '%s'", err, example)
		}
		return m, nil
	}
	return nil, typeError(fmt.Sprintf("a %T is not a JSON object", raw))
}

// matching is a setting whose value is a string that must match re; want says what matches.
func matching(re *regexp.Regexp, want string, set func(*Config, string)) func(*Config, any) error {
	return func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		if !re.MatchString(s) {
			return fmt.Errorf("%q is not allowed; use %s", s, want)
		}
		set(c, s)
		return nil
	}
}

func asNumber(raw any) (float64, error) {
	switch v := raw.(type) {
	case float64:
		return v, nil
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return 0, typeError("not a number")
		}
		return n, nil
	}
	return 0, typeError(fmt.Sprintf("a %T is not a number", raw))
}

func asBool(raw any) (bool, error) {
	switch v := raw.(type) {
	case bool:
		return v, nil
	case string:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, typeError("not true or false")
		}
		return b, nil
	}
	return false, typeError(fmt.Sprintf("a %T is not true or false", raw))
}

// vpcPresetNames are the presets a VPC flow log can have: all but the transit gateway one.
func vpcPresetNames() []string {
	var out []string
	for _, name := range flowlog.PresetNames() {
		if f, _ := flowlog.Preset(name); f.InVPCFlowLogs() {
			out = append(out, name)
		}
	}
	return out
}
