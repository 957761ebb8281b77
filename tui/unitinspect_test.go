package tui

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// rbfSnapshot is the probe digit seen by a real lenet5-1998 (its
// defaults: scaled tanh, the paper's RBF output and eq. 9) after an epoch
// of ten batches.
var rbfSnapshot = sync.OnceValue(func() engine.Snapshot { return trainedProbe("lenet5-1998", false) })

// rbfModel is a lenet5-1998 model at w×h showing rbfSnapshot, INPUT
// selected.
func rbfModel(t *testing.T, w, h int) *model {
	t.Helper()
	m, _, _ := newArchModel(t, asciiStyles(), w, h, "lenet5-1998", engine.ScaledTanh, 0.01)
	feed(m, atStep(rbfSnapshot(), 10))
	return m
}

// The keys that select lenet5's F6 and OUTPUT from C1, and
// lenet5-1998's OUTPUT from INPUT.
var (
	toF6     = []string{"l", "l", "l", "l", "l"}
	toOutput = []string{"l", "l", "l", "l", "l", "l"}
	toRBF    = []string{"l", "l", "l", "l", "l", "l", "l"}
)

// TestDenseInspectGolden renders inspect on F6 and on OUTPUT (the way to
// the loss, and tab: the answer's logit), softmax and RBF, and the
// weights (k) of F6 and OUTPUT, at 120×40 and 80×24.
func TestDenseInspectGolden(t *testing.T) {
	views := []struct {
		name string
		rbf  bool
		keys []string
	}{
		{"inspect-F6", false, append(toF6, "i")},
		{"inspect-OUTPUT", false, append(toOutput, "i")},
		{"inspect-OUTPUT-logit", false, append(toOutput, "i", "tab")},
		{"inspect-OUTPUT-rbf", true, append(toRBF, "i")},
		{"inspect-OUTPUT-rbf-y", true, append(toRBF, "i", "tab")},
		{"weights-F6", false, append(toF6, "k")},
		{"weights-OUTPUT", false, append(toOutput, "k")},
		{"weights-OUTPUT-rbf", true, append(toRBF, "k")},
	}
	for _, v := range views {
		for _, sz := range [][2]int{{120, 40}, {80, 24}} {
			name := fmt.Sprintf("%s-%dx%d", v.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				var m *model
				if v.rbf {
					m = rbfModel(t, sz[0], sz[1])
				} else {
					m, _ = trainedModel(t, asciiStyles(), sz[0], sz[1])
				}
				press(m, v.keys...)
				golden(t, name, m.maps.view())
			})
		}
	}
}

// TestDenseInspectNumbers recomputes in float64, with plain loops over
// the snapshot's own inputs and weights, what inspect shows for F6's unit
// 5 and OUTPUT's answer: the pre-activation, the largest product, the
// softmax and the loss −log p; and finds them on screen.
func TestDenseInspectNumbers(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	snap := realSnapshot(storyStep)
	c5, f6, out := snap.Blocks[4].Maps, snap.Blocks[5], snap.Blocks[6]
	pre := float64(f6.Bias[5])
	best, bestJ := math.Inf(-1), -1
	for j := range 120 {
		v := float64(f6.Weights[5*120+j]) * float64(c5[j])
		pre += v
		if v > best {
			best, bestJ = v, j
		}
	}
	press(m, append(toF6, "i", "]", "]", "]", "]", "]")...)
	checkShown(t, m, "F6 unit 5", "F6 unit 5 of 84", "= "+signed(pre)+" pre-activation", "relu("+signed(pre)+") = "+signed(math.Max(pre, 0)),
		"(120 products)", fmt.Sprintf("C5 %-3d", bestJ), "= "+fmt.Sprintf("%8s", fitNum(best, 8)), "✓ = the map")

	// OUTPUT: softmax of the logits and −log p of the label, by hand.
	var sum float64
	for _, z := range out.Maps {
		sum += math.Exp(float64(z))
	}
	label := snap.Label
	p := math.Exp(float64(out.Maps[label])) / sum
	press(m, "esc", "l", "i")
	checkShown(t, m, "OUTPUT", fmt.Sprintf("−log p%d = log S − (z%d − m)", label, label), "= "+signed(-math.Log(p)),
		fitNum(p, 8)+" ◂", "✓ = the probe's bars")
}

// TestRBFInspectNumbers works out eq. 9 for lenet5-1998's probe by hand
// from OUTPUT's penalties, and y of the answer from F6's outputs and the
// bitmap, and finds them on screen.
func TestRBFInspectNumbers(t *testing.T) {
	m := rbfModel(t, 120, 40)
	snap := rbfSnapshot()
	f6, y := snap.Blocks[len(snap.Blocks)-2].Maps, snap.Blocks[len(snap.Blocks)-1].Maps
	var sum float64
	pred := 0
	for k, v := range y {
		sum += math.Exp(-float64(v))
		if v < y[pred] {
			pred = k
		}
	}
	d := snap.Label
	e := float64(y[d]) + math.Log(math.Exp(-1)+sum)
	press(m, append(toRBF, "i")...)
	checkShown(t, m, "OUTPUT rbf", fmt.Sprintf("E = y%d + log(e^−j + Σ e^−y), j = 1", d), "= "+signed(e), fmt.Sprintf("m = min y = %s (class %d)", signed(float64(y[pred])), pred), "✓ = the probe's bars")
	var yp float64
	for j, w := range engine.RBFBitmap(pred) {
		yp += (float64(f6[j]) - float64(w)) * (float64(f6[j]) - float64(w))
	}
	press(m, "tab")
	checkShown(t, m, "OUTPUT rbf y", fmt.Sprintf("OUTPUT RBF distance y %d of 10", pred), fmt.Sprintf("y%d = Σ (x − w)² = %s", pred, signed(yp)), "✓ = the map")
}

// TestDenseInspectChecks spoils the values the ✓ marks are checked
// against (F6's output, the probe's probabilities) and wants ✘.
func TestDenseInspectChecks(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	snap := realSnapshot(storyStep)
	snap.Blocks[5].Maps = append([]float32(nil), snap.Blocks[5].Maps...)
	snap.Blocks[5].Maps[0] += 0.5
	snap.Probs = append([]float32(nil), snap.Probs...)
	snap.Probs[0] += 0.01
	feed(m, snap)
	press(m, append(toF6, "i")...)
	if v := ansi.Strip(m.maps.view()); !strings.Contains(v, "✘ "+signed(float64(snap.Blocks[5].Maps[0]))) {
		t.Errorf("F6 with a spoilt output: no ✘:\n%s", v)
	}
	press(m, "esc", "l", "i")
	if v := ansi.Strip(m.maps.view()); !strings.Contains(v, "✘ the bars differ by") {
		t.Errorf("OUTPUT with spoilt probabilities: no ✘:\n%s", v)
	}
}
