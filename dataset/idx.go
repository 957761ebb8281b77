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
	"os"
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

// firstChunk is the most a reader allocates before the data is there: the
// body of a gzipped file grows fourfold from it as data arrives, so a header
// that lies costs no more memory than the data that backs it.
const firstChunk = 1 << 20

// A FormatError reports that a file is not valid IDX data, or that files
// meant to go together do not, and where.
type FormatError struct {
	File string // file name as given to the reader, or path as given to Load
	// Offset is where the problem is, in bytes from the start of the file,
	// or of its gunzipped content when Gunzipped.
	Offset    int64
	Gunzipped bool
	Problem   string // e.g. "bad magic 0x00000801, want 0x00000803"
}

func (e *FormatError) Error() string {
	where := "byte " + strconv.FormatInt(e.Offset, 10)
	if e.Gunzipped {
		where += " of the gunzipped data"
	}
	return "dataset: " + e.File + ": " + where + ": " + e.Problem
}

// ReadImages reads an IDX file of unsigned-byte images (magic 0x00000803)
// from r, gzip-compressed or raw. It returns the pixels as one
// (count, rows, cols) row-major slice. name is the file name used in error
// messages.
func ReadImages(r io.Reader, name string) (images []uint8, count, rows, cols int, err error) {
	f, err := readIDX(r, name, imagesMagic, "pixels")
	if err != nil {
		return nil, 0, 0, 0, err
	}
	return f.body, f.dims[0], f.dims[1], f.dims[2], nil
}

// ReadLabels reads an IDX file of unsigned-byte labels (magic 0x00000801)
// from r, gzip-compressed or raw. name is the file name used in error
// messages.
func ReadLabels(r io.Reader, name string) (labels []uint8, err error) {
	f, err := readIDX(r, name, labelsMagic, "labels")
	if err != nil {
		return nil, err
	}
	return f.body, nil
}

// idxFile is an IDX file read: its dimensions and, unless only the header
// was read, its body.
type idxFile struct {
	name string
	gz   bool // the body is the gunzipped content
	dims []int
	body []byte
}

// errorAt is a *FormatError at offset off of f's (gunzipped) content.
func (f idxFile) errorAt(off int64, format string, args ...any) *FormatError {
	return &FormatError{File: f.name, Offset: off, Gunzipped: f.gz, Problem: fmt.Sprintf(format, args...)}
}

// readIDX reads a whole IDX file whose header must carry magic. what names
// the items in error messages.
func readIDX(r io.Reader, name string, magic uint32, what string) (idxFile, error) {
	x, err := newIDXReader(r, name)
	if err != nil {
		return idxFile{}, err
	}
	f, size, err := x.header(magic, what)
	if err != nil {
		return idxFile{}, err
	}
	if f.body, err = x.body(size, what); err != nil {
		return idxFile{}, err
	}
	return f, x.end()
}

// readHeader reads only the header of an IDX file whose header must carry
// magic; what names its items.
func readHeader(r io.Reader, name string, magic uint32, what string) (idxFile, error) {
	x, err := newIDXReader(r, name)
	if err != nil {
		return idxFile{}, err
	}
	f, _, err := x.header(magic, what)
	return f, err
}

// idxReader reads one IDX file, raw or gzipped, and knows where it is.
type idxReader struct {
	name string
	r    io.Reader // the IDX bytes: the file's, or its gunzipped content
	gz   *gunzip   // nil for a raw file
	off  int64     // bytes of r read so far
	left int64     // a raw file of known size: the bytes it holds from its start; -1 if unknown
}

func newIDXReader(r io.Reader, name string) (*idxReader, error) {
	left := remaining(r)
	c := &counter{r: r}
	br := bufio.NewReader(c)
	x := &idxReader{name: name, r: br, left: left}
	if b, _ := br.Peek(2); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return x, nil
	}
	x.left = -1
	x.gz = &gunzip{name: name, c: c, br: br}
	if err := x.gz.member(); err != nil {
		return nil, err
	}
	x.r = x.gz
	return x, nil
}

// remaining returns the bytes left in r when it can tell (a regular file, an
// in-memory reader), or -1.
func remaining(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		return int64(r.Len())
	case *os.File:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return fi.Size() - at
	}
	return -1
}

// header reads and checks the magic and the dimensions, and returns them
// with the size of the body they announce; what names the items. The magic
// is read alone first, so that a file of the wrong kind is reported as such
// even when it is too short for the header wanted. A raw file of known size
// must hold exactly the header and the body it announces.
func (x *idxReader) header(magic uint32, what string) (f idxFile, size int, err error) {
	f = idxFile{name: x.name, gz: x.gz != nil}
	buf := make([]byte, 4+4*(magic&0xff))
	if err := x.readFull(buf[:4], "magic"); err != nil {
		return f, 0, err
	}
	if got := binary.BigEndian.Uint32(buf); got != magic {
		return f, 0, f.errorAt(0, "bad magic 0x%08x, want 0x%08x", got, magic)
	}
	if err := x.readFull(buf[4:], "dimensions"); err != nil {
		return f, 0, err
	}
	total := uint64(1)
	for rest := buf[4:]; len(rest) > 0; rest = rest[4:] {
		d := binary.BigEndian.Uint32(rest)
		f.dims = append(f.dims, int(d))
		total *= uint64(d) // total <= maxBytes before this, so it cannot overflow
		if total > maxBytes {
			return f, 0, f.errorAt(4, "dimensions %s exceed %d bytes", formatDims(buf[4:]), maxBytes)
		}
	}
	if total == 0 {
		return f, 0, f.errorAt(4, "empty: dimensions %s", formatDims(buf[4:]))
	}
	size = int(total)
	if x.left >= 0 {
		switch body := x.left - x.off; {
		case body < int64(size):
			return f, 0, f.errorAt(x.left, "truncated: dimensions %s want %d bytes of %s after the %d-byte header, the file has %d",
				formatDims(buf[4:]), size, what, len(buf), body)
		case body > int64(size):
			return f, 0, f.errorAt(x.off+int64(size), "trailing data after the last item (%s)", bytesOf(body-int64(size)))
		}
	}
	return f, size, nil
}

// body reads the size bytes of the body; what names them. A raw file whose
// size matched the header is read at once; otherwise the buffer grows as
// data arrives, so a header that lies about a short file costs no memory.
func (x *idxReader) body(size int, what string) ([]byte, error) {
	n := size
	if x.left < 0 {
		n = min(size, firstChunk)
	}
	body := make([]byte, n)
	got := 0
	for {
		m, err := io.ReadFull(x.r, body[got:])
		x.off += int64(m)
		got += m
		if err != nil {
			return nil, x.readError(err, size, got, what)
		}
		if got == size {
			return body, nil
		}
		body = append(body, make([]byte, min(4*got, size)-got)...)
	}
}

// readFull fills buf; what names the bytes wanted.
func (x *idxReader) readFull(buf []byte, what string) error {
	n, err := io.ReadFull(x.r, buf)
	x.off += int64(n)
	if err != nil {
		return x.readError(err, len(buf), n, what)
	}
	return nil
}

// readError reports a read that stopped after got of the want bytes of what:
// a short file is truncated, anything else a stream error.
func (x *idxReader) readError(err error, want, got int, what string) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return &FormatError{File: x.name, Offset: x.off, Gunzipped: x.gz != nil,
			Problem: fmt.Sprintf("truncated: want %d bytes of %s, got %d", want, what, got)}
	}
	return x.streamError(err)
}

// end reports an error unless the file ends after the last item. For gzip
// input it is this last read that verifies the checksum.
func (x *idxReader) end() error {
	var b [1]byte
	n, err := io.ReadFull(x.r, b[:])
	switch {
	case err == io.EOF:
		return nil
	case n == 1:
		return &FormatError{File: x.name, Offset: x.off, Gunzipped: x.gz != nil, Problem: "trailing data after the last item"}
	default:
		return x.streamError(err)
	}
}

// streamError turns a corrupt gzip stream into a *FormatError at its offset
// in the file, and wraps any other error, such as a failing disk, with the
// file name and offset.
func (x *idxReader) streamError(err error) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		return err
	}
	var corrupt flate.CorruptInputError
	switch {
	case x.gz != nil && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt)):
		return &FormatError{File: x.name, Offset: x.gz.offset(), Problem: "corrupt gzip stream: " + err.Error()}
	case x.gz != nil && errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{File: x.name, Offset: x.gz.offset(), Problem: "truncated gzip stream"}
	case x.gz != nil:
		return fmt.Errorf("dataset: %s: byte %d: %w", x.name, x.gz.offset(), err)
	}
	return fmt.Errorf("dataset: %s: byte %d: %w", x.name, x.off, err)
}

// gunzip reads the members of a gzip file one after the other, as gunzip
// does. Zero bytes after the last member end the data, as gunzip accepts
// them; any other stray bytes are a *FormatError at their offset.
type gunzip struct {
	name string
	c    *counter      // the file's bytes read so far
	br   *bufio.Reader // over c
	zr   *gzip.Reader
}

// offset is the position in the file of the next byte the decompressor
// will read.
func (g *gunzip) offset() int64 { return g.c.n - int64(g.br.Buffered()) }

// member starts reading the member at the reader's position.
func (g *gunzip) member() error {
	at := g.offset()
	var err error
	if g.zr == nil {
		g.zr, err = gzip.NewReader(g.br)
	} else {
		err = g.zr.Reset(g.br)
	}
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{File: g.name, Offset: at, Problem: "truncated gzip header"}
	case err != nil:
		return &FormatError{File: g.name, Offset: at, Problem: "corrupt gzip header: " + err.Error()}
	}
	g.zr.Multistream(false)
	return nil
}

func (g *gunzip) Read(p []byte) (int, error) {
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		if n > 0 {
			return n, nil // the member's end comes again with the next Read
		}
		// The member ended and its checksum matched: what follows?
		b, _ := g.br.Peek(2)
		switch {
		case len(b) == 0:
			return 0, io.EOF
		case len(b) == 2 && b[0] == 0x1f && b[1] == 0x8b:
			if err := g.member(); err != nil {
				return 0, err
			}
		default:
			return 0, g.trailing()
		}
	}
}

// trailing reads what follows the last member: io.EOF if it is only zero
// bytes, else a *FormatError at the first other byte.
func (g *gunzip) trailing() error {
	at := g.offset()
	var stray, n int64
	first := int64(-1)
	buf := make([]byte, 4096)
	for {
		m, err := g.br.Read(buf)
		for i, c := range buf[:m] {
			if c != 0 {
				stray++
				if first < 0 {
					first = at + n + int64(i)
				}
			}
		}
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("dataset: %s: byte %d: %w", g.name, at+n, err)
		}
	}
	if first < 0 {
		return io.EOF
	}
	return &FormatError{File: g.name, Offset: first, Problem: fmt.Sprintf("stray data after the gzip data, which ends at byte %d: %s, %d of them not zero (only zeros may follow)", at, bytesOf(n), stray)}
}

// bytesOf says "1 byte", "2 bytes".
func bytesOf(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// formatDims renders the big-endian uint32 dimensions in b as "60000×28×28".
func formatDims(b []byte) string {
	var parts []string
	for ; len(b) >= 4; b = b[4:] {
		parts = append(parts, strconv.FormatUint(uint64(binary.BigEndian.Uint32(b)), 10))
	}
	return strings.Join(parts, "×")
}
