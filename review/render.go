package review

import (
	"fmt"
	"io"
	"strings"
)

// Counts returns how many findings there are of each severity, most severe first,
// as "0 error, 1 high, ...".
func Counts(fs []Finding) string {
	n := make([]int, len(severityNames))
	for _, f := range fs {
		n[f.Severity]++
	}
	var parts []string
	for s := SeverityError; s >= SeverityInfo; s-- {
		parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// WriteText writes reports for a terminal.
func WriteText(w io.Writer, reps []Report) error {
	ew := &errWriter{w: w}
	for i, rep := range reps {
		if i > 0 {
			ew.printf("\n")
		}
		ew.printf("%s: %s, %s (%s)\n", rep.Template, plural(len(rep.FlowLogs), "flow log", "flow logs"),
			plural(len(rep.Findings), "finding", "findings"), Counts(rep.Findings))
		shown := map[string]bool{}
		formats := map[string]string{} // decoded field list -> first flow log with it
		for _, fl := range rep.FlowLogs {
			ew.printf("\n")
			key := fieldList(fl.Format)
			writeFlowLogText(ew, fl, formats[key])
			if _, ok := formats[key]; !ok && key != "" {
				formats[key] = fl.LogicalID
			}
			for _, f := range fl.Findings {
				shown[findingKey(f)] = true
			}
		}
		var rest []Finding
		for _, f := range rep.Findings {
			if !shown[findingKey(f)] {
				rest = append(rest, f)
			}
		}
		if len(rest) > 0 {
			ew.printf("\nother findings\n")
			for _, f := range rest {
				ew.printf("  %s\n", findingLine(f))
			}
		}
	}
	return ew.err
}

func findingKey(f Finding) string {
	return f.Rule + "\x00" + f.LogicalID + "\x00" + f.Path + "\x00" + f.Message
}

func findingLine(f Finding) string {
	where := f.LogicalID
	if where == "" {
		where = "(template)"
	}
	line := fmt.Sprintf("%-6s %s %s: %s", f.Severity, f.Rule, where, f.Message)
	if f.Allowed {
		line += " [allowed: " + f.AllowReason + "]"
	}
	return line
}

func captureLine(fl FlowLogReport) string {
	tt := fl.TrafficType
	switch {
	case tt == "" && IsTransitGateway(fl.ResourceType):
		tt = "all transit gateway traffic"
	case tt == "":
		tt = "traffic type NOT SET"
	default:
		tt += " traffic"
	}
	iv := "aggregation interval not set"
	if fl.Interval > 0 {
		iv = fmt.Sprintf("%d s aggregation", fl.Interval)
	} else if fl.IntervalWritten != "" {
		iv = "aggregation interval " + fl.IntervalWritten + " s"
	}
	return tt + ", " + iv
}

func destinationLine(d Destination) string {
	s := d.Type + " -> " + d.Target
	if d.ResourceID != "" && !strings.Contains(d.Target, d.ResourceID) {
		s += " (" + d.ResourceID + ")"
	}
	if d.Type == DestS3 {
		opts := []string{d.FileFormat}
		if d.Hive {
			opts = append(opts, "Hive-compatible prefixes")
		}
		if d.PerHour {
			opts = append(opts, "hourly partitions")
		}
		if d.Prefix != "" {
			opts = append(opts, "prefix "+d.Prefix)
		}
		if d.OptionsCase != "" {
			opts = append(opts, "DestinationOptions in camelCase as CDK's ec2.FlowLog writes them")
		}
		s += " [" + strings.Join(opts, ", ") + "]"
	}
	return s
}

func formatLine(f FormatReport) string {
	switch {
	case f.Error != "":
		return "custom, NOT DECODED: " + f.Error + ": " + f.Written
	case !f.Checked && f.Default:
		return "AWS default"
	case !f.Checked:
		return "custom (" + f.Written + ")"
	case f.Default:
		return fmt.Sprintf("AWS default (v%d, %d fields)", f.Version, len(f.Fields))
	}
	return fmt.Sprintf("custom, v%d, %d fields", f.Version, len(f.Fields))
}

func statementLine(s StatementReport) string {
	var b strings.Builder
	b.WriteString(s.Effect)
	if s.Principal != "" {
		b.WriteString(" " + s.Principal)
	}
	if len(s.Actions) > 0 {
		b.WriteString(" " + strings.Join(s.Actions, ", "))
	}
	if len(s.Resources) > 0 {
		b.WriteString(" on " + strings.Join(s.Resources, ", "))
	}
	if len(s.Conditions) > 0 {
		b.WriteString(" if " + strings.Join(s.Conditions, " and "))
	} else if s.Principal != "" {
		b.WriteString(" (no conditions)")
	}
	return b.String()
}

func storageLine(s StorageReport) string {
	var parts []string
	switch s.Type {
	case TypeLogGroup:
		if s.RetentionWritten != "" {
			parts = append(parts, "retention "+s.RetentionWritten)
		} else if s.RetentionDays > 0 {
			parts = append(parts, fmt.Sprintf("retention %d days", s.RetentionDays))
		} else {
			parts = append(parts, "retention NEVER EXPIRES")
		}
		parts = append(parts, "class "+s.LogGroupClass)
	case TypeBucket:
		if lc := s.Lifecycle; lc != nil {
			for _, t := range lc.Transitions {
				parts = append(parts, fmt.Sprintf("%s after %d days", t.StorageClass, t.Days))
			}
			if lc.ExpirationDays > 0 {
				parts = append(parts, fmt.Sprintf("expires after %d days", lc.ExpirationDays))
			} else {
				parts = append(parts, "objects NEVER EXPIRE")
			}
		}
		parts = append(parts, "versioning "+s.Versioning)
		if s.ObjectLock {
			parts = append(parts, "Object Lock")
		}
		if !s.PublicAccessBlocked {
			parts = append(parts, "public access NOT fully blocked")
		}
	}
	parts = append(parts, "encryption "+s.Encryption, "DeletionPolicy "+s.DeletionPolicy)
	parts = append(parts, s.Notes...)
	return strings.Join(parts, ", ")
}

func storageName(t string) string {
	switch t {
	case TypeLogGroup:
		return "log group"
	case TypeBucket:
		return "bucket"
	case TypeStream:
		return "stream"
	}
	return t
}

// fieldList is a key for a decoded format with its tag keys ("" when not decoded).
func fieldList(f FormatReport) string {
	var b strings.Builder
	for _, x := range f.Fields {
		b.WriteString(x.Name + "=" + x.TagKey + " ")
	}
	return b.String()
}

// writeFlowLogText writes one flow log; sameFieldsAs names an earlier flow
// log with the same decoded fields, which are then not listed again.
func writeFlowLogText(ew *errWriter, fl FlowLogReport, sameFieldsAs string) {
	target := fl.Resource
	if fl.ResourceKind != "" {
		target += " (" + fl.ResourceKind + ")"
	}
	ew.printf("%s: flow log on %s %s\n", fl.LogicalID, fl.ResourceType, target)
	ew.printf("  capture      %s\n", captureLine(fl))
	ew.printf("  destination  %s\n", destinationLine(fl.Destination))
	ew.printf("  format       %s\n", formatLine(fl.Format))
	if sameFieldsAs != "" {
		ew.printf("    the same fields as %s\n", sameFieldsAs)
	}
	for _, f := range fl.Format.Fields {
		if sameFieldsAs != "" {
			break
		}
		tag := ""
		if f.TagKey != "" {
			tag = " [tag key " + f.TagKey + "]"
		}
		ew.printf("    %-26s v%-2d %s%s\n", f.Name, f.Version, short(f.Description), tag)
	}
	for _, tk := range fl.Format.TagKeys {
		ew.printf("    tag keys of %s: %s\n", tk.ResourceType, strings.Join(tk.Keys, ", "))
	}
	for _, c := range fl.Format.Comments {
		ew.printf("    %s\n", c)
	}
	if r := fl.Delivery; r != nil {
		name := r.Ref
		if r.LogicalID != "" {
			name = r.LogicalID
		}
		ew.printf("  delivery     role %s\n", name)
		for _, s := range r.Trust {
			ew.printf("    trust      %s\n", statementLine(s))
		}
		for _, s := range r.Permissions {
			ew.printf("    may        %s\n", statementLine(s))
		}
		for _, m := range r.Managed {
			ew.printf("    managed    %s\n", m)
		}
	}
	if fl.CrossAccount != "" {
		ew.printf("  cross-account role %s\n", fl.CrossAccount)
	}
	for _, s := range fl.Storage {
		ew.printf("  %-12s %s: %s\n", storageName(s.Type), s.LogicalID, storageLine(s))
		for _, p := range s.Policy {
			ew.printf("    policy     %s\n", statementLine(p))
		}
	}
	if len(fl.Analytics) == 0 {
		ew.printf("  analytics    none in this template\n")
	}
	for _, a := range fl.Analytics {
		ew.printf("  analytics    %s (%s): %s\n", a.LogicalID, a.Type, a.Summary)
	}
	if len(fl.Findings) == 0 {
		ew.printf("  findings     none\n")
	}
	for _, f := range fl.Findings {
		ew.printf("  finding      %s\n", findingLine(f))
	}
}

// short cuts a description to one terminal line.
func short(s string) string {
	if r := []rune(s); len(r) > 88 {
		return string(r[:85]) + "..."
	}
	return s
}

// WriteMarkdown writes reports as a pull-request comment.
func WriteMarkdown(w io.Writer, reps []Report) error {
	ew := &errWriter{w: w}
	for _, rep := range reps {
		ew.printf("### `flowlog review` of %s\n\n", mdCode(rep.Template))
		ew.printf("%s, %s (%s).\n\n", plural(len(rep.FlowLogs), "flow log", "flow logs"), plural(len(rep.Findings), "finding", "findings"), Counts(rep.Findings))
		if len(rep.Findings) > 0 {
			ew.printf("| severity | rule | resource | reason |\n| --- | --- | --- | --- |\n")
			for _, f := range rep.Findings {
				msg := f.Message
				if f.Allowed {
					msg += " (allowed: " + f.AllowReason + ")"
				}
				ew.printf("| %s | %s | %s | %s |\n", f.Severity, mdCode(f.Rule), mdCode(orDefault(f.LogicalID, "(template)")), mdEscape(msg))
			}
			ew.printf("\n")
		}
		for _, fl := range rep.FlowLogs {
			ew.printf("#### %s: %s %s\n\n", mdCode(fl.LogicalID), mdEscape(fl.ResourceType), mdCode(fl.Resource))
			ew.printf("- **capture**: %s\n", mdEscape(captureLine(fl)))
			ew.printf("- **destination**: %s\n", mdEscape(destinationLine(fl.Destination)))
			if r := fl.Delivery; r != nil {
				ew.printf("- **delivery role**: %s\n", mdCode(orDefault(r.LogicalID, r.Ref)))
				for _, s := range r.Trust {
					ew.printf("  - trust: %s\n", mdEscape(statementLine(s)))
				}
				for _, s := range r.Permissions {
					ew.printf("  - may: %s\n", mdEscape(statementLine(s)))
				}
			}
			for _, s := range fl.Storage {
				ew.printf("- **%s** %s: %s\n", mdEscape(storageName(s.Type)), mdCode(s.LogicalID), mdEscape(storageLine(s)))
				for _, p := range s.Policy {
					ew.printf("  - policy: %s\n", mdEscape(statementLine(p)))
				}
			}
			for _, a := range fl.Analytics {
				ew.printf("- **analytics** %s (%s): %s\n", mdCode(a.LogicalID), mdEscape(a.Type), mdEscape(a.Summary))
			}
			ew.printf("- **format**: %s\n", mdEscape(formatLine(fl.Format)))
			if len(fl.Format.Fields) > 0 {
				ew.printf("\n<details><summary>%d fields</summary>\n\n| field | version | meaning |\n| --- | --- | --- |\n", len(fl.Format.Fields))
				for _, f := range fl.Format.Fields {
					desc := f.Description
					if f.TagKey != "" {
						desc += " (tag key " + f.TagKey + ")"
					}
					ew.printf("| %s | %d | %s |\n", mdCode(f.Name), f.Version, mdEscape(desc))
				}
				ew.printf("\n</details>\n")
			}
			ew.printf("\n")
		}
	}
	return ew.err
}

// mdEscape makes template text safe in a Markdown table cell or list item
// of a pull-request comment: a newline becomes a space (so no heading, list
// or table row can start inside it), and the characters that would end a
// cell or start a code span, link, emphasis or HTML are escaped.
func mdEscape(s string) string {
	return mdReplacer.Replace(oneLine(s))
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "`", "\\`", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "#", `\#`, "~", `\~`)

// mdCode renders template text as a code span that is safe in a table cell:
// one line, a pipe escaped (GFM splits cells before code spans), and fenced
// with more backticks than it contains.
func mdCode(s string) string {
	s = strings.ReplaceAll(oneLine(s), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || len(fence) > 1 {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// oneLine turns every line break (and other control characters) into a space.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
}

// errWriter keeps the first write error so renderers can print freely.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
