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
	// The jsii kernel runs on the machine's Node.js; on Node 20 it prints an end-of-life banner
	// on every start. It is noise in test output, and the variable takes the major version.
	if os.Getenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION") == "" {
		os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	}
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
