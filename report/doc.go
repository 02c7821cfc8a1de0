// Package report renders flow-log answers as one self-contained HTML page:
// totals, charts and, under every chart, the same numbers as a table.
//
// # Why server-side SVG
//
// The charts are SVG elements written by Go through html/template, with no
// script in the page. We chose this over embedding a chart library because:
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
// A Page is plain data (sections, charts, tables); [Write] renders it.
// [Build] makes a Page from the one pass over the records that
// `flowlog summarize` also uses, so the page and `summarize --json` show
// the same numbers.
package report
