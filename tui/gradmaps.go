package tui

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// The overview's gradient mode (tab): the probe's pass taken backwards
// (engine.Gradients, sent with each Snapshot). Under the input its dL/dx —
// which pixels would change the loss — and under the maps of every
// convolution and dense layer (the pooling layers too when the body is
// tall) their dL/da, on the diverging scale centred on zero, one range
// per layer (±its largest |gradient|). Then the classes with the logits'
// gradient (softmax − target) and the loss it all comes from.

// minPoolGradLines is the fewest body lines at which the gradient mode
// also shows the pooling layers' gradients.
const minPoolGradLines = 30

// backward is the gradient mode's bands and last lines.
func (p *overviewPanel) backward(s *engine.Snapshot, iw, ih int) ([]ovSection, []string) {
	g := s.Grads
	h, w := inputShape(len(s.Input))
	in := ovSection{name: "input", thumbs: []ovThumb{p.heatThumb(s.Input, h, w)},
		under: []ovThumb{p.divThumb(g.Input, h, w)}, underName: "∂x"}
	secs := []ovSection{in}
	for i, b := range s.Blocks[:max(0, len(s.Blocks)-1)] {
		if b.Kind == "pool" && ih < minPoolGradLines || i >= len(g.Blocks) || len(g.Blocks[i]) != len(b.Maps) {
			continue
		}
		a := maxAbs(g.Blocks[i])
		secs = append(secs, ovSection{name: b.Name, note: shapeNote(b.Shape), thumbs: p.heatThumbs(b),
			under: splitThumbs(g.Blocks[i], b.Shape, p.st.div, -a, a), underName: "∂" + b.Name})
	}
	last := g.Blocks[len(g.Blocks)-1]
	a := maxAbs(last)
	out := p.classLines(s, iw, []ovClassRow{
		{label: "∂z", cell: func(c, cw int) string { return p.st.div.Render(last[c:c+1], 1, 1, cw, 1, -a, a)[0] }},
		{label: "p", cell: func(c, cw int) string { return draw.PadLeft(probText(s.Probs[c], cw), cw) }},
	})
	out = append(out, p.lossLine(g, iw))
	return secs, out
}

// divThumb is an h×w map of gradients on the diverging scale, ±its
// largest |value|.
func (p *overviewPanel) divThumb(v []float32, h, w int) ovThumb {
	a := maxAbs(v)
	return ovThumb{vals: v, h: h, w: w, pal: p.st.div, lo: -a, hi: a}
}

// lossLine says what the gradients are of, and reads the scale.
func (p *overviewPanel) lossLine(g *engine.Gradients, iw int) string {
	strip := p.st.div.Strip(7)
	return p.names.fit(iw, func(name func(int) string) string {
		loss := p.st.Value.Render(fmt.Sprintf("L %.3g for %s", g.Loss, name(g.Class)))
		return draw.PickJoined(iw, " ",
			[]string{loss, p.st.Label.Render("∂L:"), "−" + strip + "+", p.st.Label.Render("raise the blue to lower L")},
			[]string{loss, "−" + strip + "+"},
			[]string{p.st.Value.Render(fmt.Sprintf("L %.3g", g.Loss))},
		)
	})
}
