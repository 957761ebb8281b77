package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// fashion are Fashion-MNIST's class names, as the dataset gives them.
var fashion = dataset.ClassNames("fashion-mnist")

func TestClassNamesCut(t *testing.T) {
	n := classNames(fashion)
	tests := []struct {
		c, w int
		want string
	}{
		{0, 20, "T-shirt/top"},
		{0, 11, "T-shirt/top"},
		{0, 8, "T-shirt…"},
		{9, 7, "Ankle…"}, // the space before the cut is dropped
		{9, 3, "An…"},
		{9, 2, "9"}, // too narrow for a name: the index
		{12, 5, "12"},
	}
	for _, tt := range tests {
		if got := n.cut(tt.c, tt.w); got != tt.want {
			t.Errorf("cut(%d, %d) = %q, want %q", tt.c, tt.w, got, tt.want)
		}
	}
	if !classNames(dataset.ClassNames("mnist")).numbered() || !classNames(nil).numbered() || n.numbered() {
		t.Errorf("numbered: MNIST's and no names are their indexes, Fashion-MNIST's are not")
	}
}

// TestClassNamesFit: a phrase keeps its names whole while it fits, then
// its shorter form, then shorter names, at last the indexes.
func TestClassNamesFit(t *testing.T) {
	n := classNames(fashion)
	long := func(name func(int) string) string { return "most confused: " + name(6) + " read as " + name(0) }
	short := func(name func(int) string) string { return "worst: " + name(6) + " read as " + name(0) }
	for _, tt := range []struct {
		w    int
		want string
	}{
		{60, "most confused: Shirt read as T-shirt/top"},
		{36, "worst: Shirt read as T-shirt/top"},
		{28, "worst: Shirt read as T-shi…"},
		{10, "worst: 6 read as 0"},
	} {
		if got := n.fit(tt.w, long, short); got != tt.want {
			t.Errorf("fit(%d) = %q, want %q", tt.w, got, tt.want)
		}
	}
	lines := n.fitLines(20, 3, func(name func(int) string) string { return name(9) + " and " + name(0) })
	if want := []string{"Ankle boot and", "T-shirt/top"}; !slices.Equal(lines, want) {
		t.Errorf("fitLines(20, 3) = %q, want %q: a name is kept on one line", lines, want)
	}
	lines = n.fitLines(12, 1, func(name func(int) string) string { return name(9) + " " + name(0) })
	if want := []string{"Ankl… T-sh…"}; !slices.Equal(lines, want) {
		t.Errorf("fitLines(12, 1) = %q, want the names cut to fit %q", lines, want)
	}
}

// TestNamedScreensGolden: a run on Fashion-MNIST's names (the fixture's
// digits, named as Fashion-MNIST's classes) shows them in the probe's
// bars and true label, the confusion matrix (its rows, or a key, and the
// lines under it), a cell's digits, the embedding's legend and the
// forward pass's classes, at 120×40 and 80×24. MNIST's screens are unchanged: their goldens are the others.
func TestNamedScreensGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		name := func(view string) string { return fmt.Sprintf("screen-fashion-%s-%s", view, sizeName(size)) }
		m, _ := namedModel(t, asciiStyles(), size[0], size[1], fashion)
		bs := realBreakdowns()
		feed(m, bs[0])
		press(m, "c")
		golden(t, name("c"), m.View())
		press(m, "enter")
		golden(t, name("c-enter"), m.View())
		press(m, "esc", "esc")
		feed(m, bs[len(bs)-1])
		press(m, "e")
		golden(t, name("e"), m.View())
		press(m, "o")
		golden(t, name("o"), m.View())
	}
}

// TestNamedClassesShown: with names, every view that names a class says
// its name where it fits: the probe's true label and bars, the confusion
// matrix's worst pair and cursor, each class in the matrix (rows or key),
// a cell's digit, and the embedding's legend.
func TestNamedClassesShown(t *testing.T) {
	m, _ := namedModel(t, asciiStyles(), 120, 40, fashion)
	b := realBreakdowns()[0]
	feed(m, b)
	pred := ansi.Strip(m.pred.view())
	snap := m.pred.snap
	if want := "true label " + fashion[snap.Label]; !strings.Contains(pred, want) {
		t.Errorf("the probe does not say %q:\n%s", want, pred)
	}
	best := 0
	for c, p := range snap.Probs {
		if p > snap.Probs[best] {
			best = c
		}
	}
	if !strings.Contains(pred, "\n│ "+fashion[best]+" ") {
		t.Errorf("the probe's first bar is not named %q:\n%s", fashion[best], pred)
	}

	press(m, "c")
	conf := ansi.Strip(cardOf[*confusionPanel](m).view())
	pair, _ := analysis.Confusion{Classes: b.Classes, Counts: b.Counts}.MostConfused()
	if want := fashion[pair.True] + " read as " + fashion[pair.Pred]; strings.Count(conf, want) != 2 {
		t.Errorf("the matrix should say %q twice (the worst pair, the cursor's cell):\n%s", want, conf)
	}
	for c, n := range fashion {
		if !strings.Contains(conf, fmt.Sprintf("%d %s", c, n)) {
			t.Errorf("the matrix does not name class %d %q:\n%s", c, n, conf)
		}
	}
	press(m, "enter")
	digits := ansi.Strip(cardOf[*confusionPanel](m).view())
	if want := "true " + fashion[pair.True]; !strings.Contains(digits, want) {
		t.Errorf("a cell's digit does not say %q:\n%s", want, digits)
	}

	press(m, "esc", "esc", "e")
	emb := ansi.Strip(cardOf[*embeddingPanel](m).view())
	for c, n := range fashion {
		if !strings.Contains(emb, fmt.Sprintf("%d %s", c, n)) {
			t.Errorf("the embedding's legend does not map mark %d to %q:\n%s", c, n, emb)
		}
	}
}

// TestEmbeddingManyClasses: with more classes than colours, the scatter
// draws each class's mark (a letter past 9), in colour too, and the
// legend maps each mark to its class's name.
func TestEmbeddingManyClasses(t *testing.T) {
	names := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"}
	e := engine.Embedding{Layer: "F6", Dim: 2}
	for c := range names { // each class a tight cluster on a circle
		for i := range 10 {
			a := 2 * math.Pi * float64(c) / float64(len(names))
			e.Labels = append(e.Labels, uint8(c))
			e.Values = append(e.Values, float32(10*math.Cos(a)+0.01*float64(i)), float32(10*math.Sin(a)))
		}
	}
	for _, st := range []styles{asciiStyles(), colorStyles()} {
		p := newEmbeddingPanel(st)
		p.reset(engine.RunInfo{Classes: names})
		p.setSize(60, 24)
		p.update(engine.Breakdown{Classes: len(names), Embedding: e})
		v := ansi.Strip(p.view())
		for c, n := range names {
			mark := string(classMark(c))
			if !strings.Contains(v, mark+" "+n) {
				t.Errorf("noColor %v: the legend does not map %s to %q:\n%s", st.noColor, mark, n, v)
			}
		}
		lines := strings.Split(v, "\n")
		plot := strings.Join(lines[2:len(lines)-4], "\n") // above the legend's 3 lines
		if !strings.Contains(plot, "│") {
			t.Fatalf("no scatter:\n%s", v)
		}
		if !strings.Contains(plot, "a") || !strings.Contains(plot, "b") || strings.ContainsRune(plot, '⠁') {
			t.Errorf("noColor %v: the scatter should draw classes 10 and 11 as a and b, no braille:\n%s", st.noColor, v)
		}
	}
}
