package stacks

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/contributorinsights"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// The analytics parts the "analytics" context key names, and the destination each needs.
const (
	PartAthena              = "athena"
	PartLogsInsights        = "logs-insights"
	PartContributorInsights = "contributor-insights"
	PartAlarms              = "alarms"
	PartDashboard           = "dashboard"
)

// analyticsParts lists every part, in README order, with the destination it reads.
var analyticsParts = []struct{ name, destination string }{
	{PartAthena, DestinationS3},
	{PartLogsInsights, DestinationCloudWatchLogs},
	{PartContributorInsights, DestinationCloudWatchLogs},
	{PartAlarms, DestinationCloudWatchLogs},
	{PartDashboard, DestinationCloudWatchLogs},
}

func partNames() string {
	out := make([]string, len(analyticsParts))
	for i, p := range analyticsParts {
		out[i] = p.name
	}
	return strings.Join(out, ", ")
}

// AnalyticsConfig is the analytics over the flow logs (see stacks/analytics.go).
type AnalyticsConfig struct {
	// Parts names the parts to build; nil means every part the destinations support.
	Parts []string
	// Investigations names the catalogue investigations to save as Athena and Logs Insights
	// queries; nil means every one the log format can answer.
	Investigations []string
	// AthenaBytesScannedCutoff is the workgroup's per-query scan limit in bytes.
	AthenaBytesScannedCutoff float64
	// ContributorInsightsState is ENABLED or DISABLED.
	ContributorInsightsState string
	// Alarms changes flowlogalarms.DefaultAlarms, by counter name.
	Alarms map[string]flowlogalarms.AlarmOptions
	// AlarmEmails are subscribed to the alarm topic.
	AlarmEmails []string
	// AlarmTopicArn is an existing topic for the alarms instead of a new one.
	AlarmTopicArn string
}

// DefaultAnalyticsConfig turns on every part the destinations support.
func DefaultAnalyticsConfig() AnalyticsConfig {
	return AnalyticsConfig{
		AthenaBytesScannedCutoff: flowlogsathena.DefaultBytesScannedCutoff,
		ContributorInsightsState: "ENABLED",
	}
}

// AnalyticsParts returns the parts the stack builds: those named by the "analytics" key, or
// every part whose destination the flow logs have.
func (c Config) AnalyticsParts() []string {
	if c.Analytics.Parts != nil {
		return c.Analytics.Parts
	}
	var out []string
	for _, p := range analyticsParts {
		if slices.Contains(c.Destinations, p.destination) {
			out = append(out, p.name)
		}
	}
	return out
}

// HasPart reports whether the stack builds an analytics part.
func (c Config) HasPart(part string) bool { return slices.Contains(c.AnalyticsParts(), part) }

var topicArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$`)

// analyticsSettings are the analytics' context keys; they follow the other settings in the
// README's table.
var analyticsSettings = []setting{
	{"analytics", "off, or comma-separated " + partNames() + " (default: every part the destinations support: athena for s3, the others for cloudwatch-logs)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "off" || s == "none" {
			c.Analytics.Parts = []string{}
			return nil
		}
		var parts []string
		for _, p := range strings.Split(s, ",") {
			p = strings.TrimSpace(p)
			if !slices.ContainsFunc(analyticsParts, func(a struct{ name, destination string }) bool { return a.name == p }) {
				return fmt.Errorf("%q is not an analytics part; use off, or one or more of %s, comma-separated", p, partNames())
			}
			if slices.Contains(parts, p) {
				return fmt.Errorf("%q is listed twice", p)
			}
			parts = append(parts, p)
		}
		c.Analytics.Parts = parts
		return nil
	}},
	{"investigations", "comma-separated catalogue investigations to save as Athena and Logs Insights queries (default: every one the log format can answer; the README lists them)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		var names []string
		for _, n := range strings.Split(s, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return fmt.Errorf("no investigation named; leave the key out for all of them")
		}
		c.Analytics.Investigations = names
		return nil
	}},
	{"athenaBytesScannedCutoff", "the most bytes one Athena query may scan, at least 10000000 (default 10000000000, 10 GB)", func(c *Config, raw any) error {
		n, err := asNumber(raw)
		if err != nil {
			return err
		}
		c.Analytics.AthenaBytesScannedCutoff = n
		return flowlogsathena.ValidateBytesScannedCutoff("", n)
	}},
	{"contributorInsightsState", "ENABLED or DISABLED: whether the Contributor Insights rules run (default ENABLED)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		c.Analytics.ContributorInsightsState = s
		return contributorinsights.ValidateRuleState("", s)
	}},
	{"alarms", `a JSON object from counter name to {"threshold":N,"period":SECONDS,"evaluationPeriods":N} or "off", changing the default alarms, e.g. {"rejected":{"threshold":500},"nodata":"off"} (default: rejected-ssh-rdp 10 per hour, rejected 1000 per 5 minutes, nodata 100 per hour, skipdata 1 per hour)`, func(c *Config, raw any) error {
		m, err := asObject(raw, `{"rejected":{"threshold":500,"period":300}}`)
		if err != nil {
			return err
		}
		out := map[string]flowlogalarms.AlarmOptions{}
		for name, v := range m {
			if s, ok := v.(string); ok && s == "off" {
				out[name] = flowlogalarms.AlarmOptions{Off: true}
				continue
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%q: %s is neither an object nor \"off\"", name, show(v))
			}
			var o flowlogalarms.AlarmOptions
			for k, val := range obj {
				n, ok := val.(float64)
				if !ok {
					return fmt.Errorf("%q: %s %s is not a number", name, k, show(val))
				}
				switch k {
				case "threshold":
					o.Threshold = &n
				case "period":
					o.Period = &n
				case "evaluationPeriods":
					o.EvaluationPeriods = &n
				default:
					return fmt.Errorf("%q: %q is not an alarm option; use threshold, period, evaluationPeriods", name, k)
				}
			}
			out[name] = o
		}
		c.Analytics.Alarms = out
		return nil
	}},
	{"alarmEmails", "comma-separated e-mail addresses subscribed to the alarm topic; each must confirm (default none)", func(c *Config, raw any) error {
		s, err := asString(raw)
		if err != nil {
			return err
		}
		var emails []string
		for _, e := range strings.Split(s, ",") {
			e = strings.TrimSpace(e)
			if err := flowlogalarms.ValidateEmail("", e); err != nil {
				return err
			}
			emails = append(emails, e)
		}
		c.Analytics.AlarmEmails = emails
		return nil
	}},
	{"alarmTopicArn", "an existing SNS topic's ARN for the alarms instead of a new KMS-encrypted topic (default: a new topic)",
		matching(topicArnPattern, "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts", func(c *Config, s string) { c.Analytics.AlarmTopicArn = s })},
}

func init() { settings = append(settings, analyticsSettings...) }

// validateAnalytics checks the analytics settings against each other, the destinations, the
// log format and the traffic type: a part needs its destination, and investigations and alarms
// asked for by name must be ones the format can answer (the error names the fields it lacks) and
// the traffic type delivers records for.
func validateAnalytics(c Config) error {
	var errs []error
	a := c.Analytics
	if a.Parts != nil {
		for _, p := range a.Parts {
			for _, ap := range analyticsParts {
				if ap.name == p && !slices.Contains(c.Destinations, ap.destination) {
					errs = append(errs, fmt.Errorf("context analytics=%s: %s needs the %s destination, which destinations=%s lacks",
						strings.Join(a.Parts, ","), p, ap.destination, strings.Join(c.Destinations, ",")))
				}
			}
		}
	}
	if a.Investigations != nil {
		if _, err := investigations.SelectFor(c.LogFormat, c.TrafficType, a.Investigations...); err != nil {
			errs = append(errs, fmt.Errorf("context investigations=%s with logFormat=%s and trafficType=%s: %w", strings.Join(a.Investigations, ","), c.LogFormatName, c.TrafficType, err))
		}
	}
	if len(a.Alarms) > 0 {
		if err := flowlogalarms.ValidateAlarms("alarms", a.Alarms, c.LogFormat, c.TrafficType); err != nil {
			errs = append(errs, fmt.Errorf("context %w", err))
		}
	}
	if a.AlarmTopicArn != "" && len(a.AlarmEmails) > 0 {
		errs = append(errs, fmt.Errorf("context alarmEmails and alarmTopicArn are both given; subscribe the addresses to that topic where it is managed, or drop alarmTopicArn"))
	}
	if !c.HasPart(PartAlarms) && (len(a.Alarms) > 0 || len(a.AlarmEmails) > 0 || a.AlarmTopicArn != "") {
		errs = append(errs, fmt.Errorf("context alarms/alarmEmails/alarmTopicArn are given but the alarms part is off (analytics=%s, destinations=%s)",
			strings.Join(c.AnalyticsParts(), ","), strings.Join(c.Destinations, ",")))
	}
	return errors.Join(errs...)
}
