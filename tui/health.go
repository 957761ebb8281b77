package tui

import (
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/analysis"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// health is the header's verdict on the run: analysis.Health judges it
// from the events, and verdictLine words the verdict in keys, on one line.
type health struct{ judge *analysis.Health }

func newHealth(info engine.RunInfo) health {
	classes := 10
	if n := len(info.Layers); n > 0 {
		classes = info.Layers[n-1].Out.Size()
	}
	return health{judge: analysis.NewHealth(classes, info.Activation)}
}

func (h *health) update(ev engine.Event) {
	if h.judge != nil {
		h.judge.Event(ev)
	}
}

// verdict is the run's verdict, Fine before the run has started.
func (h *health) verdict() analysis.Verdict {
	if h.judge == nil {
		return analysis.Verdict{}
	}
	return h.judge.Verdict()
}

// verdictLine words v in keys, in w cells: the longest wording that fits.
// It is "" when there is nothing to say.
func verdictLine(v analysis.Verdict, w int) string {
	return draw.Pick(w, verdictWordings(v)...)
}

// verdictWordings are v's wordings, longest first. Each says the cause in
// the numbers behind it, then what to do; the advice is what
// analysis.TestVerdictsOnRealRuns takes on a run that gets the verdict.
func verdictWordings(v analysis.Verdict) []string {
	pct := func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }
	lnK := fmt.Sprintf("ln %d", int(math.Round(math.Exp(v.Chance)))) // the loss of a uniform guess
	switch v.Kind {
	case analysis.Plateau:
		fall := times(v.Fall)
		return []string{
			fmt.Sprintf("On %s's plateau: loss %.2f ≈ %s and dL/da is %s× smaller at %s than at the output (the vanishing gradient). Wait and watch it in g, or press a for ReLU.", v.Activation, v.Loss, lnK, fall, v.Layer),
			fmt.Sprintf("On %s's plateau: dL/da %s× smaller at %s than at the output (vanishing gradient) · g shows it · a: ReLU", v.Activation, fall, v.Layer),
			fmt.Sprintf("On the plateau: dL/da %s× smaller at %s (vanishing gradient) · g · a: ReLU", fall, v.Layer),
			fmt.Sprintf("Plateau: dL/da %s× smaller at %s · g · a: ReLU", fall, v.Layer),
			"Plateau (vanishing gradient) · g · a: ReLU",
		}
	case analysis.Dead:
		maps := fmt.Sprintf("%d of %s's %d maps", v.DeadMaps, v.Layer, v.Maps)
		return []string{
			fmt.Sprintf("Dead maps: %s output 0 at every position of every image, so no gradient passes below them. A smaller rate keeps them alive: − lowers it, then r restarts.", maps),
			fmt.Sprintf("Dead maps: %s output 0 everywhere on every image · − lowers the rate, then r restarts", maps),
			fmt.Sprintf("%d/%d maps of %s dead · − then r", v.DeadMaps, v.Maps, v.Layer),
		}
	case analysis.Saturated:
		return []string{
			fmt.Sprintf("Saturated: %s of %s's units sit where %s is flat, so their gradient vanishes. A smaller rate keeps them in range: − lowers it, then r restarts.", pct(v.Share), v.Layer, v.Activation),
			fmt.Sprintf("Saturated: %s of %s where %s is flat · − lowers the rate, then r restarts", pct(v.Share), v.Layer, v.Activation),
			fmt.Sprintf("%s of %s saturated · − then r", pct(v.Share), v.Layer),
		}
	case analysis.Diverging:
		return []string{
			fmt.Sprintf("Diverging: the loss climbed from %.2f to %.2f, above %s = %.2f, a uniform guess. The rate is too large: − lowers it.", v.Lowest, v.Loss, lnK, v.Chance),
			fmt.Sprintf("Diverging: loss %.2f → %.2f, above %s · − lowers the rate", v.Lowest, v.Loss, lnK),
			fmt.Sprintf("Diverging: loss %.2f → %.2f · −", v.Lowest, v.Loss),
		}
	case analysis.Switched:
		fell := fmt.Sprintf("%s → %s", pct(v.AccBefore), pct(v.Acc))
		plateau := ""
		if v.Fall >= 100 && v.Activation != engine.ReLU {
			plateau = fmt.Sprintf("; dL/da is now %s× smaller at %s than at the output", times(v.Fall), v.Layer)
		}
		return []string{
			fmt.Sprintf("Accuracy %s since the switch to %s at epoch %.2f: the weights were learnt under %s%s. a switches back.", fell, v.Activation, v.Epoch, v.From, plateau),
			fmt.Sprintf("Accuracy %s since the switch to %s: the weights were learnt under %s · a switches back", fell, v.Activation, v.From),
			fmt.Sprintf("%s since %s → %s · a switches back", fell, v.From, v.Activation),
		}
	case analysis.Stuck:
		return []string{
			fmt.Sprintf("Not learning: accuracy %s is about one class's share, so every digit gets the same answer, and the loss %.2f is no better than %s = %.2f, a uniform guess. r restarts.", pct(v.Acc), v.Loss, lnK, v.Chance),
			fmt.Sprintf("Not learning: accuracy %s, loss %.2f ≈ %s: every digit gets the same answer · r restarts", pct(v.Acc), v.Loss, lnK),
			fmt.Sprintf("Not learning (acc %s, loss %.2f) · r", pct(v.Acc), v.Loss),
		}
	}
	return []string{""}
}

// times writes a factor to two significant figures: 19,583 → "20,000",
// 3,140 → "3,100", 87 → "87".
func times(f float64) string {
	if !(f >= 1) || math.IsInf(f, 0) {
		return fmt.Sprintf("%.2g", f)
	}
	p := math.Pow(10, math.Floor(math.Log10(f))-1)
	return engine.Thousands(int(math.Round(f/p) * p))
}
