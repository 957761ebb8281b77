package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// idx returns an IDX file with the given magic, dimensions and body.
func idx(magic uint32, dims []uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, body...)
}

// gz returns b gzip-compressed.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// pixels is the body of a 2×2×3 images file.
var pixels = []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}

func TestReadImages(t *testing.T) {
	good := idx(imagesMagic, []uint32{2, 2, 3}, pixels)
	goodGz := gz(good)
	corrupt := slices.Clone(goodGz)
	corrupt[len(corrupt)-5] ^= 0xff // last byte of the CRC-32
	boom := errors.New("boom")

	tests := []struct {
		name string
		r    io.Reader
		want string // error text; empty for success
	}{
		{"raw", bytes.NewReader(good), ""},
		{"gzip", bytes.NewReader(goodGz), ""},
		{"gzip one byte at a time", iotest.OneByteReader(bytes.NewReader(goodGz)), ""},
		{"empty", bytes.NewReader(nil), "dataset: f: byte 0: truncated: want 4 bytes of magic, got 0"},
		{"truncated header", bytes.NewReader(good[:10]), "dataset: f: byte 10: truncated: want 12 bytes of dimensions, got 6"},
		{"truncated raw", bytes.NewReader(good[:len(good)-3]), "dataset: f: byte 25: truncated: dimensions 2×2×3 want 12 bytes of pixels after the 16-byte header, the file has 9"},
		{"truncated gzip", bytes.NewReader(goodGz[:len(goodGz)/2]), "dataset: f: byte 18 of the gunzipped data: truncated: want 12 bytes of pixels, got 2"},
		{"truncated gzip trailer", bytes.NewReader(goodGz[:len(goodGz)-2]), "dataset: f: byte 45: truncated gzip stream"},
		{"truncated gzip header", bytes.NewReader(goodGz[:5]), "dataset: f: byte 0: truncated gzip header"},
		{"corrupt gzip", bytes.NewReader(corrupt), "dataset: f: byte 47: corrupt gzip stream: gzip: invalid checksum"},
		{"bad magic", bytes.NewReader(idx(labelsMagic, []uint32{2, 2, 3}, pixels)), "dataset: f: byte 0: bad magic 0x00000801, want 0x00000803"},
		{"zero size", bytes.NewReader(idx(imagesMagic, []uint32{2, 0, 3}, nil)), "dataset: f: byte 4: empty: dimensions 2×0×3"},
		{"overflow", bytes.NewReader(idx(imagesMagic, []uint32{1 << 31, 1 << 31, 1 << 31}, nil)), "dataset: f: byte 4: dimensions 2147483648×2147483648×2147483648 exceed 2147483647 bytes"},
		{"too large", bytes.NewReader(idx(imagesMagic, []uint32{1, 1 << 16, 1 << 16}, nil)), "dataset: f: byte 4: dimensions 1×65536×65536 exceed 2147483647 bytes"},
		{"trailing data", bytes.NewReader(append(slices.Clone(good), 0)), "dataset: f: byte 28: trailing data after the last item (1 byte)"},
		{"read error", io.MultiReader(bytes.NewReader(good[:20]), iotest.ErrReader(boom)), "dataset: f: byte 20: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			images, count, rows, cols, err := ReadImages(tt.r, "f")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ReadImages() error = %v, want nil", err)
				}
				if count != 2 || rows != 2 || cols != 3 || !bytes.Equal(images, pixels) {
					t.Errorf("ReadImages() = %v, %d, %d, %d, want %v, 2, 2, 3", images, count, rows, cols, pixels)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("ReadImages() error = %v, want %s", err, tt.want)
			}
			if images != nil || count != 0 || rows != 0 || cols != 0 {
				t.Errorf("ReadImages() = %v, %d, %d, %d with error, want zero values", images, count, rows, cols)
			}
			var fe *FormatError
			if isFormat := errors.As(err, &fe); isFormat == errors.Is(err, boom) {
				t.Errorf("ReadImages() error = %#v: *FormatError %t, wraps reader error %t, want exactly one",
					err, isFormat, errors.Is(err, boom))
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	labels := []byte{5, 0, 4, 1, 9}
	good := idx(labelsMagic, []uint32{5}, labels)
	tests := []struct {
		name string
		in   []byte
		want string // error text; empty for success
	}{
		{"raw", good, ""},
		{"gzip", gz(good), ""},
		{"truncated raw", good[:10], "dataset: f: byte 10: truncated: dimensions 5 want 5 bytes of labels after the 8-byte header, the file has 2"},
		{"truncated gzip", gz(good)[:20], "dataset: f: byte 9 of the gunzipped data: truncated: want 5 bytes of labels, got 1"},
		{"bad magic", idx(imagesMagic, []uint32{5, 1, 1}, labels), "dataset: f: byte 0: bad magic 0x00000803, want 0x00000801"},
		{"empty", idx(labelsMagic, []uint32{0}, nil), "dataset: f: byte 4: empty: dimensions 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadLabels(bytes.NewReader(tt.in), "f")
			if tt.want == "" {
				if err != nil || !bytes.Equal(got, labels) {
					t.Errorf("ReadLabels() = %v, %v, want %v, nil", got, err, labels)
				}
				return
			}
			var fe *FormatError
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.As(err, &fe) {
				t.Errorf("ReadLabels() = %v, %v, want *FormatError %s", got, err, tt.want)
			}
		})
	}
}
