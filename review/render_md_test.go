package review

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// Template text in a pull-request comment stays inside its table cell or
// list item: a newline, pipe, backtick or HTML in any string cannot end a
// row, start a heading or table, or inject markup.
func TestMarkdownEscapesTemplateText(t *testing.T) {
	evil := "ALL\n\n</details>\n\n## No findings. Approved\n\n| a | b |"
	base := variant(t)
	head := variant(t,
		"      TrafficType: ALL\n", "      TrafficType: \""+strings.ReplaceAll(evil, "\n", `\n`)+"\"\n",
		"LogGroupName: /vpc/flow-logs", "LogGroupName: \"x`y <img src=x onerror=alert(1)> | [link](javascript:x)\"",
		"  CwlFlowLog:\n", "  \"Cwl`Flow|Log\":\n")
	var md bytes.Buffer
	if err := WriteMarkdown(&md, []Report{Explain(head)}); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffMarkdown(&md, Compare(base, head)); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	heading := regexp.MustCompile(`^#{1,6} `)
	for _, line := range strings.Split(out, "\n") {
		if heading.MatchString(line) && !strings.HasPrefix(line, "### `flowlog review` of") && !strings.HasPrefix(line, "#### ") && !strings.HasPrefix(line, "### Flow-log posture") {
			t.Errorf("injected heading: %q", line)
		}
		if line == "| a | b |" || line == "</details>" && !strings.Contains(out, "<details><summary>") {
			t.Errorf("injected line: %q", line)
		}
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "TrafficType") {
			// A findings row has exactly 5 unescaped pipes.
			if n := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1)); n != 5 {
				t.Errorf("findings row with %d cell separators: %q", n, line)
			}
		}
	}
	if strings.Contains(out, "<img") || strings.Contains(out, "](javascript") {
		t.Errorf("HTML or a link passed through:\n%s", out)
	}
	if !strings.Contains(out, "``") {
		t.Errorf("a logical ID with a backtick is not fenced with a longer fence:\n%s", out)
	}
}
