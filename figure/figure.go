package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/internal/outfile"
	"github.com/lenet-tui/lenet-tui/runfolder"
)

// Window is how many batches the line of training batches averages over
// (the span of the terminal UI's moving average, α = 0.05).
const Window = 20

// Size of the figure.
const (
	width   = 12 * vg.Inch
	plotsH  = 4.6 * vg.Inch
	titleH  = 0.5 * vg.Inch
	dpi     = 144
	tickPt  = 10
	labelPt = 12
)

var gray = color.Gray{Y: 90}

// PNG draws runs, named by labels (one each), under title into a PNG file
// at path.
func PNG(path, title string, runs []*runfolder.Run, labels []string) error {
	if len(runs) != len(labels) {
		panic("figure: PNG: want a label per run")
	}
	// The loss is drawn as log10(loss) on a linear axis whose ticks are
	// labelled 0.01, 0.1, 1…: gonum/plot's LogScale centres the y label at
	// the arithmetic mean of the range, near the top, and shrinks the panel.
	loss, acc := newPlot("Loss", "cross-entropy per image (nats, log scale)"), newPlot("Accuracy", "images classified right (%)")
	legend := newLegend()
	positive := false // some run has a loss line
	for i, r := range runs {
		drawn, err := addRun(loss, acc, &legend, r, labels[i], styleOf(i))
		if err != nil {
			return err
		}
		positive = positive || drawn
	}
	if positive {
		// whole decades, so that the log axis has a label at each end
		loss.Y.Min, loss.Y.Max = math.Floor(loss.Y.Min), math.Ceil(loss.Y.Max)
	}
	loss.Y.Tick.Marker = log10Ticks{}
	acc.Y.Min, acc.Y.Max = 0, 100
	explainMarks(&legend, runs)
	return savePNG(path, compose(title, loss, acc, &legend))
}

// palette is the runs' colours: nine that stay apart on white (D3's
// category10 without its gray, which the legend's explanations use).
var palette = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{214, 39, 40, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
	color.RGBA{227, 119, 194, 255}, color.RGBA{188, 189, 34, 255}, color.RGBA{23, 190, 207, 255},
}

// styles is how many runs have a style of their own: each colour of the
// palette with each of plotutil's dash patterns (solid first).
var styles = len(palette) * len(plotutil.DefaultDashes)

// runStyle is how one run is drawn: its colour, and the dashes of its
// training line.
type runStyle struct {
	c      color.Color
	dashes []vg.Length
}

// styleOf is the style of run i: the palette's colours solid, then dashed
// one way, then another, so that runs are told apart up to styles of them.
func styleOf(i int) runStyle {
	n := len(palette)
	return runStyle{c: palette[i%n], dashes: plotutil.Dashes(i / n % len(plotutil.DefaultDashes))}
}

func (s runStyle) line() draw.LineStyle {
	ls := lineStyle(s.c)
	ls.Dashes = s.dashes
	return ls
}

// newLegend is the legend under the two panels, its entries left-aligned.
func newLegend() plot.Legend {
	legend := plot.NewLegend()
	legend.TextStyle.Font.Size = 11
	legend.Left, legend.Top = true, true
	legend.ThumbnailWidth = 0.45 * vg.Inch
	legend.Padding = 0.06 * vg.Inch
	return legend
}

// addRun draws one run in style st on both panels, each switch a triangle
// on its training line, and gives it a legend entry: label, and how the
// run ended if not well. drawn reports whether it has a loss line (a run
// that failed at once has none).
func addRun(loss, acc *plot.Plot, legend *plot.Legend, r *runfolder.Run, label string, st runStyle) (drawn bool, err error) {
	l, a := series(r)
	over := l.clamp(maxLoss)
	chs := r.Changes()
	for _, panel := range []struct {
		p *plot.Plot
		s xys
	}{{loss, l}, {acc, a}} {
		if err := addSeries(panel.p, panel.s, st); err != nil {
			return false, err
		}
		if err := addSwitches(panel.p, panel.s.train, chs, st.c); err != nil {
			return false, err
		}
	}
	ln, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}})
	ln.LineStyle = st.line()
	note := ending(r)
	if over > 0 {
		note += fmt.Sprintf(" (loss off the scale, up to %.0e)", math.Pow(10, over))
	}
	legend.Add(label+note, ln)
	return len(l.train) > 0, nil
}

// addSwitches marks each change on the training line: a triangle in the
// run's colour where the line is when the change came into force.
func addSwitches(p *plot.Plot, train plotter.XYs, chs []runfolder.Change, c color.Color) error {
	pts := switchPoints(train, chs)
	if len(pts) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle = triangle(c)
	p.Add(sc)
	return nil
}

// switchPoints are the points of the training line train where the
// changes came into force: its first point at or after each change's
// epoch; none for a change after the line's end.
func switchPoints(train plotter.XYs, chs []runfolder.Change) plotter.XYs {
	var pts plotter.XYs
	for _, ch := range chs {
		i, _ := slices.BinarySearchFunc(train, ch.Epoch, func(p plotter.XY, x float64) int {
			return cmp.Compare(p.X, x)
		})
		if i < len(train) {
			pts = append(pts, train[i])
		}
	}
	return pts
}

// addSeries draws one quantity of a run on p: the training batches as a
// line, the test-slice measurements as rings, the full test set's as dots.
func addSeries(p *plot.Plot, s xys, st runStyle) error {
	c := st.c
	if len(s.train) > 0 {
		ln, err := plotter.NewLine(s.train)
		if err != nil {
			return err
		}
		ln.LineStyle = st.line()
		p.Add(ln)
	}
	for _, pts := range []struct {
		xy    plotter.XYs
		glyph draw.GlyphStyle
	}{{s.slice, ring(c)}, {s.full, dot(c)}} {
		if len(pts.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts.xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle = pts.glyph
		p.Add(sc)
	}
	return nil
}

// explainMarks adds the legend's last entries, in gray: what the line,
// the rings and the dots are, with the runs' counts of test images; what
// a triangle is, when some run switched; and that styles repeat, past
// styles runs.
func explainMarks(legend *plot.Legend, runs []*runfolder.Run) {
	words := markWords(runs)
	gl, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}})
	gl.LineStyle = lineStyle(gray)
	legend.Add(words[0], gl)
	gs, _ := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
	gs.GlyphStyle = ring(gray)
	legend.Add(words[1], gs)
	gf, _ := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
	gf.GlyphStyle = dot(gray)
	legend.Add(words[2], gf)
	if slices.ContainsFunc(runs, func(r *runfolder.Run) bool { return len(r.Changes()) > 0 }) {
		gt, _ := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
		gt.GlyphStyle = triangle(gray)
		legend.Add("a switch while training (activation or learning rate), on its run's line: the run's name says which and when", gt)
	}
	if len(runs) > styles {
		legend.Add(fmt.Sprintf("(runs %d on repeat the colours and dashes of runs 1 on: %d styles)", styles+1, styles))
	}
}

// markWords is what explainMarks says of the line, the rings and the dots:
// the test images counted are the runs' own (their start and eval
// records), not MNIST's 10,000.
func markWords(runs []*runfolder.Run) [3]string {
	slice := imageCounts(runs, func(r *runfolder.Run) []int {
		n := make([]int, len(r.Evals))
		for i, e := range r.Evals {
			n[i] = e.Images
		}
		return n
	})
	whole := imageCounts(runs, func(r *runfolder.Run) []int { return []int{r.Start.TestImages} })
	if whole != "" {
		whole = " (" + whole[1:] + " images)"
	}
	return [3]string{
		fmt.Sprintf("line: training batches, mean of the last %d (geometric for the loss)", Window),
		fmt.Sprintf("test slice: the first%s test images, every ¼ epoch", slice),
		fmt.Sprintf("the whole test set%s, at each epoch's end", whole),
	}
}

// imageCounts is the counts of test images the runs record (of returns a
// run's), as " 1,000" or " 200 or 1,000", or "" when none records one (a
// run folder from before lenet-tui kept them).
func imageCounts(runs []*runfolder.Run, of func(*runfolder.Run) []int) string {
	var ns []int
	for _, r := range runs {
		for _, n := range of(r) {
			if n > 0 && !slices.Contains(ns, n) {
				ns = append(ns, n)
			}
		}
	}
	slices.Sort(ns)
	words := make([]string, len(ns))
	for i, n := range ns {
		words[i] = engine.Thousands(n)
	}
	if len(words) == 0 {
		return ""
	}
	return " " + strings.Join(words, " or ")
}

// compose lays the figure out on a canvas: the title, the two panels side
// by side, and under them the legend, as tall as its entries.
func compose(title string, loss, acc *plot.Plot, legend *plot.Legend) *vgimg.Canvas {
	legendH := legend.Rectangle(draw.Canvas{}).Size().Y + 0.2*vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(width, titleH+plotsH+legendH), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	top := draw.Crop(dc, 0, 0, plotsH+legendH, 0)
	ts := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 15), Handler: plot.DefaultTextHandler,
		XAlign: draw.XCenter, YAlign: draw.YCenter}
	top.FillText(ts, vg.Point{X: width / 2, Y: top.Min.Y + titleH/2}, title)
	plots := draw.Crop(dc, 0.1*vg.Inch, -0.15*vg.Inch, legendH, -titleH)
	tiles := plot.Align([][]*plot.Plot{{loss, acc}}, draw.Tiles{Cols: 2, Rows: 1, PadX: 0.3 * vg.Inch}, plots)
	loss.Draw(tiles[0][0])
	acc.Draw(tiles[0][1])
	legend.Draw(draw.Crop(dc, 0.5*vg.Inch, 0, 0.1*vg.Inch, -(titleH + plotsH + 0.1*vg.Inch)))
	return img
}

// savePNG writes a drawn canvas to path as a PNG (outfile.Write): a
// failed write leaves what was at path as it was, and anything there that
// is not a regular file is refused.
func savePNG(path string, img *vgimg.Canvas) error {
	return outfile.Write(path, func(w io.Writer) error {
		_, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w)
		return err
	})
}

// newPlot is one of the two panels. A y label much longer than 30
// characters shrinks the panel (gonum/plot reserves room for it as if it
// were not rotated).
func newPlot(title, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 13
	p.X.Label.Text = "epochs trained"
	p.Y.Label.Text = y
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = labelPt
		a.Tick.Label.Font.Size = tickPt
	}
	p.X.Min = 0
	p.Add(plotter.NewGrid())
	return p
}

func lineStyle(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(1.6)}
}

func ring(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
}

func dot(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}
}

func triangle(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(5.5), Shape: draw.PyramidGlyph{}}
}

// ending is what a legend entry adds about how a run ended, if not well.
func ending(r *runfolder.Run) string {
	switch {
	case r.End == nil:
		return " (cut short)"
	case r.End.Type == "failed":
		return fmt.Sprintf(" (failed in epoch %d, batch %d: %s)", r.End.Epoch, r.End.Batch, causeWords[r.End.Cause])
	case r.End.Type == "stopped":
		return " (stopped)"
	}
	return ""
}

// maxLoss is the top of the loss axis, as log10: a cross-entropy over 1,000
// nats says no more than one of 100 would, and drawing a few wild first
// batches (σ = 1 weights: 1e+19) to scale would flatten every other curve.
const maxLoss = 3

// clamp draws every value above max at max, and returns the largest it
// moved (0 if none).
func (s xys) clamp(max float64) (largest float64) {
	for _, pts := range []plotter.XYs{s.train, s.slice, s.full} {
		for i := range pts {
			if pts[i].Y > max {
				largest = math.Max(largest, pts[i].Y)
				pts[i].Y = max
			}
		}
	}
	return largest
}

// causeWords are a run folder's failure causes in a legend's words.
var causeWords = map[string]string{
	"overflow": "outputs overflowed", "log-zero": "NaN loss from log(0)",
	"loss-overflow": "the loss overflowed", "panic": "a crash",
}

// xys is one quantity of a run: its training batches' moving average, the
// test-slice measurements and the full test-set ones.
type xys struct{ train, slice, full plotter.XYs }

// series are a run's loss and accuracy (as percentages), finite points only
// (and, for the loss, positive ones: it is drawn on a log scale).
func series(r *runfolder.Run) (loss, acc xys) {
	// trailing sums over the last Window batches: of log10(loss), so that
	// the line is a geometric mean (one early loss of 1e25 does not hold the
	// line up for an epoch, as an arithmetic mean would), and of accuracy
	var sl, sa float64
	for i, p := range r.Points {
		if !finite(p.Loss) || p.Loss <= 0 || !finite(p.Acc) {
			break // a NaN loss ends the run; nothing after it is drawn
		}
		sl, sa = sl+math.Log10(p.Loss), sa+p.Acc
		if i >= Window {
			q := r.Points[i-Window]
			sl, sa = sl-math.Log10(q.Loss), sa-q.Acc
		}
		n := float64(min(i+1, Window))
		loss.train = append(loss.train, plotter.XY{X: p.Epoch, Y: sl / n})
		acc.train = append(acc.train, plotter.XY{X: p.Epoch, Y: 100 * sa / n})
	}
	add := func(full bool, x, l, a float64) {
		if !finite(x) {
			return
		}
		dst, dsta := &loss.slice, &acc.slice
		if full {
			dst, dsta = &loss.full, &acc.full
		}
		if finite(l) && l > 0 {
			*dst = append(*dst, plotter.XY{X: x, Y: math.Log10(l)})
		}
		if finite(a) {
			*dsta = append(*dsta, plotter.XY{X: x, Y: 100 * a})
		}
	}
	for _, e := range r.Evals {
		add(false, float64(e.Epoch), float64(e.TestLoss), float64(e.TestAcc))
	}
	for _, e := range r.Epochs {
		add(true, float64(e.Epoch), float64(e.TestLoss), float64(e.TestAcc))
	}
	return loss, acc
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// log10Ticks marks an axis of log10 values with the values themselves: a
// labelled tick at each power of ten, unlabelled ones at 2…9 times it.
type log10Ticks struct{}

// Ticks returns the ticks between min and max (log10 values).
func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	every := math.Ceil((max - min) / 6) // label at most 7 decades
	for d := math.Floor(min); d <= max; d++ {
		if d >= min {
			t := plot.Tick{Value: d}
			if math.Mod(d-math.Floor(min), every) == 0 {
				t.Label = strconv.FormatFloat(math.Pow(10, d), 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
		if every > 1 {
			continue // no minor ticks: they would merge into a bar
		}
		for k := 2.0; k < 10; k++ {
			if v := d + math.Log10(k); v >= min && v <= max {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}
