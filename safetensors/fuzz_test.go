package safetensors

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
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

// FuzzReadFile writes the fuzzed bytes to a file and reads it with ReadFile,
// the path every checkpoint takes: never a panic, an error is one line that
// names the file, and what it accepts holds no more data than the file.
// Seeded with a real checkpoint and its optimiser state file, of a net small
// enough to mutate quickly (testdata/tiny*.safetensors: a 7×7 max pooling
// and a dense layer of 170 weights, saved untrained by engine's
// Trainer.Save), and with crafted headers.
func FuzzReadFile(f *testing.F) {
	for _, name := range []string{"tiny.safetensors", "tiny.optimizer.safetensors"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	var good bytes.Buffer
	Encode(&good, sample())
	f.Add(good.Bytes())
	f.Add(header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, make([]byte, 8)))
	f.Add(header(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)))
	f.Add(header(`{"__metadata__":{"format":"a","format":"b"}}`, nil))
	f.Add(binary.LittleEndian.AppendUint64(nil, 1<<63))
	f.Add(header(`{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"__metadata__":{"a":"\u001b[2J"}}`, make([]byte, 16)))
	path := filepath.Join(f.TempDir(), "fuzz.safetensors")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, path+": ") {
				t.Errorf("ReadFile error = %q, want one line naming %s", msg, path)
			}
			return
		}
		values := 0
		for _, tn := range got.Tensors {
			values += len(tn.Data)
		}
		if 8+4*values > len(data) {
			t.Errorf("ReadFile of %d bytes gave %d values", len(data), values)
		}
	})
}
