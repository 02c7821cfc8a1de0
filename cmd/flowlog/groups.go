package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// groupNames are the short names of `summarize --by`; any field name of
// the registry works too (see 'flowlog fields'), and '+' joins several
// into one key (src+dstport).
var groupNames = map[string][]flowlog.Field{
	"src":         {flowlog.SrcAddr},
	"dst":         {flowlog.DstAddr},
	"pair":        {flowlog.SrcAddr, flowlog.DstAddr},
	"srcport":     {flowlog.SrcPort},
	"dstport":     {flowlog.DstPort},
	"port":        {flowlog.DstPort},
	"protocol":    {flowlog.Protocol},
	"interface":   {flowlog.InterfaceID},
	"action":      {flowlog.Action},
	"status":      {flowlog.LogStatus},
	"direction":   {flowlog.FlowDirection},
	"path":        {flowlog.TrafficPath},
	"src-service": {flowlog.PktSrcAWSService},
	"dst-service": {flowlog.PktDstAWSService},
	"service":     {flowlog.PktDstAWSService},
	"instance":    {flowlog.InstanceID},
	"subnet":      {flowlog.SubnetID},
	"vpc":         {flowlog.VpcID},
	"account":     {flowlog.AccountID},
	"az":          {flowlog.AZID},
}

// parseGroup parses one --by value.
func parseGroup(s string) ([]flowlog.Field, error) {
	var out []flowlog.Field
	for part := range strings.SplitSeq(s, "+") {
		part = strings.TrimSpace(part)
		if fs, ok := groupNames[part]; ok {
			out = append(out, fs...)
			continue
		}
		if f, ok := flowlog.FieldByName(part); ok {
			out = append(out, f)
			continue
		}
		if f, ok := flowlog.FieldByColumn(part); ok {
			out = append(out, f)
			continue
		}
		return nil, fmt.Errorf("--by %q: unknown group %q: want one of %s, or a field name (flowlog fields)", s, part, strings.Join(groupList(), ", "))
	}
	return out, nil
}

func groupList() []string {
	var names []string
	for n := range groupNames {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
