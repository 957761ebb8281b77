package figure

import (
	"image/color"
	"path/filepath"
	"testing"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// TestEmbeddingPNG draws three classes and finds each one's colour in the
// picture, and not the colour of a class with no point.
func TestEmbeddingPNG(t *testing.T) {
	p := analysis.Projection{X: []float64{-1, 0, 1, 2}, Y: []float64{0, 1, -1, 0.5}, Explained: [2]float64{0.6, 0.3}}
	labels := []uint8{0, 3, 7, 7}
	path := filepath.Join(t.TempDir(), "e.png")
	if err := EmbeddingPNG(path, "title", p, labels); err != nil {
		t.Fatalf("EmbeddingPNG: %v", err)
	}
	img := readPNG(t, path, "EmbeddingPNG")
	if b := img.Bounds(); b.Dx() != b.Dy() {
		t.Errorf("the picture is %d×%d, want square (one scale on both axes)", b.Dx(), b.Dy())
	}
	// The legend draws every class that has points; glyph centres are solid.
	found := map[int]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			for k, want := range classColours {
				if c == want {
					found[k]++
				}
			}
		}
	}
	for _, k := range []int{0, 3, 7} {
		if found[k] == 0 {
			t.Errorf("class %d's colour is nowhere in the picture", k)
		}
	}
	if found[5] != 0 {
		t.Errorf("class 5 has no point but its colour fills %d pixels", found[5])
	}
}
