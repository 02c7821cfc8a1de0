package source

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// LogsAPI is the part of the CloudWatch Logs client that reads log groups.
// *cloudwatchlogs.Client implements it.
type LogsAPI interface {
	FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

func (o *Options) logs(ctx context.Context) (LogsAPI, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.Logs == nil {
		if o.NewLogs == nil {
			return nil, fmt.Errorf("no CloudWatch Logs client")
		}
		c, err := o.NewLogs(ctx)
		if err != nil {
			return nil, err
		}
		o.Logs = c
	}
	return o.Logs, nil
}

// cwlInput is one log group, cwl://NAME. Log group names may contain
// '/', as in cwl:///aws/vpc/flowlogs (a name starting with '/').
func cwlInput(arg string) ([]Input, error) {
	group := strings.TrimPrefix(arg, "cwl://")
	if group == "" {
		return nil, fmt.Errorf("%w: no log group name", ErrBadArg)
	}
	return []Input{{Name: arg, Size: -1, Remote: true, open: func(ctx context.Context, o *Options) (RecordReader, error) {
		c, err := o.logs(ctx)
		if err != nil {
			return nil, err
		}
		return openLogGroup(ctx, arg, group, c, o), nil
	}}}, nil
}

// openLogGroup reads a log group's events with FilterLogEvents, page by
// page, over the time range of o widened by TimeMargin (an event's
// timestamp is its record's start). FilterLogEvents pages may be empty
// before the last one; only a missing nextToken ends the listing
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
// Throttling is retried with back-off by the client's retryer (see
// cmd/flowlog, which sets its attempts).
func openLogGroup(ctx context.Context, name, group string, c LogsAPI, o *Options) RecordReader {
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)}
	if !o.Since.IsZero() {
		in.StartTime = aws.Int64(o.Since.Add(-TimeMargin).UnixMilli())
	}
	if !o.Until.IsZero() {
		in.EndTime = aws.Int64(o.Until.Add(TimeMargin).UnixMilli())
	}
	return newEventsReader(ctx, name, o, func(ctx context.Context) ([]string, bool, error) {
		out, err := c.FilterLogEvents(ctx, in)
		if err != nil {
			return nil, false, err
		}
		msgs := make([]string, 0, len(out.Events))
		for _, ev := range out.Events {
			if ev.Message != nil {
				msgs = append(msgs, *ev.Message)
			}
		}
		in.NextToken = out.NextToken
		return msgs, out.NextToken != nil, nil
	})
}
