package dataset

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReadIDX reads any bytes as an images file and as a labels file, raw
// or gzipped, from a reader of known size and from one of unknown size:
// never a panic, every problem a *FormatError that says where, the body as
// long as the header says, and no more memory than the data justifies.
func FuzzReadIDX(f *testing.F) {
	images := idx(imagesMagic, []uint32{2, 2, 3}, pixels)
	labels := idx(labelsMagic, []uint32{5}, []byte{5, 0, 4, 1, 9})
	for _, seed := range [][]byte{
		images, gz(images), labels, gz(labels),
		append(gz(images[:20]), gz(images[20:])...),
		append(gz(images), 0, 0, 0), append(gz(labels), 'x'),
		gz(idx(imagesMagic, []uint32{2_700_000, 28, 28}, nil)),
		idx(imagesMagic, []uint32{1 << 31, 1 << 31, 1 << 31}, nil),
		images[:10], gz(images)[:20], nil,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range []func() io.Reader{
			func() io.Reader { return bytes.NewReader(data) },
			func() io.Reader { return struct{ io.Reader }{bytes.NewReader(data)} }, // size unknown
		} {
			var body []byte
			var err error
			n := allocated(func() {
				var count, rows, cols int
				body, count, rows, cols, err = ReadImages(r(), "f")
				if err == nil && len(body) != count*rows*cols {
					t.Fatalf("ReadImages(%q) = %d bytes for %d×%d×%d", data, len(body), count, rows, cols)
				}
			})
			check(t, data, err, n)
			n = allocated(func() { _, err = ReadLabels(r(), "f") })
			check(t, data, err, n)
		}
	})
}

// check checks a read of data: an error is a *FormatError saying where, and
// the memory taken is bounded by what the data holds.
func check(t *testing.T, data []byte, err error, allocated uint64) {
	t.Helper()
	var fe *FormatError
	if err != nil && (!errors.As(err, &fe) || !bytes.Contains([]byte(err.Error()), []byte(": byte "))) {
		t.Fatalf("read(%q) error = %#v, want a *FormatError with an offset", data, err)
	}
	// A gzipped body grows fourfold from 1 MiB; deflate expands at most
	// about 1032 times.
	if limit := uint64(4*1032*len(data)) + 4<<20; allocated > limit {
		t.Fatalf("read(%d bytes) allocated %d bytes, want at most %d", len(data), allocated, limit)
	}
}
