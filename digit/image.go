package digit

import (
	"image"
)

// FromImage returns img's grey levels in [0, 1] (0 black), row-major, and
// its size. Colour is reduced to luminance (ITU-R BT.601, as image/color's
// GrayModel); transparency is composited over white, so dark strokes on a
// transparent canvas (what drawing programs save) read as ink on paper.
func FromImage(img image.Image) (pixels []float64, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	pixels = make([]float64, w*h)
	if g, ok := img.(*image.Gray); ok { // what a grey PNG decodes to; no colour conversions
		for y := range h {
			for x, p := range g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):][:w] {
				pixels[y*w+x] = float64(p) / 255
			}
		}
		return pixels, w, h
	}
	if c, ok := img.(*image.RGBA); ok { // what an RGB PNG decodes to: alpha-premultiplied bytes
		for y := range h {
			row := c.Pix[c.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
			for x := range w {
				white := float64(255 - row[4*x+3])
				lum := 0.299*(float64(row[4*x])+white) + 0.587*(float64(row[4*x+1])+white) + 0.114*(float64(row[4*x+2])+white)
				pixels[y*w+x] = min(1, lum/255)
			}
		}
		return pixels, w, h
	}
	for y := range h {
		for x := range w {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // alpha-premultiplied, 16 bits
			white := float64(0xffff - a)
			lum := 0.299*(float64(r)+white) + 0.587*(float64(g)+white) + 0.114*(float64(bl)+white)
			pixels[y*w+x] = min(1, lum/0xffff)
		}
	}
	return pixels, w, h
}
