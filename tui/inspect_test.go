package tui

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// TestInspectKeys walks the inspect keys: i starts at the middle of the
// selected map in the deep layout, the cursor keys move and stop at the
// edges, [ and ] change the map and wrap, esc leaves; on a dense layer
// [ ] change the unit, on OUTPUT i starts at the answer, and on a pad i
// says what it works on instead.
func TestInspectKeys(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	press(m, "i")
	in := m.maps.insp
	if !in.on || in.m != 0 || in.y != 14 || in.x != 14 || m.active.name != "wide, deep" {
		t.Fatalf("after i: inspect %+v in layout %q, want map 0 at (14, 14) in wide, deep", in, m.active.name)
	}
	press(m, strings.Fields(strings.Repeat("up ", 20)+"left right")...)
	if in := m.maps.insp; in.y != 0 || in.x != 14 {
		t.Errorf("after 20 × up, left, right: (%d, %d), want (0, 14)", in.y, in.x)
	}
	press(m, "]", "[", "[")
	if in := m.maps.insp; in.m != 5 {
		t.Errorf("after ] [ [: map %d, want 5 (wrapped)", in.m)
	}
	if m.pred.lit == nil {
		t.Error("inspecting, the probe has no field lit")
	}
	press(m, "esc")
	if m.maps.insp.on || m.pred.lit != nil || m.active.name != "wide" {
		t.Errorf("after esc: inspect %v, field lit %v, layout %q; want off, none, wide", m.maps.insp.on, m.pred.lit, m.active.name)
	}
	press(m, "l", "l", "l", "l", "l", "i", "right", "[", "[") // F6: unit 0, 1, then back past 0 to 83
	if in := m.maps.insp; !in.on || in.m != 83 {
		t.Errorf("i → [ [ on F6: inspect %v unit %d, want on, unit 83 (wrapped)", in.on, in.m)
	}
	press(m, "esc", "l", "i") // OUTPUT: the answer's class
	ls, _ := realSnapshot(storyStep).LossSteps()
	if in := m.maps.insp; !in.on || in.m != ls.Pred || in.term != pageLoss {
		t.Errorf("i on OUTPUT: inspect %v class %d page %d, want on, class %d (the answer), the loss", in.on, in.m, in.term, ls.Pred)
	}
	r := rbfModel(t, 120, 40)
	press(r, "i") // lenet5-1998's INPUT: a pad
	if r.maps.insp.on || !strings.Contains(ansi.Strip(r.header.view()), "a pad only copies") {
		t.Errorf("i on a pad: inspect %v, header %q; want off and a word on what i works on", r.maps.insp.on, ansi.Strip(r.header.view()))
	}
}

// TestInspectFields checks the receptive field lit on the probe for the
// middle value of each of lenet5's convolution and subsampling layers,
// worked out by hand: C1 reads rows 12–16 around (14, 14) (5 wide); S2's
// (7, 7) reads C1's rows 14–15, so 12–17 (6); C3's (5, 5) reads S2's
// rows 5–9, so 8–21 (14); S4's (2, 2) reads C3's 4–5, so 6–21 (16); C5
// reads everything: −2–29 (32), two rows of padding each side.
func TestInspectFields(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	want := []struct {
		name string
		size int
		lit  [4]int
	}{
		{"C1", 5, [4]int{12, 17, 12, 17}}, {"S2", 6, [4]int{12, 18, 12, 18}}, {"C3", 14, [4]int{8, 22, 8, 22}},
		{"S4", 16, [4]int{6, 22, 6, 22}}, {"C5", 32, [4]int{-2, 30, -2, 30}},
	}
	for k, w := range want {
		if k > 0 {
			press(m, "l")
		}
		press(m, "i")
		if m.pred.lit == nil || m.pred.field.H != w.size || *m.pred.lit != w.lit {
			t.Errorf("%s: field %v lit %v, want %d×%d lit %v", w.name, m.pred.field, m.pred.lit, w.size, w.size, w.lit)
		}
		v := ansi.Strip(m.pred.view())
		if !strings.Contains(v, fmt.Sprintf("field %d×%d", w.size, w.size)) {
			t.Errorf("%s: the probe does not say the field's size:\n%s", w.name, v)
		}
		press(m, "i")
	}
}

// TestInspectNumbers recomputes the numbers inspect shows from the
// snapshot with plain loops (C1 with its padding, S2 with its coefficient,
// C3 over the six maps Table I gives map 15) and finds them on screen.
func TestInspectNumbers(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	snap := realSnapshot(storyStep)
	b := snap.Blocks
	relu := func(v float64) float64 { return math.Max(v, 0) }

	// C1, map 0 at (14, 14): the 5×5 window of the 28×28 input from (12, 12).
	pre := float64(b[0].Bias[0])
	for dy := range 5 {
		for dx := range 5 {
			pre += float64(b[0].Kernels[dy*5+dx]) * float64(snap.Input[(12+dy)*28+12+dx])
		}
	}
	press(m, "i")
	checkShown(t, m, "C1", "= "+signed(pre)+" pre-activation", "relu("+signed(pre)+") = "+signed(relu(pre)), "(25 products)", "✓")
	press(m, "esc", "l", "i", "]", "]") // S2, map 2 at (7, 7): C1's map 2, rows and cols 14–15
	var sum float64
	for _, k := range []int{14*28 + 14, 14*28 + 15, 15*28 + 14, 15*28 + 15} {
		sum += float64(b[0].Maps[2*28*28+k])
	}
	pre = float64(b[1].Coef[2])*sum + float64(b[1].Bias[2])
	checkShown(t, m, "S2", "Σ of 4 = "+signed(sum), "× coef "+signed(float64(b[1].Coef[2])), "= "+signed(pre)+" pre-activation", "✓")
	press(m, "esc", "l", "i", "[") // C3, map 15 at (5, 5): all six S2 maps, rows and cols 5–9
	pre = float64(b[2].Bias[15])
	for i := range 6 {
		for dy := range 5 {
			for dx := range 5 {
				w := b[2].Kernels[((15*6+i)*5+dy)*5+dx]
				pre += float64(w) * float64(b[1].Maps[(i*14+5+dy)*14+5+dx])
			}
		}
	}
	checkShown(t, m, "C3", "(150 products)", "= "+signed(pre)+" pre-activation", "5:", "✓")
}

func checkShown(t *testing.T, m *model, what string, wants ...string) {
	t.Helper()
	v := ansi.Strip(m.maps.view())
	for _, w := range wants {
		if !strings.Contains(v, w) {
			t.Errorf("%s: inspect lacks %q:\n%s", what, w, v)
		}
	}
}

// TestKernelPages turns C3's pages of kernels and picks C5's units.
func TestKernelPages(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	press(m, "l", "l", "k")
	for _, want := range []string{"out 0–5 of 16", "out 6–11 of 16", "out 12–15 of 16", "out 12–15 of 16"} {
		if v := ansi.Strip(m.maps.view()); !strings.Contains(v, want) {
			t.Errorf("C3 kernels lack %q:\n%s", want, v)
		}
		press(m, "]")
	}
	press(m, "l", "l", "]", "]", "]")
	if v := ansi.Strip(m.maps.view()); !strings.Contains(v, "C5 unit 3 of 120, its 16 kernels") || !strings.Contains(v, "3←15") {
		t.Errorf("C5 kernels after ] ] ]: want unit 3's 16 kernels:\n%s", v)
	}
}

// TestCoefficients checks the subsampling table against the snapshot:
// each map's coefficient and bias, their change since the run's first
// snapshot, and the engine's reading of them.
func TestCoefficients(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	first := m.maps.first
	press(m, "l", "k")
	v := ansi.Strip(m.maps.view())
	s := realSnapshot(storyStep)
	for c := range 6 {
		coef, bias := float64(s.Blocks[1].Coef[c]), float64(s.Blocks[1].Bias[c])
		r, err := s.Reading(1, c)
		if err != nil {
			t.Fatal(err)
		}
		row := fmt.Sprintf("%3d %6s %6s %6s %6s %s", c, fixed(coef), delta(coef-float64(first.Blocks[1].Coef[c])),
			fixed(bias), delta(bias-float64(first.Blocks[1].Bias[c])), readingText(r))
		if !strings.Contains(v, row) {
			t.Errorf("S2 coefficients lack the row %q:\n%s", row, v)
		}
	}
	if !strings.Contains(v, "y = relu(c·Σ2×2 + b)") {
		t.Errorf("S2 coefficients do not give the formula:\n%s", v)
	}
	_ = engine.ReadLinear
}

// TestInspectCompactKeepsTheWindow: at 80×24 the inspected value of C3 keeps
// its 5×5 window in numbers and each input map's Σ w·x, beside the
// arithmetic (the layers and charts give up their lines to it).
func TestInspectCompactKeepsTheWindow(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 80, 24)
	press(m, "right", "right", "i")
	v := ansi.Strip(m.View())
	rows := 0
	for _, l := range strings.Split(v, "\n") {
		if len(regexp.MustCompile(`-?\d+\.\d\d`).FindAllString(l, -1)) >= 5 {
			rows++
		}
	}
	if rows < 5 || !strings.Contains(v, "Σ w·x per input map") || !strings.Contains(v, "pre-activation") || m.active.name != "compact, deep" {
		t.Errorf("inspecting C3 at 80×24 (layout %q): %d window rows, want 5, and the per-map sums and the arithmetic:\n%s", m.active.name, rows, v)
	}
}
