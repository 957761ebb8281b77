package dataset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHeaderNotTrusted gives headers that announce 2.7 million images with
// no pixels behind them: the reader reports the file as truncated without
// allocating what the header claims (2 GiB).
func TestHeaderNotTrusted(t *testing.T) {
	header := idx(imagesMagic, []uint32{2_700_000, 28, 28}, nil)
	for _, tc := range []struct {
		name string
		in   func() []byte
		one  bool // read through iotest.OneByteReader: the size is unknown
		data int  // bytes of pixels that are there
		want string
	}{
		{"gzip", func() []byte { return gz(header) }, false, 0, "dataset: f: byte 16 of the gunzipped data: truncated: want 2116800000 bytes of pixels, got 0"},
		{"gzip with some pixels", func() []byte { return gz(append(slices.Clone(header), make([]byte, 3<<20)...)) }, false, 3 << 20,
			"dataset: f: byte 3145744 of the gunzipped data: truncated: want 2116800000 bytes of pixels, got 3145728"},
		{"raw of known size", func() []byte { return header }, false, 0,
			"dataset: f: byte 16: truncated: dimensions 2700000×28×28 want 2116800000 bytes of pixels after the 16-byte header, the file has 0"},
		{"raw of unknown size", func() []byte { return append(slices.Clone(header), 1, 2, 3) }, true, 3,
			"dataset: f: byte 19: truncated: want 2116800000 bytes of pixels, got 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in()
			var err error
			n := allocated(func() {
				var r = bytes.NewReader(in)
				if tc.one {
					_, _, _, _, err = ReadImages(iotest.OneByteReader(r), "f")
					return
				}
				_, _, _, _, err = ReadImages(r, "f")
			})
			if err == nil || err.Error() != tc.want {
				t.Errorf("ReadImages(%d bytes) error = %v, want %s", len(in), err, tc.want)
			}
			// The buffer grows fourfold from 1 MiB, and gzip has its own.
			if limit := uint64(4*tc.data) + 2<<20; n > limit {
				t.Errorf("ReadImages(%d bytes) allocated %d bytes, want at most %d", len(in), n, limit)
			}
		})
	}
}

// TestGzipEnd reads what may follow gzip data: more members (gunzip joins
// them), zero bytes (gunzip ignores them), anything else (an error saying
// where).
func TestGzipEnd(t *testing.T) {
	good := idx(imagesMagic, []uint32{2, 2, 3}, pixels)
	goodGz := gz(good)
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"trailing zeros", append(slices.Clone(goodGz), make([]byte, 1000)...), ""},
		{"two members", append(gz(good[:20]), gz(good[20:])...), ""},
		{"three members, zeros", slices.Concat(gz(good[:5]), gz(good[5:17]), gz(good[17:]), []byte{0, 0}), ""},
		{"one stray byte", append(slices.Clone(goodGz), 'x'), "dataset: f: byte 47: stray data after the gzip data, which ends at byte 47: 1 byte, 1 of them not zero (only zeros may follow)"},
		{"nine stray bytes", append(slices.Clone(goodGz), []byte("123456789")...), "dataset: f: byte 47: stray data after the gzip data, which ends at byte 47: 9 bytes, 9 of them not zero (only zeros may follow)"},
		{"zeros, then stray", append(slices.Clone(goodGz), 0, 0, 7, 0), "dataset: f: byte 49: stray data after the gzip data, which ends at byte 47: 4 bytes, 1 of them not zero (only zeros may follow)"},
		{"a truncated member", append(slices.Clone(goodGz), 0x1f, 0x8b, 8), "dataset: f: byte 47: truncated gzip header"},
		{"data ends with a member", gz(good[:20]), "dataset: f: byte 20 of the gunzipped data: truncated: want 12 bytes of pixels, got 4"},
		{"more data than the header says", append(gz(good), gz([]byte{1})...), "dataset: f: byte 28 of the gunzipped data: trailing data after the last item"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			images, _, _, _, err := ReadImages(bytes.NewReader(tc.in), "f")
			if tc.want == "" {
				if err != nil || !bytes.Equal(images, pixels) {
					t.Errorf("ReadImages() = %v, %v; want %v, nil", images, err, pixels)
				}
				return
			}
			if err == nil || err.Error() != tc.want {
				t.Errorf("ReadImages() error = %v, want %s", err, tc.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("ReadImages() error = %#v, want a *FormatError", err)
			}
		})
	}
}

// TestLoadChoosesNoFileSilently puts a file under two of its names: the
// same data (gzipped or not) is fine, different data an error naming both.
func TestLoadChoosesNoFileSilently(t *testing.T) {
	other := idx(imagesMagic, []uint32{3, 2, 2}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99})
	for _, tc := range []struct {
		name  string
		added map[string][]byte
		want  string
	}{
		{"same, gzipped", map[string][]byte{"train-images-idx3-ubyte.gz": gz(trainImages)}, ""},
		{"same, dot name", map[string][]byte{"train-images.idx3-ubyte": trainImages}, ""},
		{"differ", map[string][]byte{"train-images-idx3-ubyte.gz": gz(other)},
			"dataset: DIR/train-images-idx3-ubyte.gz: byte 27 of the gunzipped data: differs from train-images-idx3-ubyte, which is there too: remove the one that is wrong"},
		{"one is longer", map[string][]byte{"train-images.idx3-ubyte.gz": gz(append(slices.Clone(trainImages), 0))},
			"dataset: DIR/train-images.idx3-ubyte.gz: byte 28 of the gunzipped data: differs from train-images-idx3-ubyte, which is there too: remove the one that is wrong"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, with("", tc.added))
			train, test, err := Load(dir, "tiny", Options{})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Load() error = %v", err)
				}
				checkTiny(t, train, test, "tiny")
				return
			}
			if want := strings.ReplaceAll(tc.want, "DIR", dir); err == nil || err.Error() != want {
				t.Errorf("Load() error = %v, want %s", err, want)
			}
		})
	}
}

// TestLoadRegularFilesOnly puts a folder where a file should be.
func TestLoadRegularFilesOnly(t *testing.T) {
	dir := writeFiles(t, with("t10k-labels-idx1-ubyte", nil))
	path := filepath.Join(dir, "t10k-labels-idx1-ubyte")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, err := Load(dir, "tiny", Options{})
	if want := "dataset: " + path + ": a folder, not a file"; err == nil || err.Error() != want {
		t.Errorf("Load() error = %v, want %s", err, want)
	}
}

func TestPeek(t *testing.T) {
	dir := writeFiles(t, tinyFiles())
	train, test, err := Peek(dir, Options{})
	if err != nil || train != (Dims{3, 2, 2, 10}) || test != (Dims{2, 2, 2, 10}) {
		t.Errorf("Peek() = %v, %v, %v; want {3 2 2}, {2 2 2}, nil", train, test, err)
	}
	// A gzipped body is not read: its truncation is Load's to find.
	dir = writeFiles(t, with("train-images-idx3-ubyte", map[string][]byte{"train-images-idx3-ubyte.gz": gz(trainImages[:20])}))
	if train, _, err := Peek(dir, Options{}); err != nil || train != (Dims{3, 2, 2, 10}) {
		t.Errorf("Peek(truncated gzip body) = %v, %v; want {3 2 2}, nil", train, err)
	}
	if _, _, err := Load(dir, "tiny", Options{}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("Load(truncated gzip body) error = %v, want truncated", err)
	}
}
