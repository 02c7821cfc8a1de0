// Package report renders flow-log answers as one self-contained HTML page:
// totals, charts and, under every chart, the same numbers as a table.
//
// # Why server-side SVG
//
// The charts are SVG elements written by Go, with no script in the page:
// html/template lays out the page's skeleton, and the sections, their
// charts and tables, nearly all of its elements, are appended by Go code that
// escapes every text exactly as the template would (htmlBuf), because a
// reflect call per template action made drawing the page cost as much as
// a tenth of counting its records. We chose this over embedding a chart
// library because:
//
//   - the page must open offline, forever, from an e-mail attachment or an
//     incident ticket: no CDN, no fonts, no scripts to go stale or be
//     blocked by a content-security policy;
//   - there is nothing to fail at view time: no script errors, no blank
//     chart when JavaScript is off, and the browser test checks exactly
//     what the user sees;
//   - SVG prints as vectors and scales to any screen; geometry is given in
//     percentages of the chart's width and text in CSS pixels, so labels
//     keep their size on a phone instead of shrinking with the drawing;
//   - hover details come from SVG <title> elements, which browsers show
//     natively and screen readers read;
//   - it adds no dependency and costs microseconds: the page is a few
//     dozen marks per chart, because every chart is a top-N plus "other"
//     (or a bounded number of time buckets) however large the input.
//
// # One computation, two views
//
// A [Plan] is the report's summary.Spec: the filter, the top-N tables of
// `flowlog summarize --by src,dst,pair` and the catalogue's
// investigations behind the other charts. Each goroutine feeds a
// [Collector] of the plan (a summary.Summarizer); the collectors are
// merged; [Build] turns the merged summary into a [Page], plain data
// (cards, sections, charts, tables), and [Write] renders it. So the page
// shows the numbers `flowlog summarize --json` prints for the same inputs,
// filters and tables: the same code computed them.
package report
