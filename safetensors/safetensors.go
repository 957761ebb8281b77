package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

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

// Limits on what a reader accepts.
const (
	MaxHeader = 100 << 20 // bytes of JSON header, as the reference implementation allows
	MaxSize   = 2 << 30   // bytes of a whole file: lenet-tui's nets are a few megabytes
)

// headerEntry is one tensor in the JSON header.
type headerEntry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int64  `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Encode writes f in the safetensors format. Tensors are laid out in the
// given order; the header is padded with spaces to a multiple of 8 bytes so
// the data is aligned, as the reference implementation does.
func Encode(w io.Writer, f File) error {
	header := map[string]any{}
	if len(f.Metadata) > 0 {
		header["__metadata__"] = f.Metadata
	}
	var off int64
	for _, t := range f.Tensors {
		if t.Name == "" || t.Name == "__metadata__" {
			return fmt.Errorf("checkpoint: a tensor may not be named %q", t.Name)
		}
		if _, dup := header[t.Name]; dup {
			return fmt.Errorf("checkpoint: two tensors named %q", t.Name)
		}
		n, shape := 1, make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			n *= d
			shape[i] = int64(d)
		}
		if n != len(t.Data) {
			return fmt.Errorf("checkpoint: tensor %q has shape %v but %d values", t.Name, t.Shape, len(t.Data))
		}
		header[t.Name] = headerEntry{Dtype: "F32", Shape: shape, DataOffsets: [2]int64{off, off + 4*int64(n)}}
		off += 4 * int64(n)
	}
	h, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if pad := (8 - len(h)%8) % 8; pad > 0 {
		h = append(h, bytes.Repeat([]byte(" "), pad)...)
	}
	buf := make([]byte, 8, 8+len(h)+int(off))
	binary.LittleEndian.PutUint64(buf, uint64(len(h)))
	buf = append(buf, h...)
	for _, t := range f.Tensors {
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	_, err = w.Write(buf)
	return err
}

// Decode reads a whole safetensors file from data. Its errors say what is
// wrong without the file's name; ReadFile adds it.
func Decode(data []byte) (File, error) {
	head, body, err := split(data)
	if err != nil {
		return File{}, err
	}
	raw, err := parseHeader(head)
	if err != nil {
		return File{}, err
	}
	f := File{Metadata: map[string]string{}}
	var ts []placed
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return File{}, fmt.Errorf("header: __metadata__ is not an object of strings: %v", err)
			}
			continue
		}
		p, err := place(name, msg, int64(len(body)))
		if err != nil {
			return File{}, err
		}
		ts = append(ts, p)
	}
	if f.Tensors, err = readData(ts, body); err != nil {
		return File{}, err
	}
	return f, nil
}

// split checks the 8-byte header length against the file and returns the
// JSON header and the data after it.
func split(data []byte) (head, body []byte, err error) {
	if len(data) < 8 {
		return nil, nil, fmt.Errorf("%d bytes: too short for a safetensors file (an 8-byte header length, then the header)", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	rest := uint64(len(data) - 8)
	switch {
	case n > MaxHeader:
		return nil, nil, fmt.Errorf("header length %d bytes, more than %d MiB: not a safetensors file, or a corrupted one", n, MaxHeader>>20)
	case n > rest:
		return nil, nil, fmt.Errorf("header length %d bytes runs past the end of the file (%d bytes follow the length): truncated, or not a safetensors file", n, rest)
	case n < 2:
		return nil, nil, fmt.Errorf("header length %d bytes: too short for a JSON header", n)
	}
	return data[8 : 8+n], data[8+n:], nil
}

// parseHeader reads the header as one JSON object (and nothing after it but
// padding), its values left raw.
func parseHeader(head []byte) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(head))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("header: not a JSON object: %v", err)
	}
	if strings.TrimSpace(string(head[dec.InputOffset():])) != "" {
		return nil, errors.New("header: text after the JSON object")
	}
	return raw, nil
}

// placed is a tensor from the header, not yet read, and where its data lies:
// bytes [begin, end) of the data.
type placed struct {
	t          Tensor
	begin, end int64
}

// place checks one tensor's header entry msg against a data section of
// size bytes: an F32 tensor whose shape fits a file and whose offsets span
// exactly its values, within the data.
func place(name string, msg json.RawMessage, size int64) (placed, error) {
	var e headerEntry
	d := json.NewDecoder(bytes.NewReader(msg))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		return placed{}, fmt.Errorf("tensor %q: not {dtype, shape, data_offsets}: %v", name, err)
	}
	if e.Dtype != "F32" {
		return placed{}, fmt.Errorf("tensor %q has dtype %q; lenet-tui reads F32 (float32) only", name, e.Dtype)
	}
	count := int64(1)
	for _, d := range e.Shape {
		if d < 0 || d > MaxSize || count*d > MaxSize {
			return placed{}, fmt.Errorf("tensor %q has shape %v: more values than a file can hold", name, e.Shape)
		}
		count *= d
	}
	b, end := e.DataOffsets[0], e.DataOffsets[1]
	if b < 0 || end < b {
		return placed{}, fmt.Errorf("tensor %q has data offsets [%d, %d]: want 0 ≤ begin ≤ end", name, b, end)
	}
	if end-b != 4*count {
		return placed{}, fmt.Errorf("tensor %q has shape %v (%d values, %d bytes) but data offsets [%d, %d] span %d bytes", name, e.Shape, count, 4*count, b, end, end-b)
	}
	if end > size {
		return placed{}, fmt.Errorf("tensor %q ends at data byte %d, past the end of the file (%d data bytes): the file is truncated", name, end, size)
	}
	shape := make([]int, len(e.Shape))
	for i, d := range e.Shape {
		shape[i] = int(d)
	}
	return placed{Tensor{Name: name, Shape: shape}, b, end}, nil
}

// readData orders the tensors by where their data lies, checks that they
// tile body exactly (no overlap, no gap, nothing after) and reads their
// values.
func readData(ts []placed, body []byte) ([]Tensor, error) {
	slices.SortFunc(ts, func(a, b placed) int {
		if a.begin != b.begin {
			return int(a.begin - b.begin)
		}
		return int(a.end - b.end)
	})
	var tensors []Tensor
	var at int64
	for i, p := range ts {
		switch {
		case p.begin < at:
			return nil, fmt.Errorf("tensors %q and %q overlap (data bytes %d to %d)", ts[i-1].t.Name, p.t.Name, p.begin, at)
		case p.begin > at:
			return nil, fmt.Errorf("data bytes %d to %d belong to no tensor", at, p.begin)
		}
		p.t.Data = make([]float32, (p.end-p.begin)/4)
		for k := range p.t.Data {
			p.t.Data[k] = math.Float32frombits(binary.LittleEndian.Uint32(body[p.begin+4*int64(k):]))
		}
		tensors = append(tensors, p.t)
		at = p.end
	}
	if at != int64(len(body)) {
		return nil, fmt.Errorf("%d stray bytes after the last tensor's data", int64(len(body))-at)
	}
	return tensors, nil
}

// ReadFile reads the safetensors file at path. Errors name the file.
func ReadFile(path string) (File, error) {
	fail := func(err error) (File, error) { return File{}, fmt.Errorf("%s: %w", path, err) }
	fh, err := os.Open(path)
	if err != nil {
		return File{}, err // *PathError names the file
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return File{}, err
	}
	if !fi.Mode().IsRegular() {
		return fail(errors.New("not a regular file"))
	}
	if fi.Size() > MaxSize {
		return fail(fmt.Errorf("%d bytes, more than the %d GiB a checkpoint may have", fi.Size(), MaxSize>>30))
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxSize+1))
	if err != nil {
		return fail(err)
	}
	f, err := Decode(data)
	if err != nil {
		return fail(err)
	}
	return f, nil
}

// WriteFile writes f to path atomically: to a temporary file in the same
// folder, synced to disk, then renamed over path. A crash or a full disk
// leaves path as it was; something at path that is not a regular file (a
// device, a folder) is refused and left alone.
func WriteFile(path string, f File) error {
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		return err
	}
	return outfile.WriteFile(path, buf.Bytes())
}
