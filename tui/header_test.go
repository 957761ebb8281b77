package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
)

// TestHeaderNamesTheLoss checks that at every width the header's loss
// says which loss it is (the epoch's running mean, where the charts' line
// is an EMA), with its value and nothing cut: the widest figures (batch
// 1875/1875, an ETA of hours, accuracy 100.00%) fit, the state stays
// visible, and a paused run shows no img/s or ETA.
func TestHeaderNamesTheLoss(t *testing.T) {
	p := engine.Progress{Epoch: 1, Batch: 1875, Batches: 1875, Step: 1875, Losses: []float64{2.3215},
		Accs: []float64{1}, LR: 0.0011, TrainLoss: 2.3215, TrainAcc: 1, ImagesPerSec: 30}
	for _, w := range []int{80, 100, 120, 200} {
		for _, paused := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d paused=%v", w, paused), func(t *testing.T) {
				m, _, _ := newTestModel(t, asciiStyles(), w, 40)
				feed(m, p)
				state := "● training"
				if paused {
					m.Update(keyMsg("space"))
					feed(m, engine.StateChanged{Step: p.Step, Paused: true})
					state = "❚❚ paused"
				}
				v := ansi.Strip(m.header.view())
				for _, l := range strings.Split(v, "\n") {
					if lipgloss.Width(l) > w {
						t.Errorf("header line %q is %d cells wide, more than %d", l, lipgloss.Width(l), w)
					}
				}
				for _, want := range []string{"mean loss 2.3215 acc 100.00%", "batch 1875/1875", state} {
					if !strings.Contains(v, want) {
						t.Errorf("header at %d columns lacks %q:\n%s", w, want, v)
					}
				}
				if paused && (strings.Contains(v, "img/s") || strings.Contains(v, "ETA")) {
					t.Errorf("a paused run's header shows a rate or an ETA:\n%s", v)
				}
				if !paused && !strings.Contains(v, "ETA") {
					t.Errorf("header at %d columns has no ETA:\n%s", w, v)
				}
			})
		}
	}
}

// TestDoneLineCountsEpochs: "after 1 epoch", "after 3 epochs".
func TestDoneLineCountsEpochs(t *testing.T) {
	for _, tc := range []struct {
		epochs int
		want   string
	}{{1, "Finished after 1 epoch ("}, {3, "Finished after 3 epochs ("}} {
		m, _, _ := newTestModel(t, asciiStyles(), 200, 40)
		feed(m, engine.Done{Epochs: tc.epochs, Seconds: 2.5, TestAcc: 0.98, TestLoss: 0.06})
		if v := ansi.Strip(m.header.view()); !strings.Contains(v, tc.want) {
			t.Errorf("header after %d epoch(s) lacks %q:\n%s", tc.epochs, tc.want, v)
		}
	}
}

// TestLossChartSaysSmoothed: under label smoothing the loss chart says its
// loss is the smoothed one (whose floor is above 0), at 120×40 and wider.
func TestLossChartSaysSmoothed(t *testing.T) {
	for _, w := range []int{120, 200} {
		m, _, _ := newTestModel(t, asciiStyles(), w, 40)
		m.loss.reset(engine.RunInfo{Arch: "lenet5", Epochs: 20, Batch: 128, TrainCount: 60000, TestCount: 10000, LabelSmoothing: 0.1})
		if v := ansi.Strip(m.loss.view()); !strings.Contains(v, "smoothed ε 0.1, ") {
			t.Errorf("loss chart at %d columns under ε 0.1 does not say so:\n%s", w, v)
		}
	}
}
