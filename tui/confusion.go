package tui

import (
	"fmt"
	"math"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// confusionPanel answers "which digits does it get wrong?": the confusion
// matrix of the latest test evaluation (true class down, predicted class
// across, as the lines above it say with the test images it counts;
// mistakes on a heat scale, the right answers counted on a green diagonal),
// each class's accuracy, and the pair it confuses most. The cursor keys
// pick a cell; enter opens the test digits behind it, most telling first
// (the surest mistakes, the shakiest right answers), with the net's top-3
// at that evaluation; enter on a digit makes it the probe, so the maps
// show how the net sees it.
type confusionPanel struct {
	frame
	b      *engine.Breakdown
	conf   analysis.Confusion
	stats  []analysis.ClassStats
	row    int  // the cell under the cursor: true class
	col    int  //   and predicted class
	moved  bool // the cursor was moved: it no longer follows the most confused pair
	browse bool // the digits of the cell are shown, not the matrix
	cellW  int  // the width of a count in the matrix as last drawn
	digit  int  // the digit shown, within the cell
	probed int  // the test index last made the probe here, +1 (0 for none)
	names  classNames
}

func newConfusionPanel(st styles) *confusionPanel {
	return &confusionPanel{frame: newFrame(st, "Confusion matrix")}
}

func (p *confusionPanel) reset(info engine.RunInfo) {
	*p = confusionPanel{frame: p.frame, names: info.Classes}
	p.touch()
}

func (p *confusionPanel) update(ev engine.Event) {
	b, ok := ev.(engine.Breakdown)
	if !ok {
		return
	}
	p.b = &b
	p.conf = analysis.Confusion{Classes: b.Classes, Counts: b.Counts}
	p.stats = p.conf.PerClass()
	if pair, ok := p.conf.MostConfused(); ok && !p.moved {
		p.row, p.col = pair.True, pair.Pred
	}
	p.row, p.col = min(p.row, b.Classes-1), min(p.col, b.Classes-1)
	p.digit = min(p.digit, max(0, len(p.cell())-1))
	p.touch()
}

// cell is the digits behind the cell under the cursor.
func (p *confusionPanel) cell() []engine.Digit {
	if p.b == nil {
		return nil
	}
	return p.b.Cell(p.row, p.col)
}

// takeKey moves the cursor over the matrix and opens a cell (enter); over
// a cell's digits it steps (←/→), makes one the probe (enter) and returns
// to the matrix (esc, backspace). Before the first evaluation it takes no
// key.
func (p *confusionPanel) takeKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	if p.b == nil {
		return false, nil
	}
	if p.browse {
		return p.browseKey(msg)
	}
	k := p.b.Classes
	switch msg.Type {
	case tea.KeyUp:
		p.row = (p.row + k - 1) % k
	case tea.KeyDown:
		p.row = (p.row + 1) % k
	case tea.KeyLeft:
		p.col = (p.col + k - 1) % k
	case tea.KeyRight:
		p.col = (p.col + 1) % k
	case tea.KeyEnter:
		if len(p.cell()) > 0 {
			p.browse, p.digit = true, 0
		}
	default:
		return false, nil
	}
	p.moved = p.moved || msg.Type != tea.KeyEnter
	p.touch()
	return true, nil
}

// hints are the keys takeKey takes, for the footer.
func (p *confusionPanel) hints(k keyMap) []hint {
	switch {
	case p.b == nil:
		return nil
	case p.browse:
		return []hint{{k.DigitStep, 1}, {k.DigitProbe, 1}, {k.DigitBack, 0}}
	}
	return []hint{{k.CellMove, 1}, {k.CellOpen, 1}}
}

func (p *confusionPanel) browseKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	n := len(p.cell())
	switch msg.Type {
	case tea.KeyLeft, tea.KeyUp:
		p.digit = (p.digit + n - 1) % max(n, 1)
	case tea.KeyRight, tea.KeyDown:
		p.digit = (p.digit + 1) % max(n, 1)
	case tea.KeyEsc, tea.KeyBackspace:
		p.browse = false
	case tea.KeyEnter:
		if n == 0 {
			return true, nil
		}
		i := p.cell()[p.digit].Index
		p.probed = i + 1
		p.touch()
		return true, func() tea.Msg { return useProbeMsg{Index: i} }
	default:
		return false, nil
	}
	p.touch()
	return true, nil
}

func (p *confusionPanel) view() string { return p.draw(p.body) }

func (p *confusionPanel) body(iw, ih int) string {
	p.title, p.note = "Confusion matrix", ""
	if p.b == nil {
		return p.st.Label.Render("waiting for the first test evaluation…")
	}
	p.note = evalName(p.b)
	if p.browse {
		return p.digits(iw, ih)
	}
	return p.matrix(iw, ih)
}

// evalName says which evaluation a breakdown is of: "epoch 1.25, test 1k".
func evalName(b *engine.Breakdown) string {
	return fmt.Sprintf("epoch %s · %s test digits", trimFloat(b.Epoch), compactCount(b.Images))
}

// trimFloat prints an epoch count: 1, 1.25, 0.5.
func trimFloat(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// compactCount prints a count in at most 3 characters: 985, 1k, 12k.
func compactCount(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprint(n)
	case n < 100000:
		return fmt.Sprintf("%dk", int(math.Round(float64(n)/1000)))
	}
	return "≫"
}

// The matrix: a row label, a cell per class and the class's accuracy. A
// cell is 3 wide, or up to 6 when the panel has the room (then a count of
// thousands is written out, with a space before it). A row label is the
// class's index ("▸7 "), and its name when the classes have names and the
// panel the room for at least confMinName cells of them ("▸0 T-shirt ");
// else a key under the matrix names the indexes.
const confLabelW, confCellW, confCellMaxW, confAccW, confMinName = 3, 3, 6, 5, 5

// confSummaryLines are the lines under the matrix (footer); the matrix
// itself is a header line and a line per class.
const confSummaryLines = 3

// confRows is how the matrix's rows are labelled: the index in idxW
// cells, then a name in nameW cells (0: none), in labelW cells in all.
type confRows struct{ idxW, nameW, labelW int }

// rowLabels measures the row labels of k classes in a body iw cells wide.
func (p *confusionPanel) rowLabels(iw, k int) confRows {
	r := confRows{idxW: len(fmt.Sprint(k - 1))}
	r.labelW = r.idxW + 2 // "▸7 "
	if p.names.numbered() {
		return r
	}
	room := iw - k*confCellW - confAccW - r.labelW - 1
	if w := min(p.names.widest(), room); w >= confMinName {
		r.nameW = w
		r.labelW += w + 1
	}
	return r
}

// matrix draws the counts, or a summary when they do not fit.
func (p *confusionPanel) matrix(iw, ih int) string {
	k := p.b.Classes
	rl := p.rowLabels(iw, k)
	if iw < rl.labelW+k*confCellW+confAccW || ih < k+1+confSummaryLines {
		return p.summary(iw, ih)
	}
	// The indexes' names, when the rows have no room for them; the key may
	// take the line of the keys' hint, which the footer bar says too.
	var key []string
	if rl.nameW == 0 && !p.names.numbered() {
		key = p.key(iw, ih-(k+1+confSummaryLines)+1)
	}
	footer := p.footer(iw)
	if len(key) > ih-(k+1+confSummaryLines) {
		footer = footer[:len(footer)-1]
	}
	var lines []string
	if about := p.about(iw); ih >= k+1+len(footer)+len(key)+len(about) {
		lines, p.note = about, "" // the lines say what the note would
	}
	p.cellW = clamp((iw-rl.labelW-confAccW)/k, confCellW, confCellMaxW)
	lines = append(lines, p.matrixHead(rl))
	maxOff := 0
	for t := range k {
		for q := range k {
			if t != q {
				maxOff = max(maxOff, p.b.Counts[t*k+q])
			}
		}
	}
	for t := range k {
		var b strings.Builder
		b.WriteString(p.rowLabel(rl, t))
		for q := range k {
			b.WriteString(p.countCell(t, q, maxOff))
		}
		acc := p.stats[t].Recall
		b.WriteString(p.accStyle(acc).Render(draw.PadLeft(pctShort(acc), confAccW)))
		lines = append(lines, b.String())
	}
	lines = append(lines, key...)
	lines = append(lines, footer...)
	return strings.Join(lines[:min(len(lines), ih)], "\n")
}

// matrixHead is the line over the counts: the predicted classes' indexes,
// the cursor's column marked, and "acc".
func (p *confusionPanel) matrixHead(rl confRows) string {
	s := p.st
	head := s.Label.Render(draw.PadRight("t\\p", rl.labelW))
	for q := range p.b.Classes {
		if q == p.col {
			head += s.Title.Render(draw.PadLeft("▾"+fmt.Sprint(q), p.cellW))
		} else {
			head += s.Label.Render(draw.PadLeft(fmt.Sprint(q), p.cellW))
		}
	}
	return head + s.Label.Render(draw.PadLeft("acc", confAccW))
}

// rowLabel is the label of true class t's row: its index, and its name
// when rl has room for names; the cursor's row marked.
func (p *confusionPanel) rowLabel(rl confRows, t int) string {
	label := draw.PadLeft(fmt.Sprint(t), rl.idxW)
	if rl.nameW > 0 {
		label += " " + p.names.cut(t, rl.nameW)
	}
	if t == p.row {
		return p.st.Title.Render(draw.PadRight("▸"+label, rl.labelW))
	}
	return p.st.Label.Render(draw.PadRight(" "+label, rl.labelW))
}

// key names the classes by index, "0 T-shirt/top  1 Trouser  …", in at
// most h lines of w cells, the names cut as short as it takes; none when
// even their shortest does not fit.
func (p *confusionPanel) key(w, h int) []string {
	if h <= 0 {
		return nil
	}
	lines := p.names.fitLines(w, h, func(name func(int) string) string {
		parts := make([]string, p.b.Classes)
		for c := range parts {
			parts[c] = p.st.Value.Render(fmt.Sprint(c)) + p.st.Label.Render(nbsp+name(c))
		}
		return strings.Join(parts, "  ")
	})
	if len(lines) > h {
		return nil
	}
	return lines
}

// countCell is one count: the diagonal's right answers on green, a
// mistake on the heat scale (linear, up to the largest mistake, so that the
// few cells that matter stand out), none as a dot; the cursor's cell
// reversed. The diagonal is counted like every other cell.
func (p *confusionPanel) countCell(t, q, maxOff int) string {
	s := p.st
	v := p.b.Counts[t*p.b.Classes+q]
	if p.cellW > confCellW {
		return p.wideCell(t, q, v, maxOff)
	}
	text := draw.PadLeft(compactCount(v), confCellW)
	if s.noColor && v >= 100 && v < 1000 && q > 0 && p.b.Counts[t*p.b.Classes+q-1] > 0 {
		// Without a background per cell "3946" after a count could be 3
		// and 946 or 39 and 46: say ">99", whose > keeps the cells apart
		// (the line under the matrix gives the cursor's count exactly).
		text = ">99"
	}
	st := p.cellStyle(t, q, v, maxOff)
	if v == 0 {
		text = " · " // centred, so a count of 100 after it stands apart
	}
	if t == p.row && q == p.col {
		st = s.Selected
		// Without colour the reverse video may not show: a short count
		// gets a ›, and the row and column are marked in any case.
		if v := strings.TrimSpace(text); s.noColor && ansi.StringWidth(v) < confCellW {
			text = draw.PadLeft("›"+v, confCellW)
		}
	}
	return st.Render(text)
}

// wideCell is countCell when the panel has room for cells wider than 3:
// every count written out after at least one space, none as a dot.
func (p *confusionPanel) wideCell(t, q, v, maxOff int) string {
	text := draw.PadLeft(fmt.Sprint(v), p.cellW)
	if len(fmt.Sprint(v)) >= p.cellW { // no room for the space before it
		text = draw.PadLeft(compactCount(v), p.cellW)
	}
	if v == 0 {
		text = draw.PadLeft("·", p.cellW-1) + " "
	}
	st := p.cellStyle(t, q, v, maxOff)
	if t == p.row && q == p.col {
		st = p.st.Selected
		if p.st.noColor {
			text = draw.PadLeft("›"+strings.TrimSpace(text), p.cellW)
		}
	}
	return st.Render(text)
}

// cellStyle is a cell's colour: the diagonal on green, a mistake on the
// heat scale, none in the label colour.
func (p *confusionPanel) cellStyle(t, q, v, maxOff int) lipgloss.Style {
	s := p.st
	switch {
	case t == q:
		return s.ConfRight
	case v == 0:
		return s.Label
	}
	return s.ConfHeat[min(confLevels-1, (v-1)*confLevels/maxOff)]
}

func (p *confusionPanel) accStyle(acc float64) lipgloss.Style {
	switch {
	case math.IsNaN(acc):
		return p.st.Label
	case acc < 0.9:
		return p.st.MetricBad
	case acc < 0.97:
		return p.st.MetricWarn
	}
	return p.st.Value
}

// pctShort prints a share as a whole percentage, "–" for none.
func pctShort(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

// footer is the most confused pair, the cell under the cursor and the
// keys, the classes named as long as the lines have room for.
func (p *confusionPanel) footer(iw int) []string {
	s := p.st
	var lines []string
	if pair, ok := p.conf.MostConfused(); ok {
		worst := func(head string) func(func(int) string) string {
			return func(name func(int) string) string {
				return s.Label.Render(head) + s.MetricBad.Render(name(pair.True)+" read as "+name(pair.Pred)) +
					s.Label.Render(fmt.Sprintf(", %s×", engine.Thousands(pair.Count)))
			}
		}
		lines = append(lines, p.names.fit(iw, worst("most confused: "), worst("worst: ")))
	} else {
		lines = append(lines, s.MetricGood.Render("no mistakes"))
	}
	cursor := func(overall string) func(func(int) string) string {
		return func(name func(int) string) string {
			return s.Label.Render("▸ ") + s.Value.Render(p.cellName(name)) + s.Label.Render(overall)
		}
	}
	all := pctShort(p.conf.Accuracy())
	lines = append(lines, p.names.fit(iw, cursor(" · overall "+all), cursor(" · all "+all), cursor("")))
	hint := "←↑↓→ cell · enter its digits"
	if len(p.cell()) == 0 {
		hint = "←↑↓→ cell · no digits here"
	}
	lines = append(lines, s.Label.Render(draw.Truncate(hint, iw)))
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], iw, "…")
	}
	return lines
}

// about says what the matrix is: which axis is which and which test
// images it counts, the quick check's first ones or the whole test set at
// an epoch's end, each in its longer words when they fit in w cells.
func (p *confusionPanel) about(w int) []string {
	var lines []string
	axes := []string{"t\\p: true digit down, predicted across", "t\\p: true ↓, predicted →"}
	if !p.names.numbered() {
		axes[0] = "t\\p: true class down, predicted across"
	}
	for _, says := range [][]string{axes, countedImages(p.b)} {
		say := says[len(says)-1]
		for _, s := range says {
			if ansi.StringWidth(s) <= w {
				say = s
				break
			}
		}
		for _, l := range wrap(say, w) {
			lines = append(lines, p.st.Label.Render(l))
		}
	}
	return lines
}

// countedImages says which test images a breakdown counts, in longer and
// shorter words: "the first 1,000 test images, a quick check at epoch
// 2.5", "all 10,000 test images, at the end of epoch 2".
func countedImages(b *engine.Breakdown) []string {
	n, epoch := engine.Thousands(b.Images), trimFloat(b.Epoch)
	if b.Full {
		return []string{fmt.Sprintf("all %s test images, at the end of epoch %s", n, epoch), fmt.Sprintf("all %s test images, end of epoch %s", n, epoch)}
	}
	return []string{fmt.Sprintf("the first %s test images, a quick check at epoch %s", n, epoch), fmt.Sprintf("first %s test images, at epoch %s", n, epoch)}
}

// cellName says what the cell under the cursor counts, the classes as
// name gives them: "4 read as 9: 23", "Shirt right: 610".
func (p *confusionPanel) cellName(name func(c int) string) string {
	v := p.b.Counts[p.row*p.b.Classes+p.col]
	if p.row == p.col {
		return fmt.Sprintf("%s right: %s", name(p.row), engine.Thousands(v))
	}
	return fmt.Sprintf("%s read as %s: %s", name(p.row), name(p.col), engine.Thousands(v))
}

// summary replaces the matrix in a small panel: each class's accuracy
// (its name cut as short as it takes to leave room for the rest), the
// most confused pair, the cell under the cursor.
func (p *confusionPanel) summary(iw, ih int) string {
	s := p.st
	footer := p.footer(iw)
	lines := p.names.fitLines(iw, max(1, ih-len(footer)-1), func(name func(int) string) string {
		var b strings.Builder
		b.WriteString(s.Label.Render("acc "))
		for c, st := range p.stats {
			b.WriteString(s.Label.Render(" "+name(c)+":") + p.accStyle(st.Recall).Render(pctShort(st.Recall)))
		}
		return b.String()
	})
	lines = append(lines, footer...)
	lines = append(lines, s.Label.Render(draw.Truncate("(a taller terminal shows the whole matrix)", iw)))
	return strings.Join(lines[:min(len(lines), max(ih, 1))], "\n")
}

// wrapCells wraps styled text to lines of at most w cells.
func wrapCells(s string, w int) []string {
	return draw.SplitLines(ansi.Wrap(s, w, " "))
}

// digits shows one digit behind the cell under the cursor: its image as
// stored, and what the net said of it at that evaluation.
func (p *confusionPanel) digits(iw, ih int) string {
	s := p.st
	cell := p.cell()
	if len(cell) == 0 {
		p.browse = false
		return p.matrix(iw, ih)
	}
	d := cell[min(p.digit, len(cell)-1)]
	p.title = "Confusion: " + p.names.fit(iw-len("Confusion: "), p.cellName)
	count := p.b.Counts[p.row*p.b.Classes+p.col]
	head := s.Value.Render(fmt.Sprintf("digit %d of %d", p.digit+1, len(cell)))
	if count > len(cell) {
		head += s.Label.Render(fmt.Sprintf(" (of %s)", engine.Thousands(count)))
	}
	head += s.Label.Render(fmt.Sprintf(" · test #%d", d.Index))
	lines := []string{ansi.Truncate(head, iw, "…")}
	// Half blocks: a cell is a pixel wide and two high, as at 28×14 for MNIST.
	sideW := confSideW
	if !p.names.numbered() { // room for "Ankle boot  11.5%", up to half the panel
		sideW = max(sideW, min(p.names.widest()+8, iw/2))
	}
	rows := max(1, min(ih-2, (p.b.Rows+1)/2))
	cols := min(iw-sideW, 2*rows*p.b.Cols/max(1, p.b.Rows))
	rows = max(1, min(rows, (cols*p.b.Rows+2*p.b.Cols-1)/(2*p.b.Cols)))
	img := make([]float32, len(d.Pixels))
	for i, v := range d.Pixels {
		img[i] = float32(v)
	}
	pic := s.heat.Render(img, p.b.Rows, p.b.Cols, cols, rows, 0, 255)
	side := p.verdict(d, rows, iw-cols-1)
	for i := range rows {
		l := pic[i] + " "
		if i < len(side) {
			l += ansi.Truncate(side[i], iw-cols-1, "…")
		}
		lines = append(lines, l)
	}
	hint := "←→ digit · enter probe · esc matrix"
	if p.probed == d.Index+1 {
		hint = "the probe now · esc esc: its maps"
	}
	lines = append(lines, s.Label.Render(draw.Truncate(hint, iw)))
	return strings.Join(lines[:min(len(lines), ih)], "\n")
}

// confSideW is the width of the verdict beside a digit: "7  89.7%" and a
// space; with names, as much as the widest takes, up to half the panel.
const confSideW = 10

// verdict is the text beside a digit, w cells wide: its true class, the
// answer and the top-3 probabilities, in fewer lines when the digit has
// fewer than 7.
func (p *confusionPanel) verdict(d engine.Digit, rows, w int) []string {
	s := p.st
	truth := func(name func(int) string) string { return s.Label.Render("true ") + s.Value.Render(name(d.Label)) }
	answer := func(name func(int) string) string {
		if d.Pred != d.Label {
			return s.MetricBad.Render("read " + name(d.Pred) + " ✘")
		}
		return s.MetricGood.Render("read " + name(d.Pred) + " ✔")
	}
	lines := []string{p.names.fit(w, truth), p.names.fit(w, answer), "", s.Label.Render("top 3")}
	if rows < 7 {
		lines = []string{p.names.fit(w, func(name func(int) string) string { return truth(name) + s.Label.Render(" · ") + answer(name) })}
	}
	top := p.names.fitEach(w, func(name func(int) string) []string {
		nameW := 0
		for _, cp := range d.Top {
			nameW = max(nameW, ansi.StringWidth(name(cp.Class)))
		}
		var out []string
		for _, cp := range d.Top {
			st := s.Label
			if cp.Class == d.Pred {
				st = s.Value
			}
			out = append(out, st.Render(fmt.Sprintf("%s %5.1f%%", draw.PadRight(name(cp.Class), nameW), 100*cp.P)))
		}
		return out
	})
	return append(lines, top...)
}
