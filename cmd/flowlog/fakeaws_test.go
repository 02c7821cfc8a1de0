package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// newFakeS3 starts an in-process S3 server (gofakes3) holding an empty
// bucket, makes s3:// inputs use a real SDK client of it until the test
// ends, and returns the client. Requests for which deny (if not nil)
// returns true are answered 403 AccessDenied.
func newFakeS3(t *testing.T, bucket string, deny func(*http.Request) bool) *s3.Client {
	t.Helper()
	backend := gofakes3.New(s3mem.New()).Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if deny != nil && deny(r) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	client := s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("a", "b", ""),
		BaseEndpoint: aws.String(ts.URL), UsePathStyle: true, HTTPClient: ts.Client()})
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	old := newS3Client
	newS3Client = func(context.Context) (source.S3API, error) { return client, nil }
	t.Cleanup(func() { newS3Client = old })
	return client
}

// newFakeLogs starts a local server that answers FilterLogEvents with
// messages as the events of any log group, in two pages, and makes
// cwl:// inputs use a real SDK client of it until the test ends. It
// returns a function that lists the log groups requested, page by page.
func newFakeLogs(t *testing.T, messages []string) func() []string {
	t.Helper()
	var mu sync.Mutex
	var groups []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			LogGroupName string `json:"logGroupName"`
			NextToken    string `json:"nextToken"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		mu.Lock()
		groups = append(groups, in.LogGroupName)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		half := len(messages) / 2
		page, next := messages[:half], `,"nextToken":"2"`
		if in.NextToken == "2" {
			page, next = messages[half:], ""
		}
		var ev []string
		for i, l := range page {
			ev = append(ev, fmt.Sprintf(`{"eventId":"%d","logStreamName":"eni-1","timestamp":1700000000000,"message":%q}`, i, l))
		}
		fmt.Fprintf(w, `{"events":[%s]%s}`, strings.Join(ev, ","), next)
	}))
	t.Cleanup(ts.Close)
	old := newLogsClient
	newLogsClient = func(context.Context) (source.LogsAPI, error) {
		return cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL),
			Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")}), nil
	}
	t.Cleanup(func() { newLogsClient = old })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), groups...)
	}
}
