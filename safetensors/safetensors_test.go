package safetensors

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample() File {
	return File{
		Tensors: []Tensor{
			{Name: "c1.weight", Shape: []int{2, 1, 2, 2}, Data: []float32{1, -2, 3.5, 4, 5, 6, 7, -8e-9}},
			{Name: "c1.bias", Shape: []int{2}, Data: []float32{0.25, -0.5}},
		},
		Metadata: map[string]string{"arch": `{"name":"x"}`, "step": "12"},
	}
}

func encode(t *testing.T, f File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	want := sample()
	data := encode(t, want)
	if n := binary.LittleEndian.Uint64(data); (8+n)%8 != 0 {
		t.Errorf("header length %d: data not aligned to 8 bytes", n)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode = %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode(Encode(f)) = %+v, want %+v", got, want)
	}
}

// header builds a file from a raw JSON header and data.
func header(json string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(json)))
	return append(append(b, json...), data...)
}

func TestDecodeBad(t *testing.T) {
	good := encode(t, sample())
	long := binary.LittleEndian.AppendUint64(nil, 1<<20)
	long = append(long, good[8:]...)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a safetensors file"},
		{"truncated", good[:len(good)-4], "the file is truncated"},
		{"truncated header", good[:20], "runs past the end of the file"},
		{"header length beyond file", long, "header length 1048576 bytes runs past the end"},
		{"huge header length", binary.LittleEndian.AppendUint64(nil, 1<<40), "more than 100 MiB"},
		{"not json", header("hello!", nil), "not a JSON object"},
		{"wrong dtype", header(`{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), `tensor "w" has dtype "F16"`},
		{"shape vs offsets", header(`{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, make([]byte, 8)), `tensor "w" has shape [3] (3 values, 12 bytes) but data offsets [0, 8] span 8 bytes`},
		{"negative shape", header(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}`, nil), "more values than a file can hold"},
		{"gap", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "data bytes 0 to 4 belong to no tensor"},
		{"overlap", header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "overlap"},
		{"stray bytes", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 6)), "2 stray bytes"},
		{"bad metadata", header(`{"__metadata__":{"a":1}}`, nil), "__metadata__ is not an object of strings"},
		{"unknown field", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, make([]byte, 4)), `tensor "w": not {dtype, shape, data_offsets}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Decode(%s) = %v, want one line with %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.safetensors")
	if err := WriteFile(path, sample()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil || !reflect.DeepEqual(got, sample()) {
		t.Errorf("ReadFile(WriteFile(f)) = %+v, %v, want f", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("WriteFile left %d files in its folder, want 1 (no temporary file)", len(entries))
	}
	// A failed write leaves the old file as it was.
	bad := sample()
	bad.Tensors[0].Data = bad.Tensors[0].Data[:1]
	if err := WriteFile(path, bad); err == nil {
		t.Error("WriteFile(bad shape) = nil, want an error")
	}
	if got, err := ReadFile(path); err != nil || !reflect.DeepEqual(got, sample()) {
		t.Errorf("after a failed WriteFile, ReadFile = %v, want the old file", err)
	}
	os.WriteFile(path, []byte("not a checkpoint at all"), 0o644)
	if _, err := ReadFile(path); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("ReadFile(text) = %v, want an error naming %s", err, path)
	}
}
