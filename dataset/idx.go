package dataset

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// IDX magic numbers: two zero bytes, the element type (0x08, unsigned byte)
// and the number of dimensions.
const (
	imagesMagic = 0x00000803
	labelsMagic = 0x00000801
)

// maxBytes bounds the body a header may announce, so that a corrupt or
// hostile header cannot make a reader allocate without limit. It is the
// largest int on every platform.
const maxBytes = math.MaxInt32

// A FormatError reports that a file is not valid IDX data, or that files
// meant to go together do not.
type FormatError struct {
	File    string // file name as given to the reader, or path as given to Load
	Problem string // e.g. "bad magic 0x00000801, want 0x00000803"
}

func (e *FormatError) Error() string { return "dataset: " + e.File + ": " + e.Problem }

// ReadImages reads an IDX file of unsigned-byte images (magic 0x00000803)
// from r, gzip-compressed or raw. It returns the pixels as one
// (count, rows, cols) row-major slice. name is the file name used in error
// messages.
func ReadImages(r io.Reader, name string) (images []uint8, count, rows, cols int, err error) {
	images, dims, err := readIDX(r, name, imagesMagic, "pixels")
	if err != nil {
		return nil, 0, 0, 0, err
	}
	return images, dims[0], dims[1], dims[2], nil
}

// ReadLabels reads an IDX file of unsigned-byte labels (magic 0x00000801)
// from r, gzip-compressed or raw. name is the file name used in error
// messages.
func ReadLabels(r io.Reader, name string) (labels []uint8, err error) {
	labels, _, err = readIDX(r, name, labelsMagic, "labels")
	return labels, err
}

// readIDX reads a whole IDX file whose header must carry magic, and returns
// its body and dimensions. The number of dimensions is the magic's low byte;
// what names the items in error messages.
func readIDX(r io.Reader, name string, magic uint32, what string) (body []byte, dims []int, err error) {
	r, err = decompress(r, name)
	if err != nil {
		return nil, nil, err
	}

	// The magic is read alone first, so that a file of the wrong kind is
	// reported as such even when it is too short for the header wanted.
	header := make([]byte, 4+4*(magic&0xff))
	if err := readFull(r, header[:4], name, "magic"); err != nil {
		return nil, nil, err
	}
	if got := binary.BigEndian.Uint32(header); got != magic {
		return nil, nil, &FormatError{name, fmt.Sprintf("bad magic 0x%08x, want 0x%08x", got, magic)}
	}
	if err := readFull(r, header[4:], name, "dimensions"); err != nil {
		return nil, nil, err
	}
	size := uint64(1)
	for rest := header[4:]; len(rest) > 0; rest = rest[4:] {
		d := binary.BigEndian.Uint32(rest)
		dims = append(dims, int(d))
		size *= uint64(d) // size <= maxBytes before this, so it cannot overflow
		if size > maxBytes {
			return nil, nil, &FormatError{name, fmt.Sprintf("dimensions %s exceed %d bytes", formatDims(header[4:]), maxBytes)}
		}
	}
	if size == 0 {
		return nil, nil, &FormatError{name, "empty: dimensions " + formatDims(header[4:])}
	}

	body = make([]byte, size)
	if err := readFull(r, body, name, what); err != nil {
		return nil, nil, err
	}
	if err := checkEnd(r, name); err != nil {
		return nil, nil, err
	}
	return body, dims, nil
}

// decompress returns a reader of r's content, gunzipped if it starts with
// the gzip magic 1f 8b.
func decompress(r io.Reader, name string) (io.Reader, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(2); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, &FormatError{name, "truncated gzip header"}
	}
	if err != nil {
		return nil, streamError(name, err)
	}
	return zr, nil
}

// readFull fills buf from r, reporting a short read as a truncated file;
// what names the bytes wanted.
func readFull(r io.Reader, buf []byte, name, what string) error {
	n, err := io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{name, fmt.Sprintf("truncated: want %d bytes of %s, got %d", len(buf), what, n)}
	}
	if err != nil {
		return streamError(name, err)
	}
	return nil
}

// checkEnd reports an error unless r is at its end. For gzip input it is
// this last read that verifies the checksum.
func checkEnd(r io.Reader, name string) error {
	var b [1]byte
	_, err := io.ReadFull(r, b[:])
	switch {
	case err == io.EOF:
		return nil
	case err == nil:
		return &FormatError{name, "trailing data after the last item"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{name, "truncated gzip stream"}
	default:
		return streamError(name, err)
	}
}

// streamError turns a corrupt gzip stream into a *FormatError and wraps any
// other error, such as a failing disk, with the file name.
func streamError(name string, err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt) {
		return &FormatError{name, "corrupt gzip stream: " + err.Error()}
	}
	return fmt.Errorf("dataset: %s: %w", name, err)
}

// formatDims renders the big-endian uint32 dimensions in b as "60000×28×28".
func formatDims(b []byte) string {
	var parts []string
	for ; len(b) >= 4; b = b[4:] {
		parts = append(parts, strconv.FormatUint(uint64(binary.BigEndian.Uint32(b)), 10))
	}
	return strings.Join(parts, "×")
}
