package safetensors

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
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
		{"huge header length", binary.LittleEndian.AppendUint64(nil, 1<<40), "more than 2 MiB"},
		{"three data offsets", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, make([]byte, 8)), `tensor "w" has data offsets [0 4 8]: want two numbers, [begin, end]`},
		{"one data offset", header(`{"w":{"dtype":"F32","shape":[0],"data_offsets":[0]}}`, nil), `want two numbers`},
		{"same name twice", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), `header: two entries named "w"`},
		{"metadata twice", header(`{"__metadata__":{"a":"b"},"__metadata__":{"a":"c"}}`, nil), `header: two entries named "__metadata__"`},
		{"metadata key twice", header(`{"__metadata__":{"format":"x","format":"y"}}`, nil), `header: __metadata__: two entries named "format"`},
		{"field twice", header(`{"w":{"dtype":"F32","shape":[1],"shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)), `tensor "w": two entries named "shape"`},
		{"field missing", header(`{"w":{"dtype":"F32","data_offsets":[0,4]}}`, make([]byte, 4)), `tensor "w": not {dtype, shape, data_offsets}: a field is missing`},
		{"rank", header(`{"w":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}`, make([]byte, 4)), `tensor "w" has 9 dimensions, more than 8`},
		{"empty name", header(`{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)), `header: a tensor may not be named ""`},
		{"too many tensors", manyTensors(MaxTensors + 1), "more than 4096 tensors"},
		{"long metadata", header(`{"__metadata__":{"note":"`+strings.Repeat("x", MaxMetadataLen+1)+`"}}`, nil), `__metadata__ "note" is 1048577 bytes, more than the 1024 KiB`},
		{"metadata not an object", header(`{"__metadata__":"x"}`, nil), "header: __metadata__: not a JSON object"},
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

// manyTensors is a file of n empty tensors.
func manyTensors(n int) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"t%d":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`, i)
	}
	b.WriteString("}")
	return header(b.String(), nil)
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

// TestReadFileRefusesEarly: a file whose header claims more than it may
// hold is refused from its first bytes, before the rest is read: a sparse
// gigabyte with an absurd header length, headers too large or too full,
// data that the offsets do not account for. Each costs a few MiB at most
// (what ReadFile allocates, measured), not the file's size.
func TestReadFileRefusesEarly(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, head []byte, size int64) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(head); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(max(size, int64(len(head)))); err != nil {
			t.Fatal(err)
		}
		return path
	}
	meta := `{"__metadata__":{"note":"` + strings.Repeat("x", 99<<20) + `"}}`
	tests := []struct {
		name string
		path string
		want string
	}{
		{"header length 2^63", sparse("huge.safetensors", binary.LittleEndian.AppendUint64(nil, 1<<63), 1<<30), "header length 9223372036854775808 bytes, more than 2 MiB"},
		{"99 MiB of metadata", sparse("meta.safetensors", header(meta, nil), 0), "header length 103809052 bytes, more than 2 MiB"},
		{"4097 empty tensors", sparse("many.safetensors", manyTensors(MaxTensors+1), 0), "more than 4096 tensors"},
		{"a gigabyte after one tensor", sparse("stray.safetensors", header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, nil), 1<<30), "stray bytes after the last tensor's data"},
		{"a tensor past the end", sparse("past.safetensors", header(`{"w":{"dtype":"F32","shape":[1000000000],"data_offsets":[0,4000000000]}}`, nil), 1<<30), "past the end of the file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = ReadFile(tt.path) })
			if err == nil || !strings.HasPrefix(err.Error(), tt.path+": ") || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("ReadFile(%s) = %v, want one line naming the file with %q", tt.name, err, tt.want)
			}
			if n > 16<<20 {
				t.Errorf("ReadFile(%s) allocated %d bytes, want at most 16 MiB", tt.name, n)
			}
		})
	}
}

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestEncodeStreams: writing a file of 16 MiB of tensors allocates a
// small part of that: the values go to the writer a chunk at a time.
func TestEncodeStreams(t *testing.T) {
	f := File{Tensors: []Tensor{{Name: "w", Shape: []int{4 << 20}, Data: make([]float32, 4<<20)}}}
	path := filepath.Join(t.TempDir(), "big.safetensors")
	var err error
	if n := allocated(func() { err = WriteFile(path, f) }); err != nil || n > 1<<20 {
		t.Errorf("WriteFile(16 MiB of tensors) allocated %d bytes, %v; want under 1 MiB", n, err)
	}
	if back, err := ReadFile(path); err != nil || len(back.Tensors) != 1 || len(back.Tensors[0].Data) != 4<<20 {
		t.Errorf("ReadFile(WriteFile(16 MiB)) = %v, want the tensor back", err)
	}
}
