package athena

import (
	"fmt"
	"strings"
	"time"
)

// MaxPredicateDays bounds PartitionPredicate: a longer range should filter
// on the partition columns with comparisons instead.
const MaxPredicateDays = 400

// PartitionPredicate returns a condition on the table's partition
// columns that selects exactly the objects of the days from since to
// until (both included, UTC), or of the hours for per-hour layouts. The
// values are listed explicitly, so Athena projects only those partitions
// instead of every day since ProjectionStart
// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
// Add it to a query's WHERE with AND.
//
// Objects are named and foldered by the end of the records' 5-minute
// window, so a record that starts just before since may sit in the first
// selected folder and one that ends just after until in the next one;
// combine with a condition on start or end for an exact time range.
func (t Table) PartitionPredicate(since, until time.Time) (string, error) {
	since, until = since.UTC(), until.UTC()
	if until.Before(since) {
		return "", fmt.Errorf("athena: PartitionPredicate: until %s is before since %s", until.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	day := func(t time.Time) time.Time { y, m, d := t.Date(); return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	first, last := day(since), day(until)
	if n := int(last.Sub(first).Hours()/24) + 1; n > MaxPredicateDays {
		return "", fmt.Errorf("athena: PartitionPredicate: %d days (at most %d)", n, MaxPredicateDays)
	}
	q := func(s string) string { return `"` + s + `"` }
	lit := func(s string) string { return "'" + s + "'" }
	var days []string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		var parts []string
		if t.Layout.Hive {
			parts = append(parts,
				q(PartYear)+" = "+lit(d.Format("2006")),
				q(PartMonth)+" = "+lit(d.Format("01")),
				q(PartDay)+" = "+lit(d.Format("02")))
		} else {
			parts = append(parts, q(PartDate)+" = "+lit(d.Format("2006/01/02")))
		}
		if t.Layout.PerHour {
			from, to := 0, 23
			if d.Equal(first) {
				from = since.Hour()
			}
			if d.Equal(last) {
				to = until.Hour()
			}
			if from > 0 || to < 23 {
				var hours []string
				for h := from; h <= to; h++ {
					hours = append(hours, lit(fmt.Sprintf("%02d", h)))
				}
				parts = append(parts, q(PartHour)+" IN ("+strings.Join(hours, ", ")+")")
			}
		}
		days = append(days, "("+strings.Join(parts, " AND ")+")")
	}
	if len(days) == 1 {
		return days[0], nil
	}
	return "(" + strings.Join(days, " OR ") + ")", nil
}

// RecentDaysPredicate returns a condition on the table's date partition
// columns that keeps the objects of today (UTC, Athena's current_date)
// and the days days before it, relative to when the query runs, so that
// a saved query reads a bounded window by default. It compares the
// folder's date as yyyy/MM/dd text: the "date" column of plain layouts,
// or year/month/day joined for Hive layouts (their projected values are
// zero-padded, so the text sorts as the date). The condition uses only
// partition columns, which Athena prunes on, with projection too
// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html).
// Objects are foldered by the end of their 5-minute window (see
// PartitionPredicate).
func (t Table) RecentDaysPredicate(days int) (string, error) {
	if days < 0 || days >= MaxPredicateDays {
		return "", fmt.Errorf("athena: RecentDaysPredicate: %d days (0 to %d)", days, MaxPredicateDays-1)
	}
	since := fmt.Sprintf("date_format(current_date - INTERVAL '%d' DAY, '%%Y/%%m/%%d')", days)
	if t.Layout.Hive {
		return `concat("` + PartYear + `", '/', "` + PartMonth + `", '/', "` + PartDay + `") >= ` + since, nil
	}
	return `"` + PartDate + `" >= ` + since, nil
}
