package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// "Back, to one weight" (b while inspecting): the weight under the
// inspected value — a convolution's kernel tap under the window's centre
// on the input map shown (tab), a subsampling map's coefficient, a dense
// unit's weight on its largest |x·w| input — with its gradient taken
// apart by the chain rule on the probe and on the trainer's last batch,
// beside the engine's backward value and a finite difference, and the
// step the run's optimiser takes with it. The trainer computes it between
// batches (engine.ExplainWeight → engine.WeightExplained); the view asks
// again for each new snapshot while it is open, so the weight is seen to
// move. Adam's bias-corrected moments m̂ and v̂ are written M and V: a
// combining circumflex takes no cell of its own, and terminals differ on
// where they draw it.

// weightAsk is what the view asked the trainer last and what came back.
type weightAsk struct {
	tensor  string
	index   []int
	pending bool                    // asked, no answer yet
	why     string                  // no weight to ask for, or nobody to ask: why
	ans     *engine.WeightExplained // the answer to the last ask; nil before it
}

// explainWeightMsg asks the model to send engine.ExplainWeight.
type explainWeightMsg struct {
	Tensor string
	Index  []int
}

// weightRef is the weight under the inspected value of block i, as a
// checkpoint tensor name and index, or why there is none.
func (p *mapsPanel) weightRef(b engine.BlockMaps, i int) (tensor string, index []int, why string) {
	in := p.insp
	if p.unitBlock(i) {
		un, err := p.snap.ExplainUnit(i, in.m)
		if err != nil {
			return "", nil, err.Error()
		}
		if un.RBF {
			return "", nil, fmt.Sprintf("%s's RBF units are fixed bitmaps: no weight of theirs learns", b.Name)
		}
		best := slices.MaxFunc(un.Terms, func(a, b engine.Product) int { return cmpAbs(a.Value, b.Value) })
		if b.Kind == "conv" { // kernels covering the whole input: (Cout, Cin, K, K)
			sh := b.In
			j := best.Input
			return engine.TensorName(b.Name, "weight"), []int{in.m, j / (sh.H * sh.W), j / sh.W % sh.H, j % sh.W}, ""
		}
		return engine.TensorName(b.Name, "weight"), []int{in.m, best.Input}, ""
	}
	switch {
	case b.Kind == "conv":
		px, err := p.snap.Explain(i, clamp(in.m, 0, b.Shape.C-1), clamp(in.y, 0, b.Shape.H-1), clamp(in.x, 0, b.Shape.W-1))
		if err != nil || len(px.Terms) == 0 {
			return "", nil, fmt.Sprintf("%s map %d reads no input map", b.Name, in.m)
		}
		t := px.Terms[(in.term%len(px.Terms)+len(px.Terms))%len(px.Terms)]
		k := b.KShape[2]
		return engine.TensorName(b.Name, "weight"), []int{px.Map, t.Map, k / 2, k / 2}, ""
	case b.Pool == engine.PoolSubsample:
		return engine.TensorName(b.Name, "coef"), []int{clamp(in.m, 0, b.Shape.C-1)}, ""
	}
	return "", nil, fmt.Sprintf("%s has no weights: %s pooling learns nothing", b.Name, b.Pool)
}

func cmpAbs(a, b float64) int {
	switch a, b := math.Abs(a), math.Abs(b); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// askWeight asks for the weight under the inspected value; the command it
// returns carries the ask to the model, which sends it to the trainer.
func (p *mapsPanel) askWeight() tea.Cmd {
	b, i, ok := p.block()
	if !ok {
		return nil
	}
	tensor, index, why := p.weightRef(b, i)
	a := &p.wask
	if why != "" {
		*a = weightAsk{why: why}
		p.touch()
		return nil
	}
	if a.tensor != tensor || !slices.Equal(a.index, index) {
		a.ans = nil // another weight: the last answer is not its
	}
	a.tensor, a.index, a.pending, a.why = tensor, index, true, ""
	p.touch()
	return func() tea.Msg { return explainWeightMsg{Tensor: tensor, Index: slices.Clone(index)} }
}

// unanswered says the ask could not be sent.
func (p *mapsPanel) unanswered(why string) {
	p.wask.pending, p.wask.why = false, why
	p.touch()
}

// weightAnswer keeps the trainer's answer to the last ask.
func (p *mapsPanel) weightAnswer(e engine.WeightExplained) {
	a := &p.wask
	if !p.insp.back || e.Tensor != a.tensor || !slices.Equal(e.Index, a.index) {
		return // an answer to an ask since replaced
	}
	a.ans, a.pending = &e, false
	p.touch()
}

// staleWeight reports whether the answer shown is older than the snapshot
// shown, with no ask under way: the view asks again.
func (p *mapsPanel) staleWeight() bool {
	a := p.wask
	return p.insp.on && p.insp.back && !a.pending && a.ans != nil && p.snap != nil && a.ans.Step < p.snap.Step
}

// agrees is the view's check of two values of one gradient: equal to tol
// relative (absolutely, near zero).
func agrees(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1e-6, math.Max(math.Abs(a), math.Abs(b)))
}

// fdTolerance is how near the finite difference (float64 throughout) must
// come to the chain rule's sum, whose δ the engine computes in float32:
// 1e-3 relative, or, when the net is nearly sure of the probe's label, what
// float32 leaves of 1 − p (δ at the output is p − 1 there, exact to about
// 2⁻²⁴/(1 − p)): a correct engine must not get a ✘ for its float32.
func fdTolerance(g engine.WeightGrad) float64 {
	tol := 1e-3
	if g.Images == 1 && g.Label >= 0 && g.Label < len(g.Probs) {
		if q := 1 - g.Probs[g.Label]; q > 0 {
			tol = math.Max(tol, 4*0x1p-24/q)
		}
	}
	return tol
}

// backwardView draws the answer: the weight, the probe's chain rule and its
// checks, the batch's, and the optimiser's step; what does not fit is
// shortened section by section, the step last.
func (p *mapsPanel) backwardView(iw, ih int) string {
	a := p.wask
	p.title = "Backward"
	say := func(s string) string { return p.st.Label.Render(strings.Join(wrap(s, iw), "\n")) }
	switch {
	case a.why != "":
		return say(a.why)
	case a.ans == nil:
		return say(fmt.Sprintf("asking the trainer for %s%s… it answers between batches", a.tensor, indexText(a.index)))
	case a.ans.Err != "":
		return say(a.ans.Err)
	}
	e := a.ans
	p.note = fmt.Sprintf("step %d", e.Step)
	head := p.st.Label.Render(draw.Pick(iw, fmt.Sprintf("%s%s = %s (%s)", e.Tensor, indexText(e.Index), signed(e.Probe.Value), e.Probe.Kind),
		fmt.Sprintf("%s%s = %s", e.Tensor, indexText(e.Index), signed(e.Probe.Value)),
		fmt.Sprintf("%s%s", e.Tensor, indexText(e.Index))))
	probe := p.gradSection(e.Probe, p.probeWords(e), "probe", iw)
	var batch section
	if e.Batch.Images > 0 {
		batch = p.gradSection(e.Batch, fmt.Sprintf("last batch, %d images", e.Batch.Images), fmt.Sprintf("batch of %d", e.Batch.Images), iw)
	} else {
		batch = section{brief: []string{p.st.Label.Render(draw.Pick(iw, "no batch trained yet: the step is the probe's", "no batch yet"))}}
	}
	step := p.stepSection(e.Next, e.Batch.Images > 0, iw)
	keys := p.st.Label.Render(draw.Pick(iw, "b arithmetic · ←↑↓→ [ ] tab weight · esc", "b · esc"))

	// Brief first; then, while they fit, the step, the probe and the batch
	// in full, each with as many of its terms as the room leaves.
	secs := []*section{&step, &probe, &batch}
	used := 1
	for _, s := range secs {
		used += len(s.brief)
	}
	if used < ih {
		used++ // the keys
	} else {
		keys = ""
	}
	for _, s := range secs {
		if extra := len(s.full) - len(s.brief); extra > 0 && used+extra <= ih {
			s.useFull, used = true, used+extra
		}
	}
	for _, s := range []*section{&probe, &batch} {
		if s.useFull {
			s.nterms = min(len(s.terms), ih-used, 4)
			used += s.nterms
		}
	}
	lines := []string{head}
	for _, s := range []*section{&probe, &batch, &step} {
		lines = append(lines, s.lines()...)
	}
	if keys != "" {
		lines = append(lines, keys)
	}
	return strings.Join(lines, "\n")
}

// section is a part of the view in brief and in full; a gradient's full
// form has its terms after its heading.
type section struct {
	brief, full []string
	terms       []string
	useFull     bool
	nterms      int
}

func (s section) lines() []string {
	if !s.useFull {
		return s.brief
	}
	out := append([]string{s.full[0]}, s.terms[:s.nterms]...)
	return append(out, s.full[1:]...)
}

// probeWords names the probe and the label its loss is taken at.
func (p *mapsPanel) probeWords(e *engine.WeightExplained) string {
	if e.Guessed {
		return fmt.Sprintf("your digit, as a %s", p.names.name(e.Probe.Label))
	}
	return fmt.Sprintf("probe #%d, a %s", e.ProbeIndex, p.names.name(e.Probe.Label))
}

// gradSection is one gradient: its heading, the largest δ·x terms, the
// chain rule's sum beside the engine's backward value and the finite
// difference, each marked ✓ when it agrees with the sum.
func (p *mapsPanel) gradSection(g engine.WeightGrad, what, short string, iw int) section {
	fdTol := fdTolerance(g)
	mark := func(v, tol float64) string {
		if agrees(g.Grad, v, tol) {
			return p.st.MetricGood.Render("✓")
		}
		return p.st.MetricBad.Render("✘")
	}
	// off is how far v is from the sum, said with a ✘ where there is room.
	off := func(v, tol float64) string {
		if agrees(g.Grad, v, tol) {
			return ""
		}
		return fmt.Sprintf(" (%.2g%% off)", 100*math.Abs(v-g.Grad)/math.Max(math.Abs(g.Grad), math.Abs(v)))
	}
	sum := fmt.Sprintf("Σ δ·x = %s", signed(g.Grad))
	checks := fmt.Sprintf("engine %s %s%s · finite diff %s %s%s", signed(g.Engine), mark(g.Engine, 1e-3), off(g.Engine, 1e-3), signed(g.FD), mark(g.FD, fdTol), off(g.FD, fdTol))
	midChecks := fmt.Sprintf("engine %s %s · FD %s %s", signed(g.Engine), mark(g.Engine, 1e-3), signed(g.FD), mark(g.FD, fdTol))
	briefChecks := fmt.Sprintf("engine %s · FD %s", mark(g.Engine, 1e-3), mark(g.FD, fdTol))
	s := section{
		brief: []string{draw.PickJoined(iw, " · ", []string{what + ": " + sum, checks}, []string{what + ": " + sum, briefChecks},
			[]string{short + ": " + sum, briefChecks}, []string{short + ": " + signed(g.Grad), briefChecks}, []string{signed(g.Grad), briefChecks})},
		full: []string{p.st.Label.Render(draw.Pick(iw, fmt.Sprintf("%s: Σ δ·x of %d, largest:", what, g.NTerms), fmt.Sprintf("%s, %d terms:", what, g.NTerms), what))},
	}
	if one := sum + " · " + checks; ansi.StringWidth(one) <= iw {
		s.full = append(s.full, one)
	} else {
		s.full = append(s.full, sum, draw.Pick(iw, checks, midChecks, briefChecks))
	}
	for _, t := range g.Terms {
		s.terms = append(s.terms, termText(g, t, iw))
	}
	return s
}

// termText is one product δ·x: where δ is taken (and in which image of a
// batch), δ, x and the product, shorter when iw is narrow.
func termText(g engine.WeightGrad, t engine.GradTerm, iw int) string {
	where := fmt.Sprintf("%d(%d,%d)", t.Map, t.Y, t.X)
	if g.Kind == "dense weight" || g.Kind == "dense bias" {
		where = fmt.Sprintf("unit %d", t.Map)
	}
	if g.Images > 1 {
		where = fmt.Sprintf("#%d %s", t.Image, where)
	}
	return draw.Pick(iw,
		fmt.Sprintf(" %-12s δ %8s × x %7s = %8s", where, fitNum(t.Delta, 8), fitNum(t.In, 7), fitNum(t.Product, 8)),
		fmt.Sprintf(" %-11s %8s×%7s=%8s", where, fitNum(t.Delta, 8), fitNum(t.In, 7), fitNum(t.Product, 8)),
		fmt.Sprintf(" %-11s %8s", where, fitNum(t.Product, 8)))
}

// stepSection is the optimiser's step for the weight: the rate, the
// optimiser's state and its formulas with the numbers, the step and the
// new value.
func (p *mapsPanel) stepSection(o engine.OptimizerStep, batch bool, iw int) section {
	g := "batch g"
	if !batch {
		g = "probe g"
	}
	rate := fmt.Sprintf("%s step %d, lr %s", o.Optimizer, o.T, signed(o.LR))
	if o.Over {
		rate += " (run over)"
	}
	move := fmt.Sprintf("w %s → %s (%s)", signed(o.Value), signed(o.New), signed(o.Step))
	var full []string
	full = append(full, p.st.Label.Render(draw.Pick(iw, fmt.Sprintf("%s, with the %s", rate, g), fmt.Sprintf("%s, %s", rate, g), rate)))
	if o.Decay > 0 {
		full = append(full, draw.Pick(iw, fmt.Sprintf("decay: w × (1 − lr·%s) first", signed(o.Decay)), "decay first"))
	}
	brief := rate
	switch o.Optimizer {
	case engine.Adam:
		full = append(full,
			draw.Pick(iw, fmt.Sprintf("m = %s·%s + %s·g = %s", signed(o.Beta1), paren(o.M), signed(1-o.Beta1), signed(o.NewM)),
				fmt.Sprintf("m = %s·m + %s·g = %s", signed(o.Beta1), signed(1-o.Beta1), signed(o.NewM)), fmt.Sprintf("m = %s", signed(o.NewM))),
			draw.Pick(iw, fmt.Sprintf("v = %s·%s + %s·g² = %s", signed(o.Beta2), paren(o.V), signed(1-o.Beta2), signed(o.NewV)),
				fmt.Sprintf("v = %s·v + %s·g² = %s", signed(o.Beta2), signed(1-o.Beta2), signed(o.NewV)), fmt.Sprintf("v = %s", signed(o.NewV))),
			draw.Pick(iw, fmt.Sprintf("M = m/(1−%s^%d) = %s", signed(o.Beta1), o.T, signed(o.MHat)), fmt.Sprintf("M = %s", signed(o.MHat))),
			draw.Pick(iw, fmt.Sprintf("V = v/(1−%s^%d) = %s", signed(o.Beta2), o.T, signed(o.VHat)), fmt.Sprintf("V = %s", signed(o.VHat))),
			draw.Pick(iw, fmt.Sprintf("step = −lr·M/(√V + ε) = %s", signed(o.Step)), fmt.Sprintf("step −lr·M/(√V+ε) = %s", signed(o.Step)), fmt.Sprintf("step = %s", signed(o.Step))),
		)
		brief = draw.PickJoined(iw, " ", []string{rate, fmt.Sprintf("M %s V %s", signed(o.MHat), signed(o.VHat))}, []string{rate})
	case engine.Momentum:
		full = append(full,
			draw.Pick(iw, fmt.Sprintf("v = %s·%s + g = %s", signed(o.Mu), paren(o.V), signed(o.NewV)), fmt.Sprintf("v = %s", signed(o.NewV))),
			draw.Pick(iw, fmt.Sprintf("step = −lr·v = %s", signed(o.Step)), fmt.Sprintf("step = %s", signed(o.Step))))
	default:
		full = append(full, draw.Pick(iw, fmt.Sprintf("step = −lr·g = %s", signed(o.Step)), fmt.Sprintf("step = %s", signed(o.Step))))
	}
	full = append(full, draw.Pick(iw, fmt.Sprintf("w %s → %s", signed(o.Value), signed(o.New)), fmt.Sprintf("w → %s", signed(o.New))))
	return section{brief: []string{p.st.Label.Render(brief), draw.Pick(iw, move, fmt.Sprintf("w → %s", signed(o.New)))}, full: full, useFull: false}
}

// indexText is "[2,1,2,2]".
func indexText(index []int) string {
	s := make([]string, len(index))
	for i, v := range index {
		s[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(s, ",") + "]"
}

// paren is a factor of a product: a negative one in parentheses.
func paren(v float64) string {
	if v < 0 {
		return "(" + signed(v) + ")"
	}
	return signed(v)
}
