package digit

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // Decode reads GIF, JPEG and PNG
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"strings"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Limits on the pictures Decode decodes, checked from their headers before
// a pixel is decoded: a PNG of a few hundred bytes may claim 100,000×100,000
// pixels, or 5,000×5,000 of 64-bit colour (200 MB decoded).
const (
	// MaxPixels bounds a picture's width × height: 25 megapixels, a
	// large phone photo.
	MaxPixels = 25_000_000
	// MaxDecodedBytes bounds the memory the decoder takes for a picture:
	// 64 MiB, which holds a 12-megapixel photo (JPEG) or a 4K screenshot
	// (PNG). Decode says what is counted.
	MaxDecodedBytes = 64 << 20
)

// decodedBudget is MaxDecodedBytes, lowered by tests.
var decodedBudget int64 = MaxDecodedBytes

// ErrFormat is a file that is none of the formats Decode reads.
var ErrFormat = errors.New("not a PNG, JPEG or GIF image")

// SizeError is a picture refused for its size before it is decoded.
type SizeError struct {
	Format        string // PNG, JPEG or GIF
	Width, Height int
	Bytes         int64 // what decoding it would take; 0 when its pixels are too many
	Budget        int64 // the bytes allowed
}

func (e *SizeError) Error() string {
	const fix = "save it smaller: a digit needs a few hundred pixels a side, in 8-bit grey or colour"
	if e.Bytes == 0 {
		return fmt.Sprintf("a %d×%d %s: want at most %s pixels; %s", e.Width, e.Height, e.Format, thousands(MaxPixels), fix)
	}
	return fmt.Sprintf("a %d×%d %s: decoding it would take %s bytes, more than the %s (%d MiB) a picture may; %s",
		e.Width, e.Height, e.Format, thousands(e.Bytes), thousands(e.Budget), e.Budget>>20, fix)
}

// ReadFile decodes the picture in the file at path, as Decode does. The
// file must be a regular file (a named pipe would wait for a writer); its
// errors name path.
func ReadFile(path string) (image.Image, error) {
	f, _, err := infile.Open(path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s: %v", path, pe.Err) // "PATH: no such file or directory"
	} else if err != nil {
		return nil, err // "PATH: a named pipe, not a regular file"
	}
	defer f.Close()
	img, _, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// Decode decodes the PNG, JPEG or GIF picture r holds (a GIF's first
// frame) and returns it with its format's name ("PNG"). It reads the
// header first and refuses a picture of more than MaxPixels pixels, or
// whose decoding would take more than MaxDecodedBytes (a *SizeError),
// before decoding it; r is then read again from its start. What decoding
// takes is counted from the header: the image (a pixel of grey 1 byte, of
// 16-bit grey 2, of colour 4, of 16-bit colour 8; of a palette 1), twice
// that for an interlaced PNG, and for a JPEG its planes in whole blocks,
// the image made of them and a progressive JPEG's coefficients (4 bytes
// a sample). Every other error is one line: ErrFormat, or a broken image.
func Decode(r io.ReadSeeker) (image.Image, string, error) {
	cfg, format, err := image.DecodeConfig(bufio.NewReader(r))
	name := strings.ToUpper(format)
	if errors.Is(err, image.ErrFormat) {
		return nil, "", ErrFormat
	} else if err != nil {
		return nil, name, fmt.Errorf("a broken image: %s", decodeError(err, format))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPixels/max(1, cfg.Height) {
		return nil, name, &SizeError{Format: name, Width: cfg.Width, Height: cfg.Height}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, name, err
	}
	bytes, err := decodedBytes(r, cfg, format)
	if err != nil {
		return nil, name, err
	}
	if bytes > decodedBudget {
		return nil, name, &SizeError{Format: name, Width: cfg.Width, Height: cfg.Height, Bytes: bytes, Budget: decodedBudget}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, name, err
	}
	img, _, err := image.Decode(bufio.NewReader(r))
	if err != nil {
		return nil, name, fmt.Errorf("a broken %s image: %s", name, decodeError(err, format))
	}
	return img, name, nil
}

// decodeError is a decoder's error without the format's name it starts
// with ("png: invalid format: …"), which the caller says in its own words.
func decodeError(err error, format string) string {
	msg := err.Error()
	if format != "" {
		msg = strings.TrimPrefix(msg, format+": ")
	}
	return msg
}

// decodedBytes is an upper bound on the memory Go's decoder for format
// ("png", "jpeg", "gif") allocates to decode the picture r holds from its
// start, of header cfg: the image of cfg.ColorModel (see bytesPerPixel),
// twice that for an interlaced PNG (its passes, then the whole); for a
// JPEG, in whole MCUs, its planes (YCbCr, and a black one for CMYK) and
// the RGBA or CMYK image made of them, and the coefficients a progressive
// JPEG keeps (4 bytes a sample). Decoders' small buffers (rows, tables)
// are not counted.
func decodedBytes(r io.Reader, cfg image.Config, format string) (int64, error) {
	w, h := int64(cfg.Width), int64(cfg.Height)
	per := bytesPerPixel(cfg.ColorModel)
	switch format {
	case "png":
		var head [29]byte // signature, IHDR's length and type, its 13 bytes
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return 0, fmt.Errorf("a broken image: %w", err)
		}
		if head[28] != 0 { // interlaced (Adam7)
			per *= 2
		}
	case "jpeg":
		w, h = (w+31)/32*32, (h+31)/32*32 // whole MCUs of up to 4×4 blocks
		progressive, err := jpegProgressive(r)
		if err != nil {
			return 0, err
		}
		comps := int64(1) // grey
		switch cfg.ColorModel {
		case color.YCbCrModel:
			comps, per = 3, 3
		case color.RGBAModel: // YCbCr planes holding RGB, then converted
			comps, per = 3, 3+4
		case color.CMYKModel: // YCbCr planes and black, then converted
			comps, per = 4, 3+1+4
		}
		if progressive {
			per += 4 * comps
		}
	}
	return w * h * per, nil
}

// bytesPerPixel is what an image of model m takes a pixel; 8 (the most)
// for a model it does not know.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	case color.YCbCrModel:
		return 3
	case color.NYCbCrAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// jpegProgressive reads a JPEG's markers up to its frame header and says
// whether it is progressive (SOF2).
func jpegProgressive(r io.Reader) (bool, error) {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xff, 0xd8} {
		return false, errors.New("a broken image: no JPEG start marker")
	}
	for range 1 << 16 { // segments before the frame; more is no JPEG
		b, err := br.ReadByte()
		for err == nil && b == 0xff { // fill bytes before a marker
			b, err = br.ReadByte()
		}
		if err != nil {
			return false, fmt.Errorf("a broken image: %w", err)
		}
		switch {
		case b == 0xc2:
			return true, nil
		case b >= 0xc0 && b <= 0xcf && b != 0xc4 && b != 0xc8 && b != 0xcc:
			return false, nil // another frame type: baseline, or one Go refuses
		case b == 0x01 || b >= 0xd0 && b <= 0xd9:
			continue // markers without a length
		}
		var n [2]byte
		if _, err := io.ReadFull(br, n[:]); err != nil {
			return false, fmt.Errorf("a broken image: %w", err)
		}
		if _, err := br.Discard(max(0, int(binary.BigEndian.Uint16(n[:]))-2)); err != nil {
			return false, fmt.Errorf("a broken image: %w", err)
		}
	}
	return false, errors.New("a broken image: no JPEG frame header")
}

// thousands writes n with commas: 25,000,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
