// Package names turns catalogue names into the names CDK and AWS want, so every analytics
// construct derives child IDs and resource names alike.
package names

import "strings"

// PascalCase turns a kebab-case name into a construct ID: "rejected-ssh-rdp" becomes
// "RejectedSshRdp". Construct IDs fix logical IDs, so they must not change for a given name.
func PascalCase(kebab string) string {
	var b strings.Builder
	for _, part := range strings.Split(kebab, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
