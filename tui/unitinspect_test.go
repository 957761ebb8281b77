package tui

import (
	"context"
	"sync"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// rbfSnapshot is the probe digit seen by a real lenet5-1998 (its
// defaults: scaled tanh, the paper's RBF output and eq. 9) after an epoch
// of ten batches.
var rbfSnapshot = sync.OnceValue(func() engine.Snapshot {
	s := defaults("lenet5-1998")
	s.Epochs = 1
	_, test := fixtureSets()
	tr := fixtureTrainer("lenet5-1998", dataset.Synthetic(10*s.Batch, 28, 28, 3), test, engine.TrainConfig{Settings: s, Workers: 1})
	tr.Run(context.Background())
	for range tr.Events() {
	}
	return tr.Probe(fixtureProbe)
})

// rbfModel is a lenet5-1998 model at w×h showing rbfSnapshot.
func rbfModel(t *testing.T, w, h int) *model {
	t.Helper()
	m, _, _ := newArchModel(t, asciiStyles(), w, h, "lenet5-1998", engine.ScaledTanh, 0.01)
	feed(m, atStep(rbfSnapshot(), 10))
	return m
}

func TestDenseInspectLook(t *testing.T) {
	for _, sz := range [][2]int{{120, 40}, {80, 24}} {
		m, _ := trainedModel(t, asciiStyles(), sz[0], sz[1])
		press(m, "l", "l", "l", "l", "l", "i")
		t.Logf("\n%s", m.maps.view())
		press(m, "esc", "l", "i")
		t.Logf("\n%s", m.maps.view())
		press(m, "tab")
		t.Logf("\n%s", m.maps.view())
		press(m, "esc", "esc", "h", "k")
		t.Logf("\n%s", m.maps.view())
		press(m, "l")
		t.Logf("\n%s", m.maps.view())
	}
	m := rbfModel(t, 120, 40)
	t.Logf("\n%s", m.View())
}
