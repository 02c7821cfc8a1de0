// Package test synthesizes the app and its variants, compares the templates with committed golden
// snapshots, and asserts every promise the constructs make. All CDK tests live in this one package
// because each test process that synthesizes pays for its own jsii node child.
package test

import (
	"flag"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

var update = flag.Bool("update", false, "rewrite the golden templates in testdata/")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
