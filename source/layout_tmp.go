package source

import (
	"fmt"
	"strings"
	"time"
)

// dayDirs lists the day folders of the range (listing a day folder also
// lists its hour folders).
func dayDirs(root string, hive bool, acct, region string, since, until time.Time) []string {
	var out []string
	for d := since.UTC().Truncate(24 * time.Hour); !d.After(until); d = d.Add(24 * time.Hour) {
		if hive {
			out = append(out, fmt.Sprintf("%saws-account-id=%s/aws-service=vpcflowlogs/aws-region=%s/year=%04d/month=%02d/day=%02d/", root, acct, region, d.Year(), d.Month(), d.Day()))
		} else {
			out = append(out, fmt.Sprintf("%s%s/vpcflowlogs/%s/%04d/%02d/%02d/", root, acct, region, d.Year(), d.Month(), d.Day()))
		}
	}
	_ = strings.TrimSuffix
	return out
}
