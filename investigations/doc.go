// Package investigations is the one catalogue of questions people ask of
// VPC flow logs, each defined once as data ([Investigation]: a filter
// [Cond], grouping keys, measures, order and limit) and rendered for
// every engine:
//
//   - Athena SQL (engine v3, Trino) over the table of package athena:
//     [Investigation.AthenaSQL];
//   - a CloudWatch Logs Insights query, with a generated parse clause for
//     formats other than the default: [Investigation.InsightsQuery];
//   - a Contributor Insights rule where the shape fits:
//     [Investigation.ContributorRule];
//   - the native Go evaluator over flowlog.Record, which the CLI runs
//     and every other engine is tested against: [Investigation.NewEvaluator],
//     or, for several tables over the same records, [NewSet], which counts
//     tables whose keys are among a wider table's once, in the wider one.
//
// Counters that alarm are metric filters ([Counter.MetricFilterPattern]).
//
// Everything derives from the flow log's format through the flowlog
// field registry, so a format change changes every rendering. An
// investigation needs only the fields it filters, groups and orders by
// ([Investigation.Needs]); its other sums are dropped for a format
// without their field ([Investigation.ForFormat], which every renderer
// applies). One whose fields the format lacks is skipped by [Select], or
// reported with the missing fields when asked for by name. What actions
// it can count comes from its filter ([Investigation.Actions],
// [Counter.Actions]), so a flow log of one traffic type gets nothing that
// can only be empty ([Available], [SelectFor], [AvailableCounters] say
// what they leave out and why, as [Dropped]). [Featured] names the
// investigations worth a continuous rendering (rules, widgets).
//
// Names changed from CATALOGUE-API.md: none. Additions:
// Investigation.Bind (binds parameters for engines without them),
// Columns, Validate, ContributorFit and AthenaSQLWhere (with
// athena.Table.PartitionPredicate); the Cond constructors (Equal, OneOf,
// Compare, Between, InPrefix, TimeRange, Present, ParamEqual, And, Or,
// Not); the Key constructors (By, HourOf, FamilyOf); InsightsField,
// InsightsParse, PatternField, LookupCounter, Counter.Needs/Missing.
package investigations
