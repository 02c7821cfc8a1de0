package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// parseJSON decodes a JSON template into what json.Unmarshal gives for an
// any, except that a key repeated in an object is an error naming the key
// and where it is: encoding/json keeps the last one silently, CloudFormation
// rejects the template.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	v, err := jsonValue(dec, nil)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("offset %d: data after the top-level value", dec.InputOffset())
	}
	return v, nil
}

// jsonValue decodes the value at path.
func jsonValue(dec *json.Decoder, path *docPath) (any, error) {
	if path.level() > MaxNestingDepth {
		return nil, fmt.Errorf("offset %d: %w: more than %d levels at %s", dec.InputOffset(), ErrTooDeep, MaxNestingDepth, path.short(8))
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		m := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string) // the decoder guarantees a string key here
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("offset %d: duplicate key %q in %s", dec.InputOffset(), k, path)
			}
			if m[k], err = jsonValue(dec, path.child(k)); err != nil {
				return nil, err
			}
		}
		_, err := dec.Token() // '}'
		return m, err
	case json.Delim('['):
		s := []any{}
		for i := 0; dec.More(); i++ {
			v, err := jsonValue(dec, path.elem(i))
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		_, err := dec.Token() // ']'
		return s, err
	}
	return tok, nil
}
