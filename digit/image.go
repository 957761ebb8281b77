package digit

import (
	"image"
)

// FromImage returns img's grey levels in [0, 1] (0 black), row-major, and
// its size. Colour is reduced to luminance (ITU-R BT.601, as image/color's
// GrayModel); transparency is composited over white, so dark strokes on a
// transparent canvas (what drawing programs save) read as ink on paper.
// PrepareImage prepares img without this copy of 8 bytes a pixel.
func FromImage(img image.Image) (pixels []float64, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	pixels = make([]float64, w*h)
	r := imageRows{img: img}
	for y := range h {
		r.row(y, pixels[y*w:(y+1)*w])
	}
	return pixels, w, h
}

// imageRows reads an image's rows as FromImage's grey levels.
type imageRows struct{ img image.Image }

// row writes row y (from the top of the image's bounds) into buf, as long
// as a row, and returns it.
func (ir imageRows) row(y int, buf []float64) []float64 {
	b := ir.img.Bounds()
	w := b.Dx()
	buf = buf[:w]
	if g, ok := ir.img.(*image.Gray); ok { // what a grey PNG decodes to; no colour conversions
		for x, p := range g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):][:w] {
			buf[x] = float64(p) / 255
		}
		return buf
	}
	if c, ok := ir.img.(*image.RGBA); ok { // what an RGB PNG decodes to: alpha-premultiplied bytes
		row := c.Pix[c.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
		for x := range w {
			white := float64(255 - row[4*x+3])
			lum := 0.299*(float64(row[4*x])+white) + 0.587*(float64(row[4*x+1])+white) + 0.114*(float64(row[4*x+2])+white)
			buf[x] = min(1, lum/255)
		}
		return buf
	}
	c64, fast := ir.img.(image.RGBA64Image) // the same values as At's, without a color.Color each
	for x := range w {
		var r, g, bl, a uint32 // alpha-premultiplied, 16 bits
		if fast {
			c := c64.RGBA64At(b.Min.X+x, b.Min.Y+y)
			r, g, bl, a = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
		} else {
			r, g, bl, a = ir.img.At(b.Min.X+x, b.Min.Y+y).RGBA()
		}
		white := float64(0xffff - a)
		lum := 0.299*(float64(r)+white) + 0.587*(float64(g)+white) + 0.114*(float64(bl)+white)
		buf[x] = min(1, lum/0xffff)
	}
	return buf
}
