package tui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// weightFixture is what a real lenet5 (its defaults: ReLU, He, Adam)
// answers ExplainWeight for C1's kernel 0 centre tap after ten batches,
// paused there, and the probe as it sees it then.
var weightFixture = sync.OnceValues(func() (engine.Snapshot, engine.WeightExplained) {
	s := defaults("lenet5")
	s.Epochs = 2
	_, test := fixtureSets()
	tr := fixtureTrainer("lenet5", dataset.Synthetic(10*s.Batch, 28, 28, 3), test, engine.TrainConfig{Settings: s, Workers: 1, Probe: fixtureProbe})
	tr.Send(engine.Pause{})
	tr.Send(engine.Advance{Batches: 10})
	go tr.Run(context.Background())
	var ans engine.WeightExplained
	for ev := range tr.Events() {
		switch e := ev.(type) {
		case engine.Progress:
			if e.Step == 10 { // paused after it: the command is applied at step 10
				tr.Send(engine.ExplainWeight{Tensor: "c1.weight", Index: []int{0, 0, 2, 2}})
			}
		case engine.WeightExplained:
			ans = e
			tr.Send(engine.Stop{})
		}
	}
	snap := tr.Probe(fixtureProbe)
	snap.Step = ans.Step
	return snap, ans
})

// backwardModel is lenet5's model at w×h inspecting C1 with the weight
// view open and ans fed back for the ask it made.
func backwardModel(t *testing.T, w, h int, ans engine.WeightExplained) (*model, *fakeEnv) {
	t.Helper()
	snap, _ := weightFixture()
	m, env := trainedModel(t, asciiStyles(), w, h)
	feed(m, snap)
	press(m, "i")
	cmds := press(m, "b")
	if cmds[0] == nil {
		t.Fatal("b while inspecting C1 gave no command")
	}
	m.Update(cmds[0]())
	feed(m, ans)
	return m, env
}

// TestBackwardAsks: b sends ExplainWeight for C1's kernel tap under the
// window's centre, and moving the value asks again for the next map's.
func TestBackwardAsks(t *testing.T) {
	_, ans := weightFixture()
	m, env := backwardModel(t, 120, 40, ans)
	want := engine.ExplainWeight{Tensor: "c1.weight", Index: []int{0, 0, 2, 2}}
	if len(env.sent) == 0 || !sameAsk(env.sent[len(env.sent)-1], want) {
		t.Fatalf("b sent %v, want %v", env.sent, want)
	}
	cmds := press(m, "]")
	m.Update(cmds[0]())
	if want.Index[0] = 1; !sameAsk(env.sent[len(env.sent)-1], want) {
		t.Errorf("] then sent %v, want %v", env.sent[len(env.sent)-1], want)
	}
	if v := ansi.Strip(m.maps.view()); !strings.Contains(v, "asking the trainer") || !strings.Contains(v, "c1.weight[1,0,2,2]") {
		t.Errorf("after ] the view shows the old answer:\n%s", v)
	}
}

func sameAsk(c engine.Command, want engine.ExplainWeight) bool {
	e, ok := c.(engine.ExplainWeight)
	return ok && e.Tensor == want.Tensor && slices.Equal(e.Index, want.Index)
}

// TestBackwardGolden renders the real answer at 120×40 and 80×24.
func TestBackwardGolden(t *testing.T) {
	_, ans := weightFixture()
	if ans.Err != "" || ans.Batch.Images == 0 || ans.Step != 10 {
		t.Fatalf("the fixture's answer = %+v, want a gradient at step 10 on a batch", ans)
	}
	for _, sz := range [][2]int{{120, 40}, {80, 24}} {
		name := fmt.Sprintf("backward-C1-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m, _ := backwardModel(t, sz[0], sz[1], ans)
			golden(t, name, m.maps.view())
		})
	}
}

// TestBackwardCheckIsReal: the ✓ beside the finite difference is a
// comparison: an answer whose finite difference is off by 1% gets ✘.
func TestBackwardCheckIsReal(t *testing.T) {
	_, ans := weightFixture()
	m, _ := backwardModel(t, 120, 40, ans)
	v := ansi.Strip(m.maps.view())
	if strings.Contains(v, "✘") || strings.Count(v, "✓") != 4 {
		t.Fatalf("the real answer's checks are not four ✓:\n%s", v)
	}
	bad := ans
	bad.Probe.FD *= 1.01
	m, _ = backwardModel(t, 120, 40, bad)
	v = ansi.Strip(m.maps.view())
	if strings.Count(v, "✘") != 1 || strings.Count(v, "✓") != 3 {
		t.Errorf("with the probe's finite difference 1%% off, the view has %d ✘ and %d ✓, want 1 and 3:\n%s", strings.Count(v, "✘"), strings.Count(v, "✓"), v)
	}
}

// TestBackwardWithoutRun: with no run to ask, the view says so.
func TestBackwardWithoutRun(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	m.setState(stateFinished)
	press(m, "i")
	cmds := press(m, "b")
	m.Update(cmds[0]())
	if v := ansi.Strip(m.maps.view()); !strings.Contains(v, "no run is training") {
		t.Errorf("b after the run ended shows:\n%s", v)
	}
}

var _ tea.Msg = explainWeightMsg{}

// TestBackwardPicksTheWeight: on a dense unit b asks for the weight on its
// largest |x·w| input, found here with plain loops over the snapshot; on
// S2 for the map's coefficient; on a max-pooling layer it says there is
// no weight.
func TestBackwardPicksTheWeight(t *testing.T) {
	m, env := trainedModel(t, asciiStyles(), 120, 40)
	snap := realSnapshot(storyStep)
	c5, f6 := snap.Blocks[4].Maps, snap.Blocks[5]
	best, bestJ := -1.0, -1
	for j := range 120 {
		if v := math.Abs(float64(f6.Weights[j]) * float64(c5[j])); v > best {
			best, bestJ = v, j
		}
	}
	press(m, append(toF6, "i")...)
	cmds := press(m, "b")
	m.Update(cmds[0]())
	want := engine.ExplainWeight{Tensor: "f6.weight", Index: []int{0, bestJ}}
	if got := env.sent[len(env.sent)-1]; !sameAsk(got, want) {
		t.Errorf("b on F6 unit 0 sent %v, want %v", got, want)
	}
	press(m, "esc", "esc") // the weight view, then inspect
	press(m, "h", "h", "h", "h", "i")
	cmds = press(m, "b")
	m.Update(cmds[0]())
	if want := (engine.ExplainWeight{Tensor: "s2.coef", Index: []int{0}}); !sameAsk(env.sent[len(env.sent)-1], want) {
		t.Errorf("b on S2 sent %v, want %v", env.sent[len(env.sent)-1], want)
	}
}

// TestFDToleranceFollowsFloat32: when the net is nearly sure of the label,
// the finite difference is held to what float32 leaves of 1 − p, so a
// correct engine gets no ✘ for its precision; otherwise to 1e-3.
func TestFDToleranceFollowsFloat32(t *testing.T) {
	for _, c := range []struct {
		p, want float64
	}{{0.9, 1e-3}, {0.99999, 4 * 0x1p-24 / 1e-5}, {0.9999973, 4 * 0x1p-24 / 2.7e-6}} {
		g := engine.WeightGrad{Images: 1, Outcome: engine.Outcome{Label: 1, Probs: []float64{1 - c.p, c.p}}}
		if got := fdTolerance(g); math.Abs(got-c.want) > 1e-6*c.want {
			t.Errorf("fdTolerance(p = %v) = %g, want %g", c.p, got, c.want)
		}
	}
	if got := fdTolerance(engine.WeightGrad{Images: 32, Outcome: engine.Outcome{Label: 1, Probs: []float64{0, 1}}}); got != 1e-3 {
		t.Errorf("fdTolerance(a batch) = %g, want 1e-3", got)
	}
}
