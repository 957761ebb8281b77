package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/lenet-tui/lenet-tui/internal/outfile"
)

// Tensor is one named float32 array, row-major.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32 // the product of Shape values
}

// File is what a safetensors file holds: its tensors, in the order of their
// data, and the header's string metadata.
type File struct {
	Tensors  []Tensor
	Metadata map[string]string
}

// Tensor returns the tensor with the given name.
func (f *File) Tensor(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// Limits on what a reader accepts and a writer writes. A lenet-tui
// checkpoint holds two tensors a layer (at most 256 layers), or an
// optimiser's one to three, and metadata of a few KiB. The largest it can
// write (engine's TestLargestHeader: 256 layers, each name and note of the
// longest and all quotes, escaped twice) has a header of 310 KiB whose
// largest value, the architecture, is 160 KiB. Each limit leaves that room
// to spare and bounds what a hostile file can cost before it is refused.
const (
	MaxSize        = 2 << 30 // bytes of a whole file: a net at the engine's parameter limit and Adam's moments fit
	MaxHeader      = 2 << 20 // bytes of the JSON header
	MaxTensors     = 4096    // tensors in a file
	MaxName        = 256     // bytes of a tensor's name
	MaxRank        = 8       // dimensions of a tensor's shape
	MaxMetadata    = 256     // metadata keys
	MaxMetadataLen = 1 << 20 // bytes of one metadata value
)

// chunk is how many bytes of tensor data are converted and written, or
// read and converted, at a time: what a save or a load needs beyond the
// tensors themselves.
const chunk = 64 << 10

// headerEntry is one tensor in the JSON header.
type headerEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int64  `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Encode writes f in the safetensors format, as it goes: the header, then
// each tensor's values converted a chunk at a time, so that writing a file
// takes a few tens of KiB beyond its header whatever its size. Tensors are
// laid out in the given order; the header is padded with spaces to a
// multiple of 8 bytes so the data is aligned, as the reference
// implementation does. A File the readers would refuse (a limit above, a
// shape that does not match its values) is refused before anything is
// written.
func Encode(w io.Writer, f File) error {
	h, err := encodeHeader(f)
	if err != nil {
		return err
	}
	buf := make([]byte, 8, max(chunk, 8+len(h)))
	binary.LittleEndian.PutUint64(buf, uint64(len(h)))
	buf = append(buf, h...)
	if _, err := w.Write(buf); err != nil {
		return err
	}
	buf = buf[:0:chunk]
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		_, err = w.Write(buf)
	}
	return err
}

// encodeHeader checks f against the limits and returns its JSON header,
// padded.
func encodeHeader(f File) ([]byte, error) {
	if len(f.Tensors) > MaxTensors {
		return nil, fmt.Errorf("%d tensors, more than the %d a file may hold", len(f.Tensors), MaxTensors)
	}
	if err := checkMetadata(f.Metadata); err != nil {
		return nil, err
	}
	header := map[string]any{}
	if len(f.Metadata) > 0 {
		header["__metadata__"] = f.Metadata
	}
	var off int64
	for _, t := range f.Tensors {
		if err := checkName(t.Name); err != nil {
			return nil, err
		}
		if _, dup := header[t.Name]; dup {
			return nil, fmt.Errorf("two tensors named %q", t.Name)
		}
		if len(t.Shape) > MaxRank {
			return nil, fmt.Errorf("tensor %q has %d dimensions, more than %d", t.Name, len(t.Shape), MaxRank)
		}
		n, shape := 1, make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			n *= d
			shape[i] = int64(d)
		}
		if n != len(t.Data) {
			return nil, fmt.Errorf("tensor %q has shape %v but %d values", t.Name, t.Shape, len(t.Data))
		}
		header[t.Name] = headerEntry{Dtype: "F32", Shape: shape, DataOffsets: [2]int64{off, off + 4*int64(n)}}
		off += 4 * int64(n)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(header); err != nil {
		return nil, err
	}
	h := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if pad := (8 - len(h)%8) % 8; pad > 0 {
		h = append(h, bytes.Repeat([]byte(" "), pad)...)
	}
	if len(h) > MaxHeader || 8+int64(len(h))+off > MaxSize {
		return nil, fmt.Errorf("a header of %d bytes and %d of data: more than a file may hold (%d MiB of header, %d GiB in all)", len(h), off, MaxHeader>>20, MaxSize>>30)
	}
	return h, nil
}

// checkName refuses a tensor name the format reserves, or none, or one
// longer than MaxName.
func checkName(name string) error {
	switch {
	case name == "" || name == "__metadata__":
		return fmt.Errorf("a tensor may not be named %q", name)
	case len(name) > MaxName:
		return fmt.Errorf("a tensor name of %d bytes, more than %d", len(name), MaxName)
	}
	return nil
}

// checkMetadata refuses metadata beyond MaxMetadata keys or with a value
// longer than MaxMetadataLen.
func checkMetadata(md map[string]string) error {
	if len(md) > MaxMetadata {
		return fmt.Errorf("%d metadata keys, more than %d", len(md), MaxMetadata)
	}
	for k, v := range md {
		if len(v) > MaxMetadataLen {
			return fmt.Errorf("metadata %q of %d bytes, more than %d KiB", k, len(v), MaxMetadataLen>>10)
		}
	}
	return nil
}

// WriteFile writes f to path atomically: to a temporary file in the same
// folder, synced to disk, then renamed over path (internal/outfile). The
// tensors are streamed into the file (Encode), never gathered in memory. A
// crash or a full disk leaves path as it was; something at path that is not
// a regular file (a device, a folder) is refused and left alone.
func WriteFile(path string, f File) error {
	return outfile.Write(path, func(w io.Writer) error { return Encode(w, f) })
}
