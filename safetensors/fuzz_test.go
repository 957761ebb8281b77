package safetensors

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecode: no input makes Decode panic; what it accepts encodes back to
// a file it reads the same; an error is one line.
func FuzzDecode(f *testing.F) {
	var good bytes.Buffer
	Encode(&good, sample())
	f.Add(good.Bytes())
	f.Add(header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add(header(`{"__metadata__":{"a":"b"}}`, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Decode error has a line break: %q", err)
			}
			return
		}
		var b bytes.Buffer
		if err := Encode(&b, got); err != nil {
			t.Fatalf("Encode(Decode(data)) = %v", err)
		}
		again, err := Decode(b.Bytes())
		if err != nil || len(again.Tensors) != len(got.Tensors) {
			t.Fatalf("Decode(Encode(f)) = %d tensors, %v; want %d", len(again.Tensors), err, len(got.Tensors))
		}
	})
}
