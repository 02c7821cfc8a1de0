package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

// synthesized is one synthesized variant of the app.
type synthesized struct {
	stack    stacks.VpcFlowLogsStack
	template assertions.Template
	json     map[string]any
}

// synthCache holds each synthesized variant by its overrides: every synth costs time, and the
// templates are only read.
var synthCache = map[string]synthesized{}

// synthApp builds the app as main.go does, with cdk.json's context plus overrides, and
// synthesizes it, once per set of overrides. It fails the test on a configuration error.
func synthApp(t testing.TB, overrides map[string]any) synthesized {
	t.Helper()
	key, err := json.Marshal(overrides)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := synthCache[string(key)]; ok {
		return s
	}
	s := synthFresh(t, overrides)
	synthCache[string(key)] = s
	return s
}

func synthFresh(t testing.TB, overrides map[string]any) synthesized {
	t.Helper()
	app, cfg, err := newApp(overrides)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	stack := stacks.NewVpcFlowLogsStack(app, jsii.String(cfg.StackName), &stacks.VpcFlowLogsStackProps{Config: &cfg})
	stacks.ApplyNag(stack)
	tpl := assertions.Template_FromStack(stack, nil)
	return synthesized{stack: stack, template: tpl, json: *tpl.ToJSON()}
}

func newApp(overrides map[string]any) (awscdk.App, stacks.Config, error) {
	ctx, err := cdktest.Context(overrides)
	if err != nil {
		return nil, stacks.Config{}, err
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	cfg, err := stacks.ConfigFromContext(app.Node())
	return app, cfg, err
}

// resourcesOfType returns the template's resources of one type, by logical ID.
func resourcesOfType(s synthesized, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.json["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// mustPanic runs f and returns the panic message, failing the test when f does not panic.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("did not panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

func wantAll(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("message %q\n does not contain %q", got, w)
		}
	}
}

// check runs a jsii assertion (which panics on failure) and turns its panic into a test error,
// so one failed assertion does not abort the whole test binary.
func check(t *testing.T, assertion func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Helper()
			t.Errorf("%v", r)
		}
	}()
	assertion()
}
