package dataset

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lenet-tui/lenet-tui/internal/infile"
	"github.com/lenet-tui/lenet-tui/internal/outfile"
)

// Inflating MNIST's gzipped training images is most of the start of a run
// (about 47 MB from 9.9 MB, a few hundred milliseconds of one core), and
// every run inflates the same bytes. So the content of a gzipped IDX file
// is kept, inflated, in the user's cache folder, and read from there when
// it is whole: the gzip trailer's CRC-32 and length of the content name
// the copy and check it, so a copy of other data, a truncated copy or a
// damaged one is never used (the gzipped file is read instead, and the
// copy written again). The cache is only ever a shortcut: when it cannot
// be read or written, the gzipped file is read as before, and nothing is
// said.

// cacheDir returns the folder for inflated copies, or "" for none. Tests
// point it at a folder of their own.
var cacheDir = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "lenet-tui", "idx")
}

// gzipTrailer returns the CRC-32 and the length (mod 2³²) of the content
// that gzipped file f says it holds, from its last 8 bytes, and false when
// f is not gzipped or is too short to tell.
func gzipTrailer(f *os.File, size int64) (sum, length uint32, ok bool) {
	var head [2]byte
	var tail [8]byte
	if size < 18 || readAt(f, head[:], 0) != nil || head[0] != 0x1f || head[1] != 0x8b || readAt(f, tail[:], size-8) != nil {
		return 0, 0, false
	}
	return binary.LittleEndian.Uint32(tail[:4]), binary.LittleEndian.Uint32(tail[4:]), true
}

func readAt(f *os.File, b []byte, off int64) error {
	_, err := f.ReadAt(b, off)
	return err
}

// cachedName is where the inflated copy of the gzipped file path with
// trailer (sum, length) is kept, or "" when there is no cache folder.
func cachedName(path string, sum, length uint32) string {
	dir := cacheDir()
	if dir == "" {
		return ""
	}
	stem := strings.TrimSuffix(filepath.Base(path), ".gz")
	return filepath.Join(dir, fmt.Sprintf("%s-%08x-%d.idx", stem, sum, length))
}

// header returns f's header as its file holds it: the magic, then the
// dimensions.
func (f idxFile) header(magic uint32) []byte {
	head := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range f.dims {
		head = binary.BigEndian.AppendUint32(head, uint32(d))
	}
	return head
}

// contentSum is the CRC-32 and the length of f's content as it was read:
// its header and its body.
func contentSum(f idxFile, magic uint32) (sum uint32, length int) {
	head := f.header(magic)
	return crc32.Update(crc32.ChecksumIEEE(head), crc32.IEEETable, f.body), len(head) + len(f.body)
}

// readIDXFile reads the IDX file at path as readIDX does, from the
// inflated copy in the cache when path is gzipped and the copy is whole,
// and keeps such a copy when there was none.
func readIDXFile(path string, magic uint32, what string) (idxFile, error) {
	f, size, err := infile.Open(path)
	if err != nil {
		return idxFile{}, fmt.Errorf("dataset: %w", err) // as readFile says it
	}
	defer f.Close()
	sum, length, gz := gzipTrailer(f, size)
	cached := ""
	if gz {
		cached = cachedName(path, sum, length)
	}
	if c, ok := readCached(cached, path, magic, what, sum, length); ok {
		return c, nil
	}
	idx, err := readIDX(f, path, magic, what)
	if err == nil && cached != "" {
		keep(cached, idx, magic, sum, length)
	}
	return idx, err
}

// readCached returns the inflated copy at cached of the gzipped file path,
// and false unless it is there and whole.
func readCached(cached, path string, magic uint32, what string, sum, length uint32) (idxFile, bool) {
	if cached == "" {
		return idxFile{}, false
	}
	c, _, err := infile.Open(cached)
	if err != nil {
		return idxFile{}, false
	}
	defer c.Close()
	idx, err := readIDX(c, cached, magic, what)
	if err != nil {
		return idxFile{}, false
	}
	if got, n := contentSum(idx, magic); got != sum || uint32(n) != length {
		return idxFile{}, false
	}
	idx.name, idx.gz = path, true // errors found later name the file the user gave
	return idx, true
}

// keep writes the content of idx, read from a gzipped file with trailer
// (sum, length), to cached, if it is what the trailer says (a file of
// several gzip members has the last one's trailer only).
func keep(cached string, idx idxFile, magic, sum, length uint32) {
	if got, n := contentSum(idx, magic); got != sum || uint32(n) != length {
		return
	}
	if os.MkdirAll(filepath.Dir(cached), 0o755) != nil {
		return
	}
	outfile.Write(cached, func(w io.Writer) error {
		if _, err := w.Write(idx.header(magic)); err != nil {
			return err
		}
		_, err := w.Write(idx.body)
		return err
	})
}
