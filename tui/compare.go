package tui

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/tui/draw"

	"github.com/lenet-tui/lenet-tui/runfolder"
)

// CompareOptions configure Compare.
type CompareOptions struct {
	Title   string
	Runs    []*runfolder.Run // kept runs, read with runfolder.Read
	Labels  []string         // one per run: what sets it apart (runfolder.Label)
	NoColor bool
	Context context.Context // when set, its end quits as q does
}

// Compare shows kept runs overlaid, loss (log scale) and accuracy against
// epochs, with a legend naming each run, until q.
func Compare(opts CompareOptions) error {
	st := newStyles(lipgloss.NewRenderer(os.Stdout), opts.NoColor)
	progOpts := []tea.ProgramOption{tea.WithAltScreen()}
	if opts.Context != nil {
		progOpts = append(progOpts, tea.WithoutSignalHandler())
	}
	p := tea.NewProgram(newCompareModel(st, opts.Title, opts.Runs, opts.Labels), progOpts...)
	if opts.Context != nil {
		stop := context.AfterFunc(opts.Context, p.Quit)
		defer stop()
	}
	_, err := p.Run()
	if err == nil && opts.Context != nil && opts.Context.Err() != nil {
		return context.Cause(opts.Context)
	}
	return err
}

// compareColours tell the runs apart, one each: the screen draws no more
// runs than it has colours (a braille line has no other style to vary),
// and says how many more there are. Each run's test points are also its
// number, so that they are told apart without colour too.
var compareColours = []string{colTrain, colTest, colGood, colMarker, colBad, colWarn, colAccent,
	"#26A69A", // teal
	"#E0E0E0", // near white
}

// glyphSwitch marks a switch (an activation or a learning rate) on a run's
// line, in its colour.
const glyphSwitch = '▲'

// compareChartMinH is the least height the charts keep: the legend draws
// fewer runs rather than squeeze them.
const compareChartMinH = 10

// maxCompareLoss is the top of the loss axis: a wild first batch (1e+17
// nats with σ = 1 weights) would flatten every other curve.
const maxCompareLoss = 1000

// compareRun is one run as the compare screen draws it.
type compareRun struct {
	label                 string
	style                 lipgloss.Style
	glyph                 rune
	loss, acc             []draw.Point // EMA of the training batches
	testLoss, testAcc     []draw.Point // every evaluation, slice and whole set
	switchLoss, switchAcc []draw.Point // where a setting was switched, on the lines
	lossOff               bool         // some loss is above maxCompareLoss
}

// compareModel is the compare screen: a title, the two charts side by side
// and the legend.
type compareModel struct {
	st            styles
	title         string
	runs          []compareRun
	width, height int
	loss, acc     frame
	span          float64
}

func newCompareModel(st styles, title string, runs []*runfolder.Run, labels []string) *compareModel {
	m := &compareModel{st: st, title: runfolder.Shown(title), loss: newFrame(st, "Loss"), acc: newFrame(st, "Accuracy")}
	m.loss.note, m.acc.note = "cross-entropy, log scale", "vs epochs"
	last := 0.0
	for i, r := range runs {
		c := compareRun{label: runfolder.Shown(labels[i]), style: st.r.NewStyle().Foreground(resolve(st.r.ColorProfile(), compareColours[i%len(compareColours)])),
			glyph: rune('1' + i%9)}
		c.loss, c.acc = trailing(r.Points)
		if n := len(r.Points); n > 0 {
			last = math.Max(last, r.Points[n-1].Epoch)
		}
		if r.End != nil && r.End.Type == "failed" {
			c.label += fmt.Sprintf(" (failed in epoch %d, batch %d)", r.End.Epoch, r.End.Batch)
		}
		for _, e := range r.Evals {
			c.testLoss = append(c.testLoss, draw.Point{X: float64(e.Epoch), Y: float64(e.TestLoss)})
			c.testAcc = append(c.testAcc, draw.Point{X: float64(e.Epoch), Y: 100 * float64(e.TestAcc)})
		}
		for _, e := range r.Epochs {
			c.testLoss = append(c.testLoss, draw.Point{X: float64(e.Epoch), Y: float64(e.TestLoss)})
			c.testAcc = append(c.testAcc, draw.Point{X: float64(e.Epoch), Y: 100 * float64(e.TestAcc)})
			last = math.Max(last, float64(e.Epoch))
		}
		for _, ch := range r.Changes() {
			c.switchLoss = appendAt(c.switchLoss, c.loss, ch.Epoch)
			c.switchAcc = appendAt(c.switchAcc, c.acc, ch.Epoch)
		}
		for _, ps := range [][]draw.Point{c.loss, c.testLoss} {
			for _, p := range ps {
				c.lossOff = c.lossOff || p.Y > maxCompareLoss
			}
		}
		m.runs = append(m.runs, c)
	}
	m.span = draw.EpochSpan(last)
	return m
}

// appendAt appends to pts the first point of line at or after epoch x, if
// the line reaches it.
func appendAt(pts, line []draw.Point, x float64) []draw.Point {
	i, _ := slices.BinarySearchFunc(line, x, func(p draw.Point, x float64) int { return cmp.Compare(p.X, x) })
	if i < len(line) {
		pts = append(pts, line[i])
	}
	return pts
}

// compareWindow is how many batches a point of a training line averages:
// the span of the live charts' EMA (α = 0.05).
const compareWindow = 20

// trailing is the loss and accuracy (%) lines of a run's batches: at each
// batch the mean of the last compareWindow, geometric for the loss (an
// arithmetic mean, or the live charts' EMA, would hold a run whose first
// batches lost 1e+17 nats up at the top for an epoch). A non-finite loss
// ends both lines (the run failed there).
func trailing(pts []runfolder.Point) (loss, acc []draw.Point) {
	var sl, sa float64
	for i, p := range pts {
		if math.IsNaN(p.Loss) || math.IsInf(p.Loss, 0) || p.Loss <= 0 || math.IsNaN(p.Acc) {
			break
		}
		sl, sa = sl+math.Log(p.Loss), sa+p.Acc
		if i >= compareWindow {
			q := pts[i-compareWindow]
			sl, sa = sl-math.Log(q.Loss), sa-q.Acc
		}
		n := float64(min(i+1, compareWindow))
		loss = append(loss, draw.Point{X: p.Epoch, Y: math.Exp(sl / n)})
		acc = append(acc, draw.Point{X: p.Epoch, Y: 100 * sa / n})
	}
	return loss, acc
}

func (m *compareModel) Init() tea.Cmd { return nil }

func (m *compareModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "esc", "ctrl+c":
			return m, tea.Quit
		}
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	}
	return m, nil
}

// Least size of the compare screen.
const compareMinW, compareMinH = 60, 16

func (m *compareModel) View() string {
	if m.width < compareMinW || m.height < compareMinH {
		return m.st.TooSmall.Render(fmt.Sprintf("terminal too small: need %d×%d, have %d×%d", compareMinW, compareMinH, m.width, m.height))
	}
	title := ansi.Truncate(m.st.Title.Render(m.title), m.width, "…")
	shown := m.drawn(m.height - lipgloss.Height(title))
	leg := m.legend(shown)
	ch := m.height - lipgloss.Height(title) - lipgloss.Height(leg)
	lw := m.width / 2
	m.loss.setSize(lw, ch)
	m.acc.setSize(m.width-lw, ch)
	charts := lipgloss.JoinHorizontal(lipgloss.Top, m.loss.draw(m.lossBody(shown)), m.acc.draw(m.accBody(shown)))
	return lipgloss.JoinVertical(lipgloss.Left, title, charts, leg)
}

// drawn is how many runs, the first ones, the screen draws in h rows
// below the title: one a colour, and no more than leave the charts
// compareChartMinH rows beside the legend's other lines (the key, and the
// note of the runs not drawn).
func (m *compareModel) drawn(h int) []compareRun {
	n := min(len(m.runs), len(compareColours))
	if n < len(m.runs) || n+1 > h-compareChartMinH {
		n = max(1, min(n, h-compareChartMinH-2))
	}
	return m.runs[:n]
}

// legend is a line per run drawn, the note of those not drawn, then what
// the marks mean and the key.
func (m *compareModel) legend(shown []compareRun) string {
	var lines []string
	switched := false
	for _, r := range shown {
		label := r.label
		if r.lossOff {
			label += fmt.Sprintf(" (loss above %d: drawn at the top)", maxCompareLoss)
		}
		switched = switched || len(r.switchLoss)+len(r.switchAcc) > 0
		lines = append(lines, ansi.Truncate(r.style.Render(glyphTrain+" "+string(r.glyph))+" "+m.st.Label.Render(label), m.width, "…"))
	}
	if more := len(m.runs) - len(shown); more > 0 {
		note := fmt.Sprintf("+%d more not drawn (runs %d–%d): the table after q lists every run; compare --png draws them all", more, len(shown)+1, len(m.runs))
		lines = append(lines, ansi.Truncate(m.st.MetricWarn.Render(note), m.width, "…"))
	}
	key := fmt.Sprintf("%s training batches (mean of the last %d) · 1 2 … test evaluations of run 1, 2 …", glyphTrain, compareWindow)
	if switched {
		key += fmt.Sprintf(" · %c a switch", glyphSwitch)
	}
	key += " · q quit"
	return strings.Join(append(lines, ansi.Truncate(m.st.Subtle.Render(key), m.width, "…")), "\n")
}

func (m *compareModel) series(shown []compareRun, line, test, switches func(compareRun) []draw.Point) []draw.Series {
	var out []draw.Series
	for _, r := range shown {
		out = append(out, draw.Series{Pts: line(r), Style: r.style})
	}
	for _, r := range shown {
		out = append(out, draw.Series{Pts: test(r), Style: r.style, Glyph: r.glyph})
	}
	for _, r := range shown {
		out = append(out, draw.Series{Pts: switches(r), Style: r.style, Glyph: glyphSwitch})
	}
	return out
}

// lossBody draws the loss of the runs shown, on a log scale from the
// least to the greatest (up to maxCompareLoss) of them.
func (m *compareModel) lossBody(shown []compareRun) func(iw, ih int) string {
	lo, hi := math.Inf(1), 0.0
	for _, r := range shown {
		for _, ps := range [][]draw.Point{r.loss, r.testLoss} {
			for _, p := range ps {
				if p.Y > 0 && !math.IsInf(p.Y, 0) {
					lo, hi = math.Min(lo, p.Y), math.Max(hi, math.Min(p.Y, maxCompareLoss))
				}
			}
		}
	}
	if hi < lo {
		lo, hi = 1, 10
	}
	clamped := func(ps []draw.Point) []draw.Point {
		out := make([]draw.Point, len(ps))
		for i, p := range ps {
			out[i] = draw.Point{X: p.X, Y: math.Min(p.Y, maxCompareLoss)}
		}
		return out
	}
	p := draw.Plot{
		XSpan:  m.span,
		YScale: func(rows int) draw.Scale { return draw.LogScale(lo, hi, rows, rowsGap(rows)) },
		Lines: m.series(shown, func(r compareRun) []draw.Point { return clamped(r.loss) },
			func(r compareRun) []draw.Point { return clamped(r.testLoss) },
			func(r compareRun) []draw.Point { return clamped(r.switchLoss) }),
		Axis: m.st.Axis, Marker: m.st.Marker,
	}
	return p.Draw
}

// accBody draws the accuracy of the runs shown.
func (m *compareModel) accBody(shown []compareRun) func(iw, ih int) string {
	p := draw.Plot{
		XSpan:  m.span,
		YScale: func(rows int) draw.Scale { return draw.FloorScale(0, 100, 1, (rows-1)/rowsGap(rows), "%") },
		Lines: m.series(shown, func(r compareRun) []draw.Point { return r.acc },
			func(r compareRun) []draw.Point { return r.testAcc },
			func(r compareRun) []draw.Point { return r.switchAcc }),
		Axis: m.st.Axis, Marker: m.st.Marker,
	}
	return p.Draw
}
