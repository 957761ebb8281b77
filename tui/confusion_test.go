package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// realBreakdowns are the Breakdowns of a real lenet5 run (its defaults) on
// the fixture's test digits, one epoch of 20 batches evaluated every 5:
// the early ones have mistakes in many cells, the last few.
var realBreakdowns = sync.OnceValue(func() []engine.Breakdown {
	s := defaults("lenet5")
	s.Epochs = 1
	_, test := fixtureSets()
	tr := fixtureTrainer("lenet5", dataset.Synthetic(20*s.Batch, 28, 28, 1), test, engine.TrainConfig{Settings: s, Workers: 1, EvalEvery: 0.25, Breakdown: true})
	go tr.Run(context.Background())
	var out []engine.Breakdown
	for ev := range tr.Events() {
		if b, ok := ev.(engine.Breakdown); ok {
			out = append(out, b)
		}
	}
	return out
})

// confusionModel is trainedModel with the first breakdown fed and the
// confusion matrix shown.
func confusionModel(t *testing.T, st styles) (*model, *fakeEnv, engine.Breakdown) {
	t.Helper()
	m, env := trainedModel(t, st, 120, 40)
	b := realBreakdowns()[0]
	feed(m, b)
	press(m, "c")
	if m.lower.current() != cardOf[*confusionPanel](m) {
		t.Fatalf("after c the lower half shows %T, want the confusion matrix", m.lower.current())
	}
	return m, env, b
}

func TestConfusionGolden(t *testing.T) {
	m, _, _ := confusionModel(t, asciiStyles())
	golden(t, "screen-confusion-120x40", m.View())
	press(m, "enter")
	golden(t, "screen-confusion-digits-120x40", m.View())
}

// TestConfusionShowsTheBreakdown: every count of the matrix is on screen
// in its row, the diagonal's like the others, with the class's accuracy, and the most confused pair is
// named as analysis finds it.
func TestConfusionShowsTheBreakdown(t *testing.T) {
	m, _, b := confusionModel(t, asciiStyles())
	v := ansi.Strip(cardOf[*confusionPanel](m).view())
	conf := analysis.Confusion{Classes: b.Classes, Counts: b.Counts}
	pair, ok := conf.MostConfused()
	if !ok {
		t.Fatal("the fixture's first evaluation has no mistakes: not the story")
	}
	if want := fmt.Sprintf("most confused: %d read as %d, %d×", pair.True, pair.Pred, pair.Count); !strings.Contains(v, want) {
		t.Errorf("the panel does not say %q:\n%s", want, v)
	}
	lines := strings.Split(v, "\n")
	stats := conf.PerClass()
	for tc := range b.Classes {
		var row string
		for _, l := range lines {
			if f := strings.Fields(strings.Trim(l, "│ ▸")); len(f) > 0 && f[0] == fmt.Sprint(tc) {
				row = l
				break
			}
		}
		f := strings.Fields(strings.NewReplacer("›", " ", "▸", " ").Replace(strings.Trim(row, "│ ")))
		if len(f) != b.Classes+2 {
			t.Fatalf("row of class %d: %q, want the class, %d counts and the accuracy", tc, row, b.Classes)
		}
		for q := range b.Classes {
			v := b.Counts[tc*b.Classes+q]
			want := fmt.Sprint(v)
			switch {
			case v == 0:
				want = "·"
			case v >= 1000:
				want = fmt.Sprintf("%dk", (v+500)/1000)
			case v >= 100 && q > 0 && b.Counts[tc*b.Classes+q-1] > 0:
				want = ">99" // after a count, without colour
			}
			if f[q+1] != want {
				t.Errorf("class %d read as %d: shows %q, want %q", tc, q, f[q+1], want)
			}
		}
		if want := pctShort(stats[tc].Recall); f[len(f)-1] != want {
			t.Errorf("class %d accuracy: shows %q, want %q", tc, f[len(f)-1], want)
		}
	}
}

// TestConfusionCursor: the cursor starts on the most confused pair, the
// arrows move it (wrapping) instead of changing layer, enter opens the
// cell's digits, → steps through them, enter makes one the probe, esc goes
// back to the matrix and a second esc to the maps.
func TestConfusionCursor(t *testing.T) {
	m, env, b := confusionModel(t, asciiStyles())
	pair, _ := analysis.Confusion{Classes: b.Classes, Counts: b.Counts}.MostConfused()
	if cardOf[*confusionPanel](m).row != pair.True || cardOf[*confusionPanel](m).col != pair.Pred {
		t.Fatalf("the cursor starts at (%d, %d), want the most confused pair (%d, %d)", cardOf[*confusionPanel](m).row, cardOf[*confusionPanel](m).col, pair.True, pair.Pred)
	}
	layer := m.selected
	press(m, "down", "down", "left")
	k := b.Classes
	wantRow, wantCol := (pair.True+2)%k, (pair.Pred+k-1)%k
	if cardOf[*confusionPanel](m).row != wantRow || cardOf[*confusionPanel](m).col != wantCol || m.selected != layer {
		t.Errorf("after ↓ ↓ ←: cursor (%d, %d), layer %d; want (%d, %d), layer %d", cardOf[*confusionPanel](m).row, cardOf[*confusionPanel](m).col, m.selected, wantRow, wantCol, layer)
	}
	if want := fmt.Sprintf("▸%d", wantRow); !strings.Contains(ansi.Strip(m.View()), want) {
		t.Errorf("the screen does not mark row %d with %q", wantRow, want)
	}
	// A new evaluation keeps the cursor where the student put it.
	feed(m, realBreakdowns()[1])
	if cardOf[*confusionPanel](m).row != wantRow || cardOf[*confusionPanel](m).col != wantCol {
		t.Errorf("after a new evaluation the cursor moved to (%d, %d), want (%d, %d)", cardOf[*confusionPanel](m).row, cardOf[*confusionPanel](m).col, wantRow, wantCol)
	}
	b = realBreakdowns()[1]

	// Go to the most confused cell of the newest evaluation and open it.
	pair, _ = analysis.Confusion{Classes: b.Classes, Counts: b.Counts}.MostConfused()
	for cardOf[*confusionPanel](m).row != pair.True {
		press(m, "down")
	}
	for cardOf[*confusionPanel](m).col != pair.Pred {
		press(m, "right")
	}
	press(m, "enter")
	cell := b.Cell(pair.True, pair.Pred)
	if !cardOf[*confusionPanel](m).browse || len(cell) < 2 {
		t.Fatalf("enter on a cell of %d digits: browsing %v", len(cell), cardOf[*confusionPanel](m).browse)
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{fmt.Sprintf("digit 1 of %d", len(cell)), fmt.Sprintf("test #%d", cell[0].Index)} {
		if !strings.Contains(v, want) {
			t.Errorf("the digits view does not say %q:\n%s", want, v)
		}
	}
	if want := fmt.Sprintf("%d %5.1f%%", cell[0].Top[0].Class, 100*cell[0].Top[0].P); !strings.Contains(v, want) {
		t.Errorf("the digits view does not give the top probability %q:\n%s", want, v)
	}
	press(m, "right")
	cmds := press(m, "enter")
	if cmds[0] == nil {
		t.Fatal("enter on a digit returned no command")
	}
	msg := cmds[0]()
	if u, ok := msg.(useProbeMsg); !ok || u.Index != cell[1].Index {
		t.Fatalf("enter on the second digit sent %#v, want useProbeMsg{%d}", msg, cell[1].Index)
	}
	m.Update(msg)
	if got := env.sent[len(env.sent)-1]; got != (engine.SetProbe{Index: cell[1].Index}) || m.probe != cell[1].Index {
		t.Errorf("after useProbeMsg: sent %#v, probe %d; want SetProbe{%d}", got, m.probe, cell[1].Index)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "the probe now · esc esc: its maps") {
		t.Errorf("the digits view does not say the digit is the probe now:\n%s", v)
	}
	press(m, "esc")
	if cardOf[*confusionPanel](m).browse || m.lower.current() != cardOf[*confusionPanel](m) {
		t.Errorf("esc over the digits: browsing %v, showing %T; want the matrix", cardOf[*confusionPanel](m).browse, m.lower.current())
	}
	press(m, "esc")
	if m.lower.current() != &m.maps {
		t.Errorf("a second esc shows %T, want the maps", m.lower.current())
	}
}

// TestConfusionAfterTheRun: once the run has finished the matrix still
// browses, and enter still picks the probe.
func TestConfusionAfterTheRun(t *testing.T) {
	m, _, b := confusionModel(t, asciiStyles())
	finish(m)
	if !m.state.ended() {
		t.Fatalf("state %v after the story's end", m.state)
	}
	press(m, "enter")
	cell := b.Cell(cardOf[*confusionPanel](m).row, cardOf[*confusionPanel](m).col)
	cmds := press(m, "right", "enter")
	msg := cmds[1]()
	u, ok := msg.(useProbeMsg)
	if !ok || u.Index != cell[1%len(cell)].Index {
		t.Fatalf("enter after the run sent %#v, want useProbeMsg{%d}", msg, cell[1%len(cell)].Index)
	}
	m.Update(msg)
	if m.probe != u.Index {
		t.Errorf("after the run, useProbeMsg{%d} left the probe at %d", u.Index, m.probe)
	}
}

func TestEmbeddingGolden(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	bs := realBreakdowns()
	feed(m, bs[0], bs[len(bs)-1])
	press(m, "e")
	if m.lower.current() != cardOf[*embeddingPanel](m) {
		t.Fatalf("after e the lower half shows %T, want the embedding", m.lower.current())
	}
	v := ansi.Strip(m.View())
	last := bs[len(bs)-1]
	if want := fmt.Sprintf("F6 by PCA · epoch %s", trimFloat(last.Epoch)); !strings.Contains(v, want) {
		t.Errorf("the title does not say which evaluation: want %q in\n%s", want, v)
	}
	golden(t, "screen-embedding-120x40", v)
}

// TestEmbeddingMarks: every class appears on the scatter (as its digit
// without colour, as coloured braille with it), and a point sits where
// the projection puts it.
func TestEmbeddingMarks(t *testing.T) {
	b := realBreakdowns()[len(realBreakdowns())-1]
	for _, st := range []styles{asciiStyles(), colorStyles()} {
		p := newEmbeddingPanel(st)
		p.setSize(44, 19)
		p.update(b)
		v := p.view()
		plot := strings.Join(strings.Split(ansi.Strip(v), "\n")[2:17], "\n")
		if st.noColor {
			for c := range 10 {
				if !strings.Contains(plot, fmt.Sprint(c)) {
					t.Errorf("NO_COLOR: class %d has no mark on the scatter:\n%s", c, plot)
				}
			}
			continue
		}
		if !strings.ContainsRune(plot, 0x2800|0x01) && !strings.ContainsAny(plot, "⠁⠂⠄⡀⠈⠐⠠⢀") && strings.Count(plot, "⠀") == len(plot) {
			t.Errorf("colour: no braille dots on the scatter:\n%s", plot)
		}
		for c, col := range classColours {
			if !strings.Contains(v, st.Class[c].Render("■")[:strings.Index(st.Class[c].Render("■"), "■")]) {
				t.Errorf("colour: class %d's colour %s is not used", c, col)
			}
		}
	}
}

// TestBreakdownViewsFit: the confusion matrix, its digits and the
// embedding fill exactly the screen at every size, with colour or not.
func TestBreakdownViewsFit(t *testing.T) {
	bs := realBreakdowns()
	for _, st := range []styles{asciiStyles(), colorStyles()} {
		for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {140, 45}, {200, 60}, {81, 50}} {
			for _, keys := range [][]string{{"c"}, {"c", "enter"}, {"c", "enter", "right", "esc"}, {"e"}} {
				m, _ := trainedModel(t, st, sz[0], sz[1])
				feed(m, bs[len(bs)-1], bs[0]) // ending with mistakes
				press(m, keys...)
				lines := strings.Split(m.View(), "\n")
				if len(lines) != sz[1] {
					t.Errorf("%v after %v: View has %d lines, want %d", sz, keys, len(lines), sz[1])
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Errorf("%v after %v: line %d is %d cells wide, want ≤ %d: %q", sz, keys, i, w, sz[0], ansi.Strip(l))
					}
				}
				if st.noColor && sz == [2]int{80, 24} {
					golden(t, "screen-"+strings.Join(keys, "-")+"-80x24", m.View())
				}
			}
		}
	}
}

// TestConfusionWideCells: on a wide screen every count is written out in
// full, the diagonal's too, each after a space.
func TestConfusionWideCells(t *testing.T) {
	m, _, b := confusionModel(t, asciiStyles())
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	if cardOf[*confusionPanel](m).view(); cardOf[*confusionPanel](m).cellW <= confCellW {
		t.Fatalf("cells %d wide at 200×60, want more than %d", cardOf[*confusionPanel](m).cellW, confCellW)
	}
	lines := strings.Split(ansi.Strip(cardOf[*confusionPanel](m).view()), "\n")
	for tc := range b.Classes {
		var f []string
		for _, l := range lines {
			if g := strings.Fields(strings.NewReplacer("›", " ", "▸", " ").Replace(strings.Trim(l, "│ "))); len(g) == b.Classes+2 && g[0] == fmt.Sprint(tc) {
				f = g
			}
		}
		if f == nil {
			t.Fatalf("no row for class %d:\n%s", tc, strings.Join(lines, "\n"))
		}
		for q := range b.Classes {
			want := fmt.Sprint(b.Counts[tc*b.Classes+q])
			if want == "0" {
				want = "·"
			}
			if f[q+1] != want {
				t.Errorf("class %d read as %d: shows %q, want %q", tc, q, f[q+1], want)
			}
		}
	}
}

// TestConfusionSaysWhatItCounts: the card says which axis is which and
// which test images it counts: the quick check's first ones at a fraction
// of an epoch, or the whole test set at an epoch's end; and the title's
// note, which would say the same, gives way to it.
func TestConfusionSaysWhatItCounts(t *testing.T) {
	quick := realBreakdowns()[0]
	full := quick
	full.Full, full.Images, full.Epoch = true, 10000, 2
	tests := []struct {
		name string
		b    engine.Breakdown
		want string
	}{
		{"quick", quick, fmt.Sprintf("first %s test images, at epoch %s", engine.Thousands(quick.Images), trimFloat(quick.Epoch))},
		{"full", full, "all 10,000 test images, end of epoch 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if quick.Full || quick.Epoch == float64(int(quick.Epoch)) {
				t.Fatalf("the fixture's first breakdown: Full %v at epoch %v, want a quick check within an epoch", quick.Full, quick.Epoch)
			}
			p := newConfusionPanel(asciiStyles())
			p.setSize(44, 19) // as at 120×40: just room for the matrix and the lines
			p.update(tt.b)
			v := flat(ansi.Strip(p.view()))
			for _, want := range []string{"t\\p: true digit down, predicted across", tt.want} {
				if !strings.Contains(v, want) {
					t.Errorf("confusion card of %s =\n%s\nwant %q", tt.name, ansi.Strip(p.view()), want)
				}
			}
			if p.note != "" {
				t.Errorf("the card's note = %q beside the lines that say it, want none", p.note)
			}
		})
	}
}

// TestConfusionDiagonalCounts: in colour, where each cell has its own
// background, the diagonal shows its counts like every other cell — 3-wide
// cells too — and no ✓ stands in for them.
func TestConfusionDiagonalCounts(t *testing.T) {
	b := realBreakdowns()[len(realBreakdowns())-1]
	p := newConfusionPanel(colorStyles())
	p.setSize(44, 22)
	p.update(b)
	v := ansi.Strip(p.view())
	if p.cellW != confCellW {
		t.Fatalf("cells %d wide in a 44-wide card, want %d", p.cellW, confCellW)
	}
	if strings.Contains(v, "✓") {
		t.Errorf("confusion card =\n%s\nwant no ✓ on the diagonal", v)
	}
	lines := strings.Split(v, "\n")
	head := -1 // the header line; a line per class follows it
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, "│ "), "t\\p ") {
			head = i
		}
	}
	if head < 0 || head+b.Classes >= len(lines) {
		t.Fatalf("no matrix in the card:\n%s", v)
	}
	for tc := range b.Classes {
		row := strings.TrimPrefix(strings.TrimLeft(lines[head+1+tc], "│"), " ")
		// the diagonal's cell: after the label, tc cells of 3
		r := []rune(row)
		cell := strings.TrimSpace(string(r[confLabelW+tc*confCellW : confLabelW+(tc+1)*confCellW]))
		want := compactCount(b.Counts[tc*b.Classes+tc])
		if want == "0" {
			want = "·"
		}
		if cell != want {
			t.Errorf("class %d read as %d: shows %q, want %q (row %q)", tc, tc, cell, want, row)
		}
	}
}
