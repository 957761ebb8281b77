package safetensors_test

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/lenet-tui/lenet-tui/safetensors"
)

// Encode writes a File (float32 tensors and string metadata) in the
// safetensors format: an 8-byte header length, the JSON header padded to a
// multiple of 8 bytes, the data. Decode reads it back, and says what is
// wrong with a file cut short.
func ExampleDecode() {
	f := safetensors.File{
		Tensors: []safetensors.Tensor{
			{Name: "C1.w", Shape: []int{2, 1, 2, 2}, Data: []float32{1, 2, 3, 4, -1, -2, -3, -4}},
			{Name: "C1.b", Shape: []int{2}, Data: []float32{0.5, -0.25}},
		},
		Metadata: map[string]string{"arch": "tiny"},
	}
	var buf bytes.Buffer
	if err := safetensors.Encode(&buf, f); err != nil {
		fmt.Println(err)
		return
	}
	n := binary.LittleEndian.Uint64(buf.Bytes()) // the header's length
	fmt.Println(buf.Len(), "bytes, header", string(bytes.TrimRight(buf.Bytes()[8:8+n], " ")))

	back, err := safetensors.Decode(buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range back.Tensors { // in the order of their data
		fmt.Println(t.Name, t.Shape, t.Data)
	}
	b, _ := back.Tensor("C1.b")
	fmt.Println(b.Data[1], "arch", back.Metadata["arch"])

	_, err = safetensors.Decode(buf.Bytes()[:buf.Len()-4])
	fmt.Println(err)
	// Output:
	// 208 bytes, header {"C1.b":{"dtype":"F32","shape":[2],"data_offsets":[32,40]},"C1.w":{"dtype":"F32","shape":[2,1,2,2],"data_offsets":[0,32]},"__metadata__":{"arch":"tiny"}}
	// C1.w [2 1 2 2] [1 2 3 4 -1 -2 -3 -4]
	// C1.b [2] [0.5 -0.25]
	// -0.25 arch tiny
	// tensor "C1.b" ends at data byte 40, past the end of the file (36 data bytes): the file is truncated
}
