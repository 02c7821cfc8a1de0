package flowlog_test

import (
	"errors"
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func ExampleParseFormat() {
	f, err := flowlog.ParseFormat("${version} ${vpc-id} ${srcaddr} ${dstaddr} ${bytes}")
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Len(), f.Version())
	fmt.Println(f.Header())
	fmt.Println(f.Index(flowlog.SrcAddr))
	// Output:
	// 5 3
	// version vpc-id srcaddr dstaddr bytes
	// 2
}

func ExampleParseFormat_error() {
	_, err := flowlog.ParseFormat("${version} ${scraddr}")
	fmt.Println(err)
	fmt.Println(errors.Is(err, flowlog.ErrUnknownField))
	// Output:
	// flowlog: format: unknown field "${scraddr}" at offset 11 (did you mean "${srcaddr}"?)
	// true
}

func ExampleField() {
	f := flowlog.TrafficPath
	fmt.Println(f.Token(), f.Column(), f.Version(), f.AthenaType(), f.ParquetType())
	fmt.Println(f.SpecialValues()[7])
	// Output:
	// ${traffic-path} traffic_path 5 int INT_32
	// 8: through an internet gateway (Nitro-based instances only)
}

func ExamplePreset() {
	f, _ := flowlog.Preset("default")
	fmt.Println(f == flowlog.DefaultFormat())
	fmt.Println(flowlog.PresetNames())
	// Output:
	// true
	// [all cost default security transit-gateway v5]
}
