package digit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pngHeader is a PNG of a header and no pixels: its IHDR claims w×h pixels
// of bit depth depth and colour type typ, interlaced or not.
func pngHeader(w, h uint32, depth, typ byte, interlaced bool) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, typ, 0, 0, 0)
	if interlaced {
		ihdr[len(ihdr)-1] = 1
	}
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)-4))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

// TestDecodeBudget: a picture whose header claims more pixels, or more
// decoded bytes, than allowed is refused before a pixel is decoded; one
// within the limits goes on to be decoded (here it then has no pixels).
func TestDecodeBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"100,000² pixels", pngHeader(100_000, 100_000, 8, 0, false), "a 100000×100000 PNG: want at most 25,000,000 pixels; save it smaller"},
		{"16-bit colour", pngHeader(5000, 5000, 16, 6, false), "a 5000×5000 PNG: decoding it would take 200,000,000 bytes, more than the 67,108,864 (64 MiB) a picture may; save it smaller"},
		{"8-bit colour", pngHeader(5000, 5000, 8, 6, false), "decoding it would take 100,000,000 bytes"},
		{"16-bit grey, interlaced", pngHeader(5000, 5000, 16, 0, true), "decoding it would take 100,000,000 bytes"},
		{"16-bit grey", pngHeader(5000, 5000, 16, 0, false), "a broken PNG image: "}, // 50,000,000 bytes: within the budget
		{"8-bit grey", pngHeader(8000, 3000, 8, 0, false), "a broken PNG image: "},
		{"not an image", []byte("hello, world\n"), "not a PNG, JPEG or GIF image"},
		{"a broken header", pngHeader(5000, 5000, 3, 6, false), "a broken image: unsupported feature: bit depth 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, _, err := Decode(bytes.NewReader(tc.file))
			if img != nil || err == nil || !strings.HasPrefix(err.Error(), tc.want) && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode = %v, want an error with %q", err, tc.want)
			}
			var se *SizeError
			if big := strings.Contains(tc.want, "want at most") || strings.Contains(tc.want, "would take"); big != errors.As(err, &se) {
				t.Errorf("Decode = %#v: a *SizeError %v, want %v", err, !big, big)
			}
		})
	}
}

// TestDecodeBudgetLowered: a real 16-bit grey PNG is decoded within the
// budget and refused above it, its bytes counted as 2 a pixel.
func TestDecodeBudgetLowered(t *testing.T) {
	img := image.NewGray16(image.Rect(0, 0, 300, 200))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	defer func(old int64) { decodedBudget = old }(decodedBudget)
	decodedBudget = 2 * 300 * 200
	if got, format, err := Decode(bytes.NewReader(b.Bytes())); err != nil || format != "PNG" || got.Bounds() != img.Bounds() {
		t.Fatalf("Decode(300×200 Gray16) with a budget of %d = %v, %q, %v; want the image", decodedBudget, got, format, err)
	}
	decodedBudget--
	var se *SizeError
	if _, _, err := Decode(bytes.NewReader(b.Bytes())); !errors.As(err, &se) || se.Bytes != 2*300*200 {
		t.Errorf("Decode(300×200 Gray16) with a budget of %d = %v, want a *SizeError of %d bytes", decodedBudget, err, 2*300*200)
	}
}

// TestDecodedBytesJPEG: a JPEG counts its planes in whole MCUs, and a
// progressive one its coefficients too.
func TestDecodedBytesJPEG(t *testing.T) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 100, 50)), nil); err != nil {
		t.Fatal(err)
	}
	baseline := b.Bytes()
	sof := bytes.Index(baseline, []byte{0xff, 0xc0})
	if sof < 0 {
		t.Fatal("jpeg.Encode wrote no SOF0 marker")
	}
	progressive := slices.Clone(baseline)
	progressive[sof+1] = 0xc2
	for _, tc := range []struct {
		name string
		file []byte
		want int64
	}{
		{"baseline", baseline, 128 * 64 * 3},
		{"progressive", progressive, 128 * 64 * (3 + 4*3)},
	} {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(tc.file))
		if err != nil {
			t.Fatalf("%s: DecodeConfig: %v", tc.name, err)
		}
		if got, err := decodedBytes(bytes.NewReader(tc.file), cfg, format); err != nil || got != tc.want {
			t.Errorf("decodedBytes(%s 100×50 JPEG) = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
}

// ring is a w×h picture of a dark ring on a light ground, of the colour
// model of img, drawn into img.
func ring(img interface {
	image.Image
	Set(x, y int, c color.Color)
}) image.Image {
	b := img.Bounds()
	cx, cy, r := (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2, min(b.Dx(), b.Dy())*2/5
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
			c := color.Color(color.NRGBA{R: 250, G: 240, B: 220, A: 255})
			if d > (r-r/5)*(r-r/5) && d < r*r {
				c = color.NRGBA{R: 20, G: 30, B: uint8(40 + x%50), A: uint8(200 + y%56)}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// TestPrepareImage: PrepareImage gives the bytes Prepare gives of
// FromImage's grey levels, for each kind of image the decoders make.
func TestPrepareImage(t *testing.T) {
	r := image.Rect(3, 5, 123, 85) // not at the origin
	pal := color.Palette{color.White, color.Black, color.Gray{Y: 128}}
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	var jb bytes.Buffer
	jpeg.Encode(&jb, ring(image.NewRGBA(r)), nil)
	jimg, _ := jpeg.Decode(&jb)
	for _, img := range []image.Image{
		ring(image.NewGray(r)), ring(image.NewGray16(r)), ring(image.NewRGBA(r)), ring(image.NewNRGBA(r)),
		ring(image.NewRGBA64(r)), ring(image.NewNRGBA64(r)), ring(image.NewPaletted(r, pal)), ring(image.NewCMYK(r)), ycc, jimg,
	} {
		want, werr := Prepare(FromImage(img))
		got, err := PrepareImage(img)
		if !slices.Equal(got, want) || (err == nil) != (werr == nil) {
			t.Errorf("PrepareImage(%T) = %v, %v; want Prepare(FromImage) = %v, %v", img, got, err, want, werr)
		}
		if werr != nil && img != image.Image(ycc) { // a ring: a digit
			t.Errorf("Prepare(FromImage(%T)) = %v, want a digit", img, werr)
		}
	}
	if _, err := PrepareImage(image.NewGray(image.Rect(0, 0, 0, 0))); !errors.Is(err, ErrTooSmall) {
		t.Errorf("PrepareImage(0×0) = %v, want ErrTooSmall", err)
	}
}

// TestReadFile reads a GIF, a JPEG and a PNG from files, and names the
// file in its errors.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	img := ring(image.NewPaletted(image.Rect(0, 0, 40, 30), color.Palette{color.White, color.Black}))
	write := func(name string, enc func(io.Writer) error) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := enc(f); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, path := range []string{
		write("a.gif", func(w io.Writer) error { return gif.Encode(w, img, nil) }),
		write("a.jpg", func(w io.Writer) error { return jpeg.Encode(w, img, nil) }),
		write("a.png", func(w io.Writer) error { return png.Encode(w, img) }),
	} {
		if got, err := ReadFile(path); err != nil || got.Bounds().Size() != img.Bounds().Size() {
			t.Errorf("ReadFile(%s) = %v, %v; want a 40×30 image", path, got, err)
		}
	}
	huge := filepath.Join(dir, "huge.png")
	os.WriteFile(huge, pngHeader(5000, 5000, 16, 2, false), 0o644)
	for path, want := range map[string]string{
		filepath.Join(dir, "none.png"): "none.png: no such file or directory",
		dir:                            dir + ": a folder, not a file",
		huge:                           huge + ": a 5000×5000 PNG: decoding it would take 200,000,000 bytes", // 16-bit RGB decodes as RGBA64
	} {
		if _, err := ReadFile(path); err == nil || !strings.HasPrefix(err.Error(), filepath.Dir(path)) || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadFile(%s) = %v, want an error with %q", path, err, want)
		}
	}
}
