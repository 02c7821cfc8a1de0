package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// fakeLogs answers FilterLogEvents (the awsJson1_1 protocol the SDK
// speaks) from a list of messages, three pages and an empty one, after one
// ThrottlingException.
type fakeLogs struct {
	mu        sync.Mutex
	msgs      []string
	requests  []map[string]any
	throttled int
}

func (f *fakeLogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if r.Header.Get("X-Amz-Target") != "Logs_20140328.FilterLogEvents" {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"InvalidOperationException","message":"unexpected"}`)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	json.Unmarshal(body, &in)
	f.requests = append(f.requests, in)
	if in["logGroupName"] != "/vpc/flow-logs" {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"ResourceNotFoundException","message":"The specified log group does not exist."}`)
		return
	}
	if f.throttled == 0 {
		f.throttled++
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"ThrottlingException","message":"Rate exceeded"}`)
		return
	}
	pages := map[string][2]any{"": {0, "p2"}, "p2": {len(f.msgs) / 3, "p3"}, "p3": {len(f.msgs) / 3, "p4"}, "p4": {2 * len(f.msgs) / 3, nil}}
	tok, _ := in["nextToken"].(string)
	p := pages[tok]
	from := p[0].(int)
	to := len(f.msgs)
	if p[1] != nil {
		to = pages[p[1].(string)][0].(int)
	}
	var events []map[string]any
	for i := from; i < to; i++ {
		events = append(events, map[string]any{"eventId": fmt.Sprint(i), "logStreamName": "eni-1", "timestamp": 1700000000000, "ingestionTime": 1700000100000, "message": f.msgs[i]})
	}
	out := map[string]any{"events": events}
	if p[1] != nil {
		out["nextToken"] = p[1]
	}
	json.NewEncoder(w).Encode(out)
}

func newLogsClient(url string) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(url),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 5
			o.Backoff = retry.NewExponentialJitterBackoff(10 * time.Millisecond)
		}),
	})
}

func TestCloudWatchLogs(t *testing.T) {
	_, want := textLog(t, 11, 30, flowlog.DefaultFormat(), false)
	var msgs []string
	g := flowlog.NewGenerator(11, flowlog.DefaultFormat())
	for range 30 {
		r := g.Record()
		msgs = append(msgs, r.Text(flowlog.DefaultFormat()))
	}
	fake := &fakeLogs{msgs: msgs}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	since := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	var notes []string
	o := &Options{Logs: newLogsClient(ts.URL), Since: since, Until: since.Add(time.Hour), Notify: func(s string) { notes = append(notes, s) }}
	ins, errs := List(context.Background(), []string{"cwl:///vpc/flow-logs"}, o)
	if len(errs) != 0 || len(ins) != 1 {
		t.Fatal(errs)
	}
	got, rerrs := readAll(t, ins, o)
	if len(rerrs) != 0 {
		t.Fatal(errText(rerrs))
	}
	equalLines(t, got, want)
	if fake.throttled != 1 || len(fake.requests) != 5 {
		t.Errorf("throttled %d, %d requests", fake.throttled, len(fake.requests))
	}
	first := fake.requests[0]
	if first["startTime"] != float64(since.Add(-TimeMargin).UnixMilli()) || first["endTime"] != float64(since.Add(time.Hour+TimeMargin).UnixMilli()) {
		t.Errorf("time range: %v", first)
	}
	if len(notes) != 1 {
		t.Errorf("notices %q", notes)
	}

	// A custom format needs Format; a missing group is an error naming it.
	_, errs2 := readAll(t, ins, &Options{Logs: o.Logs, Format: flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr)})
	if len(errs2) != 1 || !errors.Is(errs2[0], flowlog.ErrSyntax) || !strings.HasPrefix(errs2[0].Error(), "cwl:///vpc/flow-logs:1:") {
		t.Errorf("wrong format: %v", errs2)
	}
	ins, _ = List(context.Background(), []string{"cwl://missing"}, o)
	_, errs2 = readAll(t, ins, o)
	if len(errs2) != 1 || !strings.HasPrefix(errs2[0].Error(), "cwl://missing: ") || !strings.Contains(errs2[0].Error(), "ResourceNotFoundException") {
		t.Errorf("missing group: %v", errs2)
	}
}
