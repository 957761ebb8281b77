package digit

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestFromImage(t *testing.T) {
	img := image.NewNRGBA(image.Rect(10, 20, 13, 21)) // bounds not at the origin
	img.Set(10, 20, color.NRGBA{R: 255, A: 255})      // red: BT.601 luminance 0.299
	img.Set(11, 20, color.NRGBA{A: 0})                // transparent: white paper
	img.Set(12, 20, color.NRGBA{A: 128})              // half-transparent black over white
	px, w, h := FromImage(img)
	if w != 3 || h != 1 {
		t.Fatalf("FromImage size = %d×%d, want 3×1", w, h)
	}
	for i, want := range []float64{0.299, 1, 1 - 128.0/255} {
		if math.Abs(px[i]-want) > 1e-3 {
			t.Errorf("FromImage pixel %d = %.4f, want %.4f", i, px[i], want)
		}
	}
	gray := image.NewGray16(image.Rect(0, 0, 1, 1))
	gray.SetGray16(0, 0, color.Gray16{Y: 0x8000})
	if px, _, _ := FromImage(gray); math.Abs(px[0]-0x8000/65535.0) > 1e-9 {
		t.Errorf("FromImage(Gray16 0x8000) = %v, want %v", px[0], 0x8000/65535.0)
	}
}

// TestFromImageFast: the fast paths for grey and RGBA pictures read what
// the general one does.
func TestFromImageFast(t *testing.T) {
	g := image.NewGray(image.Rect(3, 5, 8, 9)) // not at the origin
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 13)
	}
	c := image.NewRGBA(image.Rect(3, 5, 8, 9))
	for i := range c.Pix {
		c.Pix[i] = uint8(i * 29)
	}
	for i := 3; i < len(c.Pix); i += 4 { // premultiplied: no channel above alpha
		c.Pix[i] = max(c.Pix[i], c.Pix[i-1], c.Pix[i-2], c.Pix[i-3])
	}
	for _, img := range []image.Image{g, c} {
		fast, w, h := FromImage(img)
		slow, _, _ := FromImage(struct{ image.Image }{img}) // hides the type
		if w != 5 || h != 4 || len(fast) != len(slow) {
			t.Fatalf("FromImage(%T) = %d×%d (%d), want 5×4 (%d)", img, w, h, len(fast), len(slow))
		}
		for i := range fast {
			if math.Abs(fast[i]-slow[i]) > 1e-9 {
				t.Errorf("%T pixel %d: fast %v, generic %v", img, i, fast[i], slow[i])
			}
		}
	}
}
