package analysis

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
)

// Health judges a run while it trains, from what every view already
// receives: the batch losses and accuracies (engine.Progress), the hidden
// activation and its switches, and the gradient flow (engine.Flow). Its
// Verdict names one cause with the numbers behind it; the views word the
// advice.
//
// The verdicts and their thresholds were read off real runs of lenet5 on
// MNIST (each is tested on such a run in health_test.go):
//
//   - Plateau: sigmoid at Adam 0.001 spends its first third of an epoch at
//     loss ≈ ln 10 and 10% accuracy with few units saturated, while dL/da
//     at S2 is about 20,000 times smaller than at OUTPUT (the vanishing
//     gradient); it leaves the plateau unaided, or at once on ReLU.
//   - Dead: ReLU at Adam 0.5 switches off every map of C3, S4 and F6 in
//     its first 20 batches; no gradient then passes below them. (A map is
//     dead when it is 0 at every position of every image; silent
//     positions alone, such as C1's border in a healthy net, are not.)
//   - Saturated: sigmoid at Adam 1 pins C3, C5 and F6 at 0 or 1.
//   - Diverging: tanh at Adam 1 learns to 66%, then its loss climbs past
//     ln 10 to 5.6 as its units saturate.
//   - Switched: relu trained 1.9 epochs then switched to sigmoid falls
//     from 98% to 11% accuracy within 200 batches.
type Health struct {
	classes int
	act     engine.Activation

	loss, acc float64 // moving averages over about the last 50 batches
	lowest    float64 // the lowest loss average since the last change
	batches   int     // batches since the start or the last change
	flow      []engine.LayerFlow
	flowStep  int
	epoch     float64 // epochs trained at the last Progress (Event)

	// the last switch of activation, while its effect is news
	switched    bool
	from        engine.Activation
	switchEpoch float64
	accBefore   float64
}

// Kind is what a verdict says of a run.
type Kind int

// The kinds of verdict, in the order they are looked for.
const (
	// Fine: nothing to say (learning, or too early to tell).
	Fine Kind = iota
	// Switched: accuracy fell by far since the hidden activation was
	// switched: the weights were learnt under the other one.
	Switched
	// Diverging: the loss has climbed well above chance after being lower.
	Diverging
	// Dead: not learning, and most maps of a ReLU layer output 0 at every
	// position of every image of a batch.
	Dead
	// Saturated: not learning, and most units of a squashing layer sit where
	// its derivative vanishes.
	Saturated
	// Plateau: not learning, few units saturated, and dL/da shrinking by
	// orders of magnitude on its way back to the first layers: the
	// vanishing gradient of a squashing activation.
	Plateau
	// Stuck: not learning, for none of the causes above (or without flow
	// data to tell).
	Stuck
)

// Verdict is Health's judgement with its numbers.
type Verdict struct {
	Kind       Kind
	Activation engine.Activation // the hidden activation now
	Loss, Acc  float64           // the moving averages judged
	Lowest     float64           // the lowest loss average since the last change
	Chance     float64           // ln K: the loss of a uniform guess over K classes
	Batches    int               // batches since the start or the last change
	// Layer is the layer the numbers point at: the most dead or saturated
	// (Dead, Saturated), the one nearest the input with an input gradient
	// (Plateau).
	Layer string
	Share float64 // Dead: the fraction of Layer's maps; Saturated: of its units
	// DeadMaps of Layer's Maps are dead (Dead).
	DeadMaps, Maps int
	// Fall is how many times smaller the RMS of dL/da is at Layer than at
	// the output layer (Plateau, and Switched when it is on a plateau).
	Fall float64
	// Switched: the activation before, the epoch of the switch and the
	// accuracy just before it.
	From      engine.Activation
	Epoch     float64
	AccBefore float64
}

const (
	healthAlpha   = 0.04 // weight of a new batch in the moving averages
	judgeAfter    = 150  // batches after a change before a run may be called stuck
	switchAfter   = 50   // batches after a switch before its effect is judged
	mostUnits     = 0.5  // "most" maps of a layer for Dead, units for Saturated
	vanishingFall = 100  // dL/da this many times smaller: a vanishing gradient
	climb         = 1.0  // a loss this far above its lowest, and above chance: diverging
)

// Event takes what ev tells of the run: a Progress's batches, a Flow, a
// switch of activation (ActivationChanged, at the epoch the last Progress
// reached) or of the rate (LRChanged); other events tell it nothing. A view
// feeds it every event of its run.
func (h *Health) Event(ev engine.Event) {
	switch e := ev.(type) {
	case engine.Progress:
		h.Progress(e)
		if e.Batches > 0 {
			h.epoch = float64(e.Step) / float64(e.Batches)
		}
	case engine.Flow:
		h.Flow(e)
	case engine.ActivationChanged:
		h.Switch(e.Activation, h.epoch)
	case engine.LRChanged:
		h.Changed()
	}
}

// NewHealth judges a run with classes classes under activation act.
func NewHealth(classes int, act engine.Activation) *Health {
	return &Health{classes: classes, act: act}
}

// Progress takes the losses and accuracies of the batches p covers.
func (h *Health) Progress(p engine.Progress) {
	for i, l := range p.Losses {
		a := math.NaN()
		if i < len(p.Accs) {
			a = p.Accs[i]
		}
		if h.batches == 0 {
			h.loss, h.acc, h.lowest = l, a, l
		}
		h.loss += healthAlpha * (l - h.loss)
		h.acc += healthAlpha * (a - h.acc)
		h.lowest = min(h.lowest, h.loss)
		h.batches++
	}
}

// Flow takes the latest gradient flow; Health keeps a copy.
func (h *Health) Flow(f engine.Flow) {
	h.flow = append(h.flow[:0], f.Layers...)
	h.flowStep = f.Step
}

// Switch records a switch of the hidden activation to act at epoch: the
// averages start over, and the accuracy before is kept to judge the switch
// by.
func (h *Health) Switch(act engine.Activation, epoch float64) {
	if act == h.act {
		return
	}
	h.switched, h.from, h.switchEpoch, h.accBefore = true, h.act, epoch, h.acc
	h.act = act
	h.restart()
}

// Changed starts the averages over after another change of settings (the
// learning rate), forgetting any switch.
func (h *Health) Changed() {
	h.switched = false
	h.restart()
}

func (h *Health) restart() {
	h.batches, h.loss, h.acc, h.lowest = 0, 0, 0, 0
	h.flow = h.flow[:0]
}

// Verdict judges the run as it stands.
func (h *Health) Verdict() Verdict {
	v := Verdict{Activation: h.act, Loss: h.loss, Acc: h.acc, Lowest: h.lowest, Chance: math.Log(float64(max(h.classes, 2))), Batches: h.batches}
	if h.switched {
		v.From, v.Epoch, v.AccBefore = h.from, h.switchEpoch, h.accBefore
	}
	switch {
	case h.batches < switchAfter:
		return v
	case h.switched && h.accBefore-h.acc > 0.3:
		v.Kind = Switched
		v.Layer, v.Fall = h.vanishing()
	case h.loss > v.Chance && h.loss > h.lowest+climb:
		v.Kind = Diverging
	case h.batches < judgeAfter || !h.notLearning(v.Chance):
		return v
	default:
		v.Kind, v.Layer, v.Share, v.Fall = h.cause()
		if v.Kind == Dead {
			for _, f := range h.flow {
				if f.Name == v.Layer {
					v.DeadMaps, v.Maps = f.DeadMapCount, f.Maps
				}
			}
		}
	}
	return v
}

// notLearning is an accuracy under 1.5 times one class's share with a loss
// no better than a uniform guess: every input gets about the same answer.
func (h *Health) notLearning(chance float64) bool {
	return h.acc < 1.5/float64(max(h.classes, 2)) && h.loss > chance-0.1
}

// cause tells why a run that is not learning is stuck, from the flow.
func (h *Health) cause() (k Kind, layer string, share, fall float64) {
	if len(h.flow) == 0 {
		return Stuck, "", 0, 0
	}
	if l, s := h.most(func(f engine.LayerFlow) float64 { return f.DeadMaps }); s >= mostUnits {
		return Dead, l, s, 0
	}
	if l, s := h.most(func(f engine.LayerFlow) float64 { return f.Saturated }); s >= mostUnits {
		return Saturated, l, s, 0
	}
	if squashing(h.act) {
		if l, f := h.vanishing(); f >= vanishingFall {
			return Plateau, l, 0, f
		}
	}
	return Stuck, "", 0, 0
}

// most is the layer with the largest share by of its units, NaN shares
// (a layer the measure does not apply to) left out.
func (h *Health) most(by func(engine.LayerFlow) float64) (string, float64) {
	name, best := "", 0.0
	for _, f := range h.flow {
		if s := by(f); s > best {
			name, best = f.Name, s
		}
	}
	return name, best
}

// vanishing is how many times smaller the RMS of dL/da is at the layer
// nearest the input that has one than at the output layer (0 when the
// flow cannot tell).
func (h *Health) vanishing() (string, float64) {
	if len(h.flow) < 2 {
		return "", 0
	}
	out := h.flow[len(h.flow)-1].InputGradRMS
	for _, f := range h.flow[:len(h.flow)-1] {
		if g := f.InputGradRMS; g > 0 && !math.IsInf(g, 0) && out > 0 && !math.IsInf(out, 0) {
			return f.Name, out / g
		}
	}
	return "", 0
}

// squashing reports an activation with flat tails, whose derivative
// vanishes for large inputs.
func squashing(a engine.Activation) bool {
	return a == engine.Sigmoid || a == engine.Tanh || a == engine.ScaledTanh
}
