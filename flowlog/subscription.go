package flowlog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"iter"

	"github.com/klauspost/compress/gzip"
)

// Subscription is the payload a CloudWatch Logs subscription filter
// delivers (to Lambda, Kinesis Data Streams or Firehose): JSON, gzip
// compressed and base64 encoded
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html).
// For flow logs, each log event's message is one record, without a header,
// so the format must come from elsewhere (the flow log's LogFormat).
type Subscription struct {
	MessageType         string     `json:"messageType"` // "DATA_MESSAGE" or "CONTROL_MESSAGE"
	Owner               string     `json:"owner"`
	LogGroup            string     `json:"logGroup"`
	LogStream           string     `json:"logStream"` // for flow logs, the interface ID
	SubscriptionFilters []string   `json:"subscriptionFilters"`
	LogEvents           []LogEvent `json:"logEvents"`
}

// LogEvent is one CloudWatch Logs event of a [Subscription].
type LogEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"` // milliseconds since the Unix epoch
	Message   string `json:"message"`
}

// Message types of a [Subscription].
const (
	DataMessage    = "DATA_MESSAGE"
	ControlMessage = "CONTROL_MESSAGE" // sent to check the destination is reachable; has no records
)

// DecodeSubscription decodes a CloudWatch Logs subscription payload. It
// accepts the payload as delivered (base64 text of gzip data), the gzip
// data, the JSON itself, or a whole Lambda event {"awslogs":{"data":...}}.
func DecodeSubscription(data []byte) (*Subscription, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var ev struct {
			AWSLogs *struct {
				Data string `json:"data"`
			} `json:"awslogs"`
		}
		if err := json.Unmarshal(data, &ev); err == nil && ev.AWSLogs != nil {
			return DecodeSubscription([]byte(ev.AWSLogs.Data))
		}
		var s Subscription
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, fmt.Errorf("flowlog: subscription: %w", err)
		}
		if s.MessageType != DataMessage && s.MessageType != ControlMessage {
			return nil, fmt.Errorf("flowlog: subscription: unknown messageType %s", quoteExcerpt(s.MessageType))
		}
		return &s, nil
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		dec := make([]byte, base64.StdEncoding.DecodedLen(len(data)))
		n, err := base64.StdEncoding.Decode(dec, data)
		if err != nil {
			return nil, fmt.Errorf("flowlog: subscription: not base64, gzip or JSON: %w", err)
		}
		data = dec[:n]
		if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			return nil, fmt.Errorf("flowlog: subscription: decoded data is not gzip")
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("flowlog: subscription: %w", err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("flowlog: subscription: %w", err)
	}
	if len(bytes.TrimSpace(js)) == 0 || bytes.TrimSpace(js)[0] != '{' {
		return nil, fmt.Errorf("flowlog: subscription: payload is not a JSON object")
	}
	return DecodeSubscription(js)
}

// IsControl reports whether s is a CONTROL_MESSAGE, which carries no records.
func (s *Subscription) IsControl() bool { return s.MessageType == ControlMessage }

// Records returns the records of the log events of s in format f, in order.
// Each bad event yields a zero Record and a *ParseError whose Line is the
// 1-based index of the event; iteration goes on. A CONTROL_MESSAGE yields
// nothing. String fields of the records are substrings of the events'
// messages.
func (s *Subscription) Records(f Format) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if s.IsControl() {
			return
		}
		for i := range s.LogEvents {
			var r Record
			err := ParseLine(s.LogEvents[i].Message, f, &r)
			if err != nil {
				err.(*ParseError).Line = i + 1
			}
			if !yield(r, err) {
				return
			}
		}
	}
}
