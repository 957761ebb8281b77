package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// classColours tell the ten classes apart, as in the terminal UI's
// embedding view (Tableau 10).
var classColours = [10]color.RGBA{
	{0x4E, 0x79, 0xA7, 255}, {0xF2, 0x8E, 0x2B, 255}, {0xE1, 0x57, 0x59, 255}, {0x76, 0xB7, 0xB2, 255}, {0x59, 0xA1, 0x4F, 255},
	{0xED, 0xC9, 0x48, 255}, {0xB0, 0x7A, 0xA1, 255}, {0xFF, 0x9D, 0xA7, 255}, {0x9C, 0x75, 0x5F, 255}, {0xBA, 0xB0, 0xAC, 255},
}

// EmbeddingPNG draws a layer's outputs projected by PCA (p) as a scatter,
// one colour per class of labels, under title, into a square PNG at path.
// Both axes have one scale, as in the terminal view.
func EmbeddingPNG(path, title string, p analysis.Projection, labels []uint8) error {
	if len(labels) != len(p.X) {
		panic("figure: EmbeddingPNG: want a label per point")
	}
	pl := plot.New()
	pl.Title.Text = title
	pl.Title.TextStyle.Font.Size = 13
	pl.Title.Padding = 0.12 * vg.Inch
	pl.X.Label.Text = fmt.Sprintf("first principal component (%.0f%% of the variance)", 100*p.Explained[0])
	pl.Y.Label.Text = fmt.Sprintf("second (%.0f%%)", 100*p.Explained[1])
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		a.Label.TextStyle.Font.Size = labelPt
		a.Tick.Label.Font.Size = tickPt
	}
	pl.Add(plotter.NewGrid())
	pl.Legend.Top, pl.Legend.Left = true, false
	pl.Legend.TextStyle.Font.Size = 11
	for c := range 10 {
		var pts plotter.XYs
		for i, l := range labels {
			if int(l) == c {
				pts = append(pts, plotter.XY{X: p.X[i], Y: p.Y[i]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: classColours[c], Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
		pl.Add(s)
		pl.Legend.Add(fmt.Sprint(c), s)
	}
	// One scale for both axes: widen the narrower range about its centre.
	x0, x1, y0, y1 := pl.X.Min, pl.X.Max, pl.Y.Min, pl.Y.Max
	if span := max(x1-x0, y1-y0); span > 0 {
		cx, cy := (x0+x1)/2, (y0+y1)/2
		pl.X.Min, pl.X.Max = cx-span/2*1.05, cx+span/2*1.05
		pl.Y.Min, pl.Y.Max = cy-span/2*1.05, cy+span/2*1.05
	}
	const side = 8 * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(side, side), vgimg.UseDPI(dpi))
	pl.Draw(draw.New(img))
	return savePNG(path, img)
}
