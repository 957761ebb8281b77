package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// tourStep is one stop of the tour: what it says, the setup it needs and
// what the student does there. The steps are data (tourSteps); each
// step's claims are checked by a test on a real run (tour_test.go).
type tourStep struct {
	title  string
	text   string // a few sentences, wrapped to the panel's width
	action string // what to do now
	setup  tourSetup
}

// tourSetup is what a step needs on screen. A run is started only when the
// one on screen does not match (so the run a student trains goes on from
// step to step); the view, layer, pause and pace are set on entering.
type tourSetup struct {
	run    *RunRequest // nil: any run; else one of this architecture, activation and initialisation
	view   tourView
	layer  string    // the layer to select; "" leaves it
	paused tourPause // leave, pause or let it train
	pace   tourPace
}

// tourView is the view a step shows in the maps' place.
type tourView int

const (
	viewMaps tourView = iota
	viewInspect
	viewKernels
	viewFlow
	viewConfusion
	viewDraw
	viewEmbedding
)

type tourPause int

const (
	leaveRunning tourPause = iota
	pauseIt
	trainIt
)

type tourPace int

const (
	leavePace tourPace = iota
	paceFull
	paceSlow
)

// The runs the tour asks for: LeNet-5 as the program trains it by default,
// the same on sigmoid, and the 2017 note's TensorFlow program on ReLU with
// its σ = 1 weights, then with He's.
var (
	tourLeNet   = &RunRequest{Arch: "lenet5", Activation: engine.ReLU}
	tourSigmoid = &RunRequest{Arch: "lenet5", Activation: engine.Sigmoid}
	tourNote    = &RunRequest{Arch: "seed-code", Activation: engine.ReLU}
	tourHe      = &RunRequest{Arch: "seed-code", Activation: engine.ReLU, Init: engine.InitHe}
)

// tourSteps is the tour, in the order a student meets LeNet-5 and the
// note's story.
var tourSteps = []tourStep{{
	title: "The input",
	text: "The probe (right) is one 28×28 test digit, bytes 0–255. The net sees each pixel as (p/255 − 0.1307)/0.3081, " +
		"MNIST's own mean and spread: the background is −0.42 and full ink +2.82. The maps below are what C1 makes of it.",
	action: "n / p: another digit",
	setup:  tourSetup{run: tourLeNet, view: viewMaps, layer: "C1", paused: pauseIt},
}, {
	title: "C1: kernels that slide",
	text: "Each of C1's 6 maps is one 5×5 kernel slid over the digit. A value is 25 pixels × 25 weights, summed, plus a bias, " +
		"through the activation: 6×(5×5+1) = 156 parameters, used at 28×28 places. Inspect takes one value apart, its window lit on the probe.",
	action: "[ ]: another map",
	setup:  tourSetup{run: tourLeNet, view: viewInspect, layer: "C1"},
}, {
	title: "S2: subsampling, trained",
	text: "S2 halves each map: it sums every 2×2 field, multiplies by one trained coefficient, adds a bias and applies the activation — " +
		"the paper's subsampling, 6×(1+1) = 12 parameters. The net trains now, slowed: watch the coefficients move.",
	action: "space: pause · w: pace",
	setup:  tourSetup{run: tourLeNet, view: viewKernels, layer: "S2", paused: trainIt, pace: paceSlow},
}, {
	title: "C3: a partial table",
	text: "C3 makes 16 maps from S2's 6, but each sees only 3, 4 or 6 of them: the paper's table keeps 60 of the 96 links, " +
		"1,516 parameters instead of 2,416, and makes the maps differ. The view draws the table and the kernels it keeps.",
	action: "space: pause or train",
	setup:  tourSetup{run: tourLeNet, view: viewKernels, layer: "C3"},
}, {
	title: "C5, F6 and the output",
	text: "C5's 120 units each see all 16×5×5 = 400 values of S4, F6 has 84 units and OUTPUT 10 logits z. Softmax makes them " +
		"probabilities, p = e^z / Σ e^z, and the probe panel lists the top three; training lowers −log p of the true digit.",
	action: "n / p: another digit",
	setup:  tourSetup{run: tourLeNet, view: viewMaps, layer: "OUTPUT", pace: paceFull},
}, {
	title: "Sigmoid's plateau",
	text: "A fresh net on sigmoid. For a while the loss sits near ln 10 = 2.30 and accuracy near 10%: every digit gets about " +
		"the same answer. The flow view shows why: dL/da shrinks thousands of times on its way back to C1, so the first layers " +
		"hardly learn. The header's verdict line says when it is so.",
	action: "a: switch to ReLU and watch it leave the plateau",
	setup:  tourSetup{run: tourSigmoid, view: viewFlow, paused: trainIt, pace: paceFull},
}, {
	title: "The note's NaN",
	text: "The 2017 study note this tool grew from switched its TensorFlow net to ReLU and saw accuracy stay under 9%. " +
		"Its weights were drawn with σ = 1: through ReLU the activations grow layer by layer until softmax rounds a " +
		"probability to 0 and the loss takes log 0, NaN in the first batch.",
	action: "→: the same net with He's initialisation",
	setup:  tourSetup{run: tourNote, view: viewMaps, paused: trainIt, pace: paceFull},
}, {
	title: "He initialisation",
	text: "The same net, its weights drawn with He's σ = √(2/fan-in): every layer keeps its activations' scale, the loss " +
		"stays finite and the net learns. The note's trouble was the initialisation, not ReLU.",
	action: "watch the accuracy climb",
	setup:  tourSetup{run: tourHe, view: viewMaps, paused: trainIt, pace: paceFull},
}, {
	title: "Where it goes wrong",
	text: "Back to LeNet-5, training. Rows are the true digit, columns the net's answer; the diagonal is right. Off it, the " +
		"largest counts are the pairs it mixes up, and the card names the worst. It fills at each quarter epoch.",
	action: "enter: the digits behind the worst pair",
	setup:  tourSetup{run: tourLeNet, view: viewConfusion, paused: trainIt, pace: paceFull},
}, {
	title: "Your own digit",
	text: "Draw a digit with the mouse. It is prepared as MNIST's were — cropped, fitted into 20×20, centred by mass — " +
		"and the net reads it as you draw: the probe panel gives its answer.",
	action: "x: clear the canvas and draw again",
	setup:  tourSetup{run: tourLeNet, view: viewDraw},
}, {
	title: "What F6 has learned",
	text: "F6 gives 84 numbers per digit. This view squeezes them to 2-D by PCA for the first 1,000 test digits: the digits the " +
		"net tells apart lie apart, and the ones it confuses overlap. That is the end of the tour; the run goes on.",
	action: "esc: leave the tour, keeping the run",
	setup:  tourSetup{run: tourLeNet, view: viewEmbedding},
}}

// tourPanel is the tour's text: a fixed region over the panels while the
// tour is open, so that going from step to step never moves them.
type tourPanel struct {
	frame
	step int
}

func newTourPanel(st styles) tourPanel { return tourPanel{frame: newFrame(st, "Tour")} }

func (p *tourPanel) setStep(i int) {
	p.step = i
	p.touch()
}

func (p *tourPanel) view() string { return p.draw(p.body) }

// body is the step's title, its text wrapped to the width, and its action
// on the last line, with the tour's own keys.
func (p *tourPanel) body(iw, ih int) string {
	s := tourSteps[p.step]
	p.title = fmt.Sprintf("Tour %d/%d · %s", p.step+1, len(tourSteps), s.title)
	keys := "→ next · ← back · esc leave"
	switch {
	case p.step == 0:
		keys = "→ next · esc leave"
	case p.step == len(tourSteps)-1:
		keys = "← back · esc leave"
	}
	p.note = keys
	text := draw.SplitLines(ansi.Wordwrap(s.text, iw, ""))
	if len(text) > ih-1 {
		text = text[:max(0, ih-1)]
	}
	lines := make([]string, 0, ih)
	for _, l := range text {
		lines = append(lines, p.st.Value.Render(l))
	}
	for len(lines) < ih-1 {
		lines = append(lines, "")
	}
	lines = append(lines, p.st.MetricGood.Render(draw.Truncate("▶ "+s.action, iw)))
	return strings.Join(lines, "\n")
}
