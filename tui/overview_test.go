package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
)

// gradSnapshot is probeSnapshot (the same real lenet5, trained the same
// ten batches) with the probe's gradients, as the trainer sends it at the
// story's step.
var gradSnapshot = sync.OnceValue(func() engine.Snapshot { return atStep(trainedProbe("lenet5", true), storyStep) })

// overviewModel is trainedModel at w×h with the gradients' snapshot and
// the overview shown (o), then keys.
func overviewModel(t *testing.T, w, h int, keys ...string) *model {
	m, _ := trainedModel(t, asciiStyles(), w, h)
	feed(m, gradSnapshot())
	press(m, append([]string{"o"}, keys...)...)
	return m
}

// TestOverviewGolden renders the overview and its gradient mode (tab) at
// 120×40 and 80×24.
func TestOverviewGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, v := range []struct {
			name string
			keys []string
		}{{"overview", nil}, {"gradmaps", []string{"tab"}}} {
			name := fmt.Sprintf("%s-%dx%d", v.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m := overviewModel(t, size[0], size[1], v.keys...)
				golden(t, name, cardOf[*overviewPanel](m).view())
			})
		}
	}
}

// TestOverviewShowsThePass: with room, the overview names every block of
// the real lenet5 and its probabilities are the snapshot's; the gradient
// mode names the loss's class and gradient bands of the convolutions.
func TestOverviewShowsThePass(t *testing.T) {
	s := gradSnapshot()
	m := overviewModel(t, 200, 60)
	v := ansi.Strip(cardOf[*overviewPanel](m).view())
	for _, b := range s.Blocks {
		if !strings.Contains(v, b.Name) {
			t.Errorf("overview at 200×60 does not name %s:\n%s", b.Name, v)
		}
	}
	var probs []string
	for _, l := range strings.Split(v, "\n") {
		if f := strings.Fields(strings.Trim(l, "│ ")); len(f) == 11 && f[0] == "p" {
			probs = f[1:]
		}
	}
	if len(probs) != len(s.Probs) {
		t.Fatalf("overview at 200×60 has no line of %d probabilities:\n%s", len(s.Probs), v)
	}
	for c, txt := range probs {
		got, err := strconv.ParseFloat(strings.TrimSuffix(txt, "%"), 64)
		if want := 100 * float64(s.Probs[c]); err != nil || math.Abs(got-want) > 0.05+1e-9 {
			t.Errorf("overview: p(%d) = %q, want %.1f%% (Snapshot.Probs)", c, txt, want)
		}
	}

	press(m, "tab")
	g := ansi.Strip(cardOf[*overviewPanel](m).view())
	for _, want := range []string{"∂x", "∂C1", "∂C3", "∂C5", fmt.Sprintf("L %.3g for %d", s.Grads.Loss, s.Label)} {
		if !strings.Contains(g, want) {
			t.Errorf("gradient mode at 200×60 lacks %q:\n%s", want, g)
		}
	}
	press(m, "tab")
	if !strings.Contains(ansi.Strip(cardOf[*overviewPanel](m).view()), "Forward pass") {
		t.Error("tab twice does not return to the forward pass")
	}
}

// TestOverviewNoGradients: a snapshot without gradients (a run that did
// not ask) says so in the gradient mode.
func TestOverviewNoGradients(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	press(m, "o", "tab")
	if v := ansi.Strip(cardOf[*overviewPanel](m).view()); !strings.Contains(v, "no gradients") {
		t.Errorf("gradient mode without Snapshot.Grads:\n%s", v)
	}
}
