package review

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

//go:embed prices.json
var pricesJSON []byte

// PriceTable is a dated, cited price table for one Region (prices.json).
type PriceTable struct {
	Region      string           `json:"region"`
	Currency    string           `json:"currency"`
	Retrieved   string           `json:"retrieved"`
	Note        string           `json:"note"`
	Assumptions Assumptions      `json:"assumptions"`
	Prices      map[string]Price `json:"prices"`
	// Unpriced are the analytics resource types that have no monthly
	// price of their own, by CloudFormation type, each with the reason.
	Unpriced map[string]Unpriced `json:"unpriced"`
}

// Unpriced says why an analytics resource type is not in the monthly figures.
type Unpriced struct {
	Reason string `json:"reason"`
	Source string `json:"source"`
}

// analyticsPrices maps the analytics resource types that have a monthly
// price to their key in the price table; every other analytics type must be
// in the table's Unpriced, so that none is left out silently.
var analyticsPrices = map[string]string{
	"AWS::CloudWatch::InsightRule": "cw.insightrule",
	"AWS::CloudWatch::Alarm":       "cw.alarm",
	"AWS::Logs::MetricFilter":      "cw.metric",
	"AWS::CloudWatch::Dashboard":   "cw.dashboard",
}

// Assumptions are the volumes the estimate cannot read from a template.
type Assumptions struct {
	DaysPerMonth        float64 `json:"daysPerMonth"`
	GBPerTB             float64 `json:"gbPerTB"`
	GzipRatio           float64 `json:"gzipRatio"` // stored (compressed) GB per delivered GB
	ParquetVsGzip       float64 `json:"parquetVsGzip"`
	S3ObjectsPerDay     float64 `json:"s3ObjectsPerDay"`
	NoExpiryHorizonDays float64 `json:"noExpiryHorizonDays"`
}

// Price is one priced item: a flat USD per unit, or volume tiers.
type Price struct {
	What     string  `json:"what"`
	Unit     string  `json:"unit"`
	USD      float64 `json:"usd"`
	Tiers    []Tier  `json:"tiers,omitempty"`
	Source   string  `json:"source"`
	Verified string  `json:"verified"`          // how the figure was checked; "" = unverified
	Checked  string  `json:"checked,omitempty"` // for an unverified figure: what was searched
}

// Tier prices the volume up to UpToTB (0: the rest) within a month.
type Tier struct {
	UpToTB float64 `json:"upToTB,omitempty"`
	USD    float64 `json:"usd"`
}

// DefaultPrices returns the embedded us-east-1 table (prices.json).
func DefaultPrices() PriceTable {
	t, err := ParsePrices(pricesJSON)
	if err != nil {
		panic(err) // the embedded table is checked by the package tests
	}
	return t
}

// ErrPriceTable is wrapped by errors about a price table that cannot be used.
var ErrPriceTable = errors.New("bad price table")

// requiredPrices are the items [Estimate] prices.
var requiredPrices = []string{
	"vended.cwl", "vended.s3", "vended.firehose", "vended.parquet", "firehose.vended", "cwl.storage", "cwl.insights",
	"s3.STANDARD", "s3.STANDARD_IA", "s3.GLACIER_IR", "s3.GLACIER", "s3.DEEP_ARCHIVE", "s3.put",
	"s3.transition.STANDARD_IA", "s3.transition.GLACIER_IR", "s3.transition.GLACIER", "s3.transition.DEEP_ARCHIVE",
	"kms.key", "athena.scan", "cw.insightrule", "cw.alarm", "cw.metric", "cw.dashboard",
}

// ParsePrices reads a price table in the format of prices.json, for another
// Region or another date. Every item [Estimate] uses must be priced, and the
// table must name its Region, date and assumptions.
func ParsePrices(data []byte) (PriceTable, error) {
	var t PriceTable
	if err := json.Unmarshal(data, &t); err != nil {
		return PriceTable{}, fmt.Errorf("%w: %v", ErrPriceTable, err)
	}
	a := t.Assumptions
	if t.Region == "" || t.Retrieved == "" || a.DaysPerMonth <= 0 || a.GBPerTB <= 0 || a.GzipRatio <= 0 || a.ParquetVsGzip <= 0 || a.NoExpiryHorizonDays <= 0 {
		return PriceTable{}, fmt.Errorf("%w: region, retrieved and every assumption must be set", ErrPriceTable)
	}
	for _, k := range requiredPrices {
		p, ok := t.Prices[k]
		if !ok || (p.USD <= 0 && len(p.Tiers) == 0) {
			return PriceTable{}, fmt.Errorf("%w: no price for %s", ErrPriceTable, k)
		}
	}
	for ty := range analyticsTypes {
		if _, priced := analyticsPrices[ty]; !priced && t.Unpriced[ty].Reason == "" {
			return PriceTable{}, fmt.Errorf("%w: analytics type %s is neither priced nor in unpriced with a reason", ErrPriceTable, ty)
		}
	}
	return t, nil
}

// tiered prices gb of monthly volume through the tiers.
func (p Price) tiered(gb, gbPerTB float64) float64 {
	if len(p.Tiers) == 0 {
		return gb * p.USD
	}
	var usd, done float64
	for _, t := range p.Tiers {
		limit := math.Inf(1)
		if t.UpToTB > 0 {
			limit = t.UpToTB * gbPerTB
		}
		if gb <= done {
			break
		}
		n := math.Min(gb, limit) - done
		usd += n * t.USD
		done += n
	}
	return usd
}

// CostLine is one priced item of an estimate.
type CostLine struct {
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	USD      float64 `json:"usd"`
	Price    string  `json:"price"` // key in the price table
	Note     string  `json:"note,omitempty"`
	Verified bool    `json:"verified"`
}

// FlowLogCost is the monthly estimate for one flow log.
type FlowLogCost struct {
	Template   string          `json:"template"`
	FlowLog    string          `json:"flowLog"`
	Lines      []CostLine      `json:"lines"`
	MonthlyUSD float64         `json:"monthlyUsd"`
	PerQuery   []CostLine      `json:"perQuery,omitempty"`  // what one query over a day of logs costs
	NotPriced  []NotPricedLine `json:"notPriced,omitempty"` // analytics resources without a monthly price
}

// NotPricedLine is an analytics resource of a flow log that the monthly
// figures leave out, and why.
type NotPricedLine struct {
	Resource string `json:"resource"`
	Type     string `json:"type"`
	Reason   string `json:"reason"`
}

// CostEstimate is the result of [Estimate]. It is an estimate from list
// prices and stated assumptions, not a quote.
type CostEstimate struct {
	GBPerDay    float64       `json:"gbPerDay"`
	Region      string        `json:"region"`
	PricesDate  string        `json:"pricesRetrieved"`
	FlowLogs    []FlowLogCost `json:"flowLogs"`
	TotalUSD    float64       `json:"totalMonthlyUsd"`
	Assumptions []string      `json:"assumptions"`
	Unverified  []string      `json:"unverifiedPrices,omitempty"`
}

// Estimate prices every flow log of the reports for gbPerDay of flow-log
// records delivered per flow log per day. Vended-log volume tiers apply to
// the account's monthly total per destination type and are shared out in
// proportion to volume; KMS keys and analytics resources shared by several
// flow logs are shared out evenly. Templates are needed for the analytics
// resources' details.
func Estimate(reps []Report, gbPerDay float64, prices PriceTable) CostEstimate {
	a := prices.Assumptions
	est := CostEstimate{GBPerDay: gbPerDay, Region: prices.Region, PricesDate: prices.Retrieved}
	monthGB := gbPerDay * a.DaysPerMonth
	est.Assumptions = []string{
		fmt.Sprintf("%g GB of flow-log records a day per flow log, %g days a month", gbPerDay, a.DaysPerMonth),
		fmt.Sprintf("stored (gzip) size %.0f%% of delivered volume; Parquet %.0f%% of that", a.GzipRatio*100, a.ParquetVsGzip*100),
		fmt.Sprintf("storage at steady state under the retention and lifecycle; data kept forever is priced after %g days", a.NoExpiryHorizonDays),
		"free tiers, requests to KMS, Logs Insights and Athena queries (shown per query), and data transfer are not in the monthly figures",
	}
	// Account volume per destination type, for the tiers.
	volume := map[string]float64{}
	var all []FlowLogReport
	var tpl []string
	for _, r := range reps {
		for _, fl := range r.FlowLogs {
			volume[fl.Destination.Type] += monthGB
			all = append(all, fl)
			tpl = append(tpl, r.Template)
		}
	}
	// Shared resources: KMS keys and analytics, counted once, shared evenly.
	users := map[string]int{}
	for _, fl := range all {
		for _, id := range sharedIDs(fl) {
			users[id]++
		}
	}
	unverified := map[string]bool{}
	for i, fl := range all {
		c := FlowLogCost{Template: tpl[i], FlowLog: fl.LogicalID}
		line := func(item, key string, qty float64, usd float64, note string) {
			p := prices.Prices[key]
			if p.Verified == "" {
				unverified[key] = true
			}
			c.Lines = append(c.Lines, CostLine{Item: item, Quantity: qty, Unit: p.Unit, USD: usd, Price: key, Note: note, Verified: p.Verified != ""})
		}
		flat := func(item, key string, qty float64, note string) {
			line(item, key, qty, qty*prices.Prices[key].USD, note)
		}
		d := fl.Destination
		key := map[string]string{DestCloudWatchLogs: "vended.cwl", DestS3: "vended.s3", DestFirehose: "vended.firehose"}[d.Type]
		if key != "" {
			total := volume[d.Type]
			share := 0.0 // --cost 0: no volume, and no 0/0
			if total > 0 {
				share = prices.Prices[key].tiered(total, a.GBPerTB) * monthGB / total
			}
			note := ""
			if total > monthGB {
				note = fmt.Sprintf("tiers over the %g GB all %d %s flow logs deliver", total, int(total/monthGB), d.Type)
			}
			line("vended-log delivery to "+d.Type, key, monthGB, share, note)
		}
		stored := gbPerDay * a.GzipRatio
		if d.Type == DestS3 && d.FileFormat == "parquet" {
			flat("Parquet conversion", "vended.parquet", monthGB, "")
			stored *= a.ParquetVsGzip
		}
		if d.Type == DestFirehose {
			flat("Firehose ingestion (vended logs)", "firehose.vended", monthGB, "the stream's own destination is not priced")
		}
		for _, s := range fl.Storage {
			switch s.Type {
			case TypeLogGroup:
				days, note := float64(s.RetentionDays), fmt.Sprintf("%d-day retention", s.RetentionDays)
				if days == 0 {
					days, note = a.NoExpiryHorizonDays, fmt.Sprintf("never expires: size after %g days, growing", a.NoExpiryHorizonDays)
				}
				if strings.HasPrefix(s.LogGroupClass, "INFREQUENT") {
					note += "; Infrequent Access class priced as Standard"
				}
				flat("CloudWatch Logs storage", "cwl.storage", stored*days, note)
			case TypeBucket:
				s3Storage(s, stored, a, flat)
				objects := a.S3ObjectsPerDay * a.DaysPerMonth
				flat("S3 PUT requests (log files)", "s3.put", objects/1000, fmt.Sprintf("%g objects a month", objects))
				if s.Lifecycle != nil {
					for _, t := range s.Lifecycle.Transitions {
						if s.Lifecycle.ExpirationDays == 0 || t.Days < s.Lifecycle.ExpirationDays {
							flat("S3 lifecycle transitions to "+t.StorageClass, "s3.transition."+classKey(t.StorageClass), objects/1000, "")
						}
					}
				}
			}
		}
		for _, id := range sharedIDs(fl) {
			share := 1 / float64(users[id])
			note := ""
			if users[id] > 1 {
				note = fmt.Sprintf("shared by %d flow logs", users[id])
			}
			ty := analyticType(fl, id)
			if kind := sharedKind(ty); kind != "" {
				flat(sharedItem(kind, id), kind, share*sharedCount(fl, id), note)
			} else {
				c.NotPriced = append(c.NotPriced, NotPricedLine{Resource: id, Type: ty, Reason: prices.Unpriced[ty].Reason})
			}
		}
		// Per query over one day of logs.
		switch d.Type {
		case DestCloudWatchLogs:
			p := prices.Prices["cwl.insights"]
			c.PerQuery = append(c.PerQuery, CostLine{Item: "Logs Insights query over one day", Quantity: gbPerDay, Unit: "GB", USD: gbPerDay * p.USD, Price: "cwl.insights", Verified: p.Verified != ""})
			if p.Verified == "" {
				unverified["cwl.insights"] = true
			}
		case DestS3:
			p := prices.Prices["athena.scan"]
			tb := stored / a.GBPerTB
			c.PerQuery = append(c.PerQuery, CostLine{Item: "Athena query over one day (all columns)", Quantity: tb, Unit: "TB", USD: tb * p.USD, Price: "athena.scan", Verified: p.Verified != ""})
			if p.Verified == "" {
				unverified["athena.scan"] = true
			}
		}
		for _, l := range c.Lines {
			c.MonthlyUSD += l.USD
		}
		est.TotalUSD += c.MonthlyUSD
		est.FlowLogs = append(est.FlowLogs, c)
	}
	for k := range unverified {
		est.Unverified = append(est.Unverified, k)
	}
	sort.Strings(est.Unverified)
	return est
}

// s3Storage prices the steady-state bytes in each storage class: objects
// spend [0, first transition) in Standard, then each class until the next
// transition or the expiration.
func s3Storage(s StorageReport, perDay float64, a Assumptions, flat func(string, string, float64, string)) {
	lc := Lifecycle{}
	if s.Lifecycle != nil {
		lc = *s.Lifecycle
	}
	end, note := float64(lc.ExpirationDays), fmt.Sprintf("expires after %d days", lc.ExpirationDays)
	if end == 0 {
		end, note = a.NoExpiryHorizonDays, fmt.Sprintf("never expires: size after %g days, growing", a.NoExpiryHorizonDays)
	}
	class, from := "STANDARD", 0.0
	steps := append(append([]Transition(nil), lc.Transitions...), Transition{Days: int(end)})
	for _, t := range steps {
		to := math.Min(float64(t.Days), end)
		if to > from {
			flat(fmt.Sprintf("S3 %s storage (days %g-%g)", class, from, to), "s3."+classKey(class), perDay*(to-from), note)
			from = to
		}
		if t.StorageClass != "" {
			class = t.StorageClass
		}
	}
}

// classKey maps a lifecycle StorageClass to a price: classes without their own
// price are priced as the nearest one.
func classKey(c string) string {
	switch c {
	case "STANDARD_IA", "ONEZONE_IA":
		return "STANDARD_IA"
	case "GLACIER", "GLACIER_IR", "DEEP_ARCHIVE":
		return c
	}
	return "STANDARD" // INTELLIGENT_TIERING and unknown classes: frequent-access price
}

// sharedIDs returns the KMS keys and analytics resources a flow log uses
// (an alarm topic's key included).
func sharedIDs(fl FlowLogReport) []string {
	var ids []string
	for _, s := range fl.Storage {
		if s.KMSKey != "" {
			ids = appendNew(ids, s.KMSKey)
		}
	}
	for _, a := range fl.Analytics {
		ids = appendNew(ids, a.LogicalID)
		if a.KMSKey != "" {
			ids = appendNew(ids, a.KMSKey)
		}
	}
	return ids
}

// analyticType returns the type of a shared resource: an analytics type, or
// TypeKey for a key.
func analyticType(fl FlowLogReport, id string) string {
	for _, a := range fl.Analytics {
		if a.LogicalID == id {
			return a.Type
		}
	}
	return TypeKey
}

// sharedKind returns the price of a shared resource type, "" when it has none.
func sharedKind(resourceType string) string {
	if resourceType == TypeKey {
		return "kms.key"
	}
	return analyticsPrices[resourceType]
}

// sharedCount is how many priced units a shared resource is (a metric
// filter publishes one metric per transformation).
func sharedCount(fl FlowLogReport, id string) float64 {
	for _, a := range fl.Analytics {
		if a.LogicalID == id && a.Metrics > 0 {
			return float64(a.Metrics)
		}
	}
	return 1
}

func sharedItem(kind, id string) string {
	return map[string]string{
		"kms.key": "KMS key", "cw.insightrule": "Contributor Insights rule", "cw.alarm": "CloudWatch alarm",
		"cw.metric": "custom metric from metric filter", "cw.dashboard": "CloudWatch dashboard",
	}[kind] + " " + id
}
