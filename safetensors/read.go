package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// ReadFile reads the safetensors file at path. It opens only a regular
// file (internal/infile: a named pipe or a device is refused without
// waiting), and reads it in order of trust: the 8-byte header length,
// checked against the file's size and MaxHeader; the header, checked
// against the limits and the size of the data it describes; only then the
// data, straight into the tensors. A refused file costs at most MaxHeader
// bytes and the time to read them. Errors name the file.
func ReadFile(path string) (File, error) {
	return readFile(path, true)
}

// ReadMetadata reads and checks the header of the safetensors file at path
// as ReadFile does, but none of its data: its metadata, to decide whether
// the tensors are worth reading.
func ReadMetadata(path string) (map[string]string, error) {
	f, err := readFile(path, false)
	return f.Metadata, err
}

// readFile is ReadFile, reading the data only if data is set.
func readFile(path string, data bool) (File, error) {
	fh, size, err := infile.Open(path)
	if err != nil {
		return File{}, err // names the file and what is there
	}
	defer fh.Close()
	if size > MaxSize {
		return File{}, fmt.Errorf("%s: %d bytes, more than the %d GiB a checkpoint may have", path, size, MaxSize>>30)
	}
	ts, md, err := readHeader(fh, size)
	var f File
	if err == nil && data {
		f.Tensors, err = readData(fh, ts)
	}
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	f.Metadata = md
	return f, nil
}

// Decode reads a whole safetensors file from data. Its errors say what is
// wrong without the file's name; ReadFile adds it.
func Decode(data []byte) (File, error) {
	r := bytes.NewReader(data)
	ts, md, err := readHeader(r, int64(len(data)))
	if err != nil {
		return File{}, err
	}
	f := File{Metadata: md}
	if f.Tensors, err = readData(r, ts); err != nil {
		return File{}, err
	}
	return f, nil
}

// readHeader reads the header of a safetensors file of size bytes from r,
// as ReadFile says, and returns its tensors, placed and in the order of
// their data but not read, and its metadata.
func readHeader(r io.Reader, size int64) ([]placed, map[string]string, error) {
	if size < 8 {
		return nil, nil, fmt.Errorf("%d bytes: too short for a safetensors file (an 8-byte header length, then the header)", size)
	}
	var length [8]byte
	if _, err := io.ReadFull(r, length[:]); err != nil {
		return nil, nil, cut(err)
	}
	n := binary.LittleEndian.Uint64(length[:])
	rest := uint64(size - 8)
	switch {
	case n > MaxHeader:
		return nil, nil, fmt.Errorf("header length %d bytes, more than %d MiB: not a safetensors file, or a corrupted one", n, MaxHeader>>20)
	case n > rest:
		return nil, nil, fmt.Errorf("header length %d bytes runs past the end of the file (%d bytes follow the length): truncated, or not a safetensors file", n, rest)
	case n < 2:
		return nil, nil, fmt.Errorf("header length %d bytes: too short for a JSON header", n)
	}
	head := make([]byte, n)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, nil, cut(err)
	}
	ts, md, err := parseHeader(head)
	if err != nil {
		return nil, nil, err
	}
	if err := tile(ts, int64(rest-n)); err != nil {
		return nil, nil, err
	}
	return ts, md, nil
}

// cut is the error for a file that ends before its size said: it was cut
// short while being read.
func cut(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the file ends early (cut short while being read?): the file is truncated")
	}
	return err
}

// parseHeader reads the header as one JSON object (and nothing after it
// but padding): its tensors, not yet placed, and its metadata. It reads
// token by token, so that a name given twice is refused (encoding/json
// would keep the last) and no count beyond the limits is ever held.
func parseHeader(head []byte) ([]placed, map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(head))
	md := map[string]string{}
	var ts []placed
	err := eachKey(dec, "header", func(name string) error {
		if name == "__metadata__" {
			return readMetadata(dec, md)
		}
		if len(ts) == MaxTensors {
			return fmt.Errorf("header: more than %d tensors: not a checkpoint lenet-tui wrote", MaxTensors)
		}
		p, err := readEntry(dec, name)
		ts = append(ts, p)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(string(head[dec.InputOffset():])) != "" {
		return nil, nil, errors.New("header: text after the JSON object")
	}
	return ts, md, nil
}

// eachKey reads a JSON object from dec and calls value with each key, which
// must read that key's value from dec. A key given twice is an error. what
// names the object in errors.
func eachKey(dec *json.Decoder, what string, value func(key string) error) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("%s: not a JSON object", what)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: not a JSON object: %v", what, err)
		}
		key := tok.(string) // an object's key, or Token would have failed
		if seen[key] {
			return fmt.Errorf("%s: two entries named %q", what, key)
		}
		seen[key] = true
		if err := value(key); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fmt.Errorf("%s: not a JSON object: %v", what, err)
	}
	return nil
}

// readMetadata reads the __metadata__ object from dec into md: at most
// MaxMetadata strings of at most MaxMetadataLen bytes.
func readMetadata(dec *json.Decoder, md map[string]string) error {
	return eachKey(dec, "header: __metadata__", func(key string) error {
		if len(md) == MaxMetadata {
			return fmt.Errorf("header: __metadata__ has more than %d keys: not a checkpoint lenet-tui wrote", MaxMetadata)
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("header: __metadata__ is not an object of strings: %q is not a string", key)
		}
		if len(v) > MaxMetadataLen {
			return fmt.Errorf("header: __metadata__ %q is %d bytes, more than the %d KiB a value may have: not a checkpoint lenet-tui wrote", key, len(v), MaxMetadataLen>>10)
		}
		md[key] = v
		return nil
	})
}

// placed is a tensor from the header, not yet read, and where its data lies:
// bytes [begin, end) of the data.
type placed struct {
	t          Tensor
	begin, end int64
}

// readEntry reads one tensor's header entry from dec: an F32 tensor whose
// shape fits a file and whose two data offsets span exactly its values.
func readEntry(dec *json.Decoder, name string) (placed, error) {
	if err := checkName(name); err != nil {
		return placed{}, fmt.Errorf("header: %v", err)
	}
	what := fmt.Sprintf("tensor %q", name)
	var e struct {
		dtype          string
		shape, offsets []int64
	}
	n := 0
	err := eachKey(dec, what, func(key string) error {
		v, ok := map[string]any{"dtype": &e.dtype, "shape": &e.shape, "data_offsets": &e.offsets}[key]
		if !ok {
			return fmt.Errorf("%s: not {dtype, shape, data_offsets}: unknown field %q", what, key)
		}
		n++
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("%s: not {dtype, shape, data_offsets}: %s: %v", what, key, err)
		}
		return nil
	})
	switch {
	case err != nil:
		return placed{}, err
	case n < 3:
		return placed{}, fmt.Errorf("%s: not {dtype, shape, data_offsets}: a field is missing", what)
	case len(e.offsets) != 2:
		return placed{}, fmt.Errorf("%s has data offsets %v: want two numbers, [begin, end]", what, e.offsets)
	}
	return place(name, headerEntry{Dtype: e.dtype, Shape: e.shape, DataOffsets: [2]int64(e.offsets)})
}

// place checks one tensor's header entry: F32, a shape of at most MaxRank
// dimensions that fits a file, offsets that span exactly its values.
func place(name string, e headerEntry) (placed, error) {
	if e.Dtype != "F32" {
		return placed{}, fmt.Errorf("tensor %q has dtype %q; lenet-tui reads F32 (float32) only", name, e.Dtype)
	}
	if len(e.Shape) > MaxRank {
		return placed{}, fmt.Errorf("tensor %q has %d dimensions, more than %d", name, len(e.Shape), MaxRank)
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
	shape := make([]int, len(e.Shape))
	for i, d := range e.Shape {
		shape[i] = int(d)
	}
	return placed{Tensor{Name: name, Shape: shape}, b, end}, nil
}

// tile checks, before any data is read, that the tensors lie within the
// size bytes of data that follow the header and cover them exactly: no
// overlap, no gap, nothing after. It orders ts by where their data lies.
func tile(ts []placed, size int64) error {
	for _, p := range ts {
		if p.end > size {
			return fmt.Errorf("tensor %q ends at data byte %d, past the end of the file (%d data bytes): the file is truncated", p.t.Name, p.end, size)
		}
	}
	slices.SortFunc(ts, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	var at int64
	for i, p := range ts {
		switch {
		case p.begin < at:
			return fmt.Errorf("tensors %q and %q overlap (data bytes %d to %d)", ts[i-1].t.Name, p.t.Name, p.begin, at)
		case p.begin > at:
			return fmt.Errorf("data bytes %d to %d belong to no tensor", at, p.begin)
		}
		at = p.end
	}
	if at != size {
		return fmt.Errorf("%d stray bytes after the last tensor's data", size-at)
	}
	return nil
}

// readData reads the tensors' values from r, in the order tile left them,
// a chunk at a time.
func readData(r io.Reader, ts []placed) ([]Tensor, error) {
	tensors := make([]Tensor, 0, len(ts))
	buf := make([]byte, chunk)
	for _, p := range ts {
		p.t.Data = make([]float32, (p.end-p.begin)/4)
		for k := 0; k < len(p.t.Data); {
			b := buf[:4*min(len(p.t.Data)-k, chunk/4)]
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, cut(err)
			}
			for i := 0; i < len(b); i, k = i+4, k+1 {
				p.t.Data[k] = math.Float32frombits(binary.LittleEndian.Uint32(b[i:]))
			}
		}
		tensors = append(tensors, p.t)
	}
	return tensors, nil
}
