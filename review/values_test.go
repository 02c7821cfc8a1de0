package review

import (
	"strings"
	"testing"
)

// A Ref to a parameter is checked against every value the parameter allows
// (or its Default), an Fn::If against both branches; a value that cannot be
// known offline is an info note, never an error.
func TestParametersAndConditions(t *testing.T) {
	params := "Parameters:\n" +
		"  Interval: { Type: Number, Default: 600, AllowedValues: [60, 600] }\n" +
		"  BadInterval: { Type: Number, Default: 60, AllowedValues: [60, 120] }\n" +
		"  Traffic: { Type: String, Default: ALL }\n" +
		"  Free: { Type: String }\n" +
		"Conditions:\n  IsProd: !Equals [!Ref AWS::AccountId, \"111122223333\"]\n"
	for _, c := range []struct {
		name  string
		pairs []string
		want  string // "" for no finding; otherwise "severity rule words"
	}{
		{"interval from AllowedValues", []string{"MaxAggregationInterval: 60\n", "MaxAggregationInterval: !Ref Interval\n"}, ""},
		{"traffic type from Default", []string{"      TrafficType: ALL\n", "      TrafficType: !Ref Traffic\n"}, ""},
		{"retention from Fn::If", []string{"RetentionInDays: 365", "RetentionInDays: !If [IsProd, 365, 30]"}, ""},
		{"interval with a value EC2 rejects", []string{"MaxAggregationInterval: 60\n", "MaxAggregationInterval: !Ref BadInterval\n"},
			"error PROJECT.FLOW_LOG_MAX_AGGREGATION_INTERVAL 120 (parameter BadInterval's AllowedValues)"},
		{"traffic type in one branch EC2 rejects", []string{"      TrafficType: ALL\n", "      TrafficType: !If [IsProd, ALL, all]\n"},
			"error PROJECT.FLOW_LOG_TRAFFIC_TYPE all (condition IsProd false)"},
		{"retention absent in one branch", []string{"RetentionInDays: 365", "RetentionInDays: !If [IsProd, 365, !Ref AWS::NoValue]"},
			"medium PROJECT.LOG_GROUP_RETENTION may be no value"},
		{"traffic type known only at deploy time", []string{"      TrafficType: ALL\n", "      TrafficType: !Ref Free\n"},
			"info PROJECT.FLOW_LOG_TRAFFIC_TYPE cannot be checked offline"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tpl := variant(t, append([]string{"Resources:\n", params + "Resources:\n"}, c.pairs...)...)
			fs := Check(tpl)
			if c.want == "" {
				if len(fs) != 0 {
					t.Errorf("findings %v; want none", fs)
				}
				return
			}
			sev, rest, _ := strings.Cut(c.want, " ")
			rule, words, _ := strings.Cut(rest, " ")
			if len(fs) != 1 || fs[0].Severity.String() != sev || fs[0].Rule != rule || !strings.Contains(fs[0].Message, words) {
				t.Errorf("findings %v; want one %s %s saying %q", fs, sev, rule, words)
			}
		})
	}
}

// A property set from a parameter is described as written with the values it
// may take, not as "not set".
func TestExplainShowsParameterValues(t *testing.T) {
	tpl := variant(t, "Resources:\n", "Parameters:\n  Interval: { Type: Number, Default: 600, AllowedValues: [60, 600] }\nResources:\n",
		"MaxAggregationInterval: 60\n", "MaxAggregationInterval: !Ref Interval\n")
	for _, fl := range Explain(tpl).FlowLogs {
		if fl.LogicalID != "CwlFlowLog" {
			continue
		}
		if fl.IntervalWritten != "${Interval} (60 or 600)" {
			t.Errorf("IntervalWritten = %q", fl.IntervalWritten)
		}
		if got := captureLine(fl); !strings.Contains(got, "aggregation interval ${Interval} (60 or 600) s") {
			t.Errorf("capture line %q", got)
		}
	}
}
