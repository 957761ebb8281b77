package tui

import (
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// augmentPanel shows what the augment setting does to a digit: random
// distortions of the probe, a row for affine and a row for elastic, which
// the trainer draws as the batcher draws them for the training images and
// sends with each snapshot (Snapshot.Distorted); the run's own kind is
// marked. The draws change with each snapshot, as every batch gets new
// ones.
type augmentPanel struct {
	frame
	kinds []augmentKind
	inUse engine.Augment
	lastSnapshot
}

// augmentKind is one row of the panel.
type augmentKind struct {
	name  engine.Augment
	about string
}

// minAugmentRows is the fewest cell rows (28 pixels in 4 rows is still a
// digit) a row of digits gets; a lower panel shows one kind.
const minAugmentRows = 4

func newAugmentPanel(st styles) *augmentPanel {
	return &augmentPanel{frame: newFrame(st, "Augmented probe"), kinds: []augmentKind{
		{engine.AugmentAffine, "±12°, ±10%, shear ±0.15, ±2.5 px"},
		{engine.AugmentElastic, "Simard 2003: α 34, σ 4"},
	}}
}

func (p *augmentPanel) reset(info engine.RunInfo) {
	p.inUse, p.snap = info.Augment, nil
	p.touch()
}

func (p *augmentPanel) update(ev engine.Event) {
	if p.take(ev) {
		p.touch()
	}
}

func (p *augmentPanel) view() string { return p.draw(p.body) }

// body is, per kind, a label line over a row of as many distortions of
// the probe as fit (up to engine.ProbeDraws), at least three (the probe itself is beside, in its own
// panel).
func (p *augmentPanel) body(iw, ih int) string {
	p.note = "this run: " + p.inUse.String()
	if p.snap == nil {
		return p.st.Label.Render("waiting for a snapshot…")
	}
	in := p.snap.Input
	h, w := inputShape(len(in))
	kinds := p.kinds
	if (ih-len(kinds))/len(kinds) < minAugmentRows {
		// Too low for a row of each: the run's kind only (affine for none).
		kinds = kinds[:1]
		for _, k := range p.kinds {
			if k.name == p.inUse {
				kinds = []augmentKind{k}
			}
		}
	}
	rowH := (ih - len(kinds)) / len(kinds) // cells per digit row, each two pixels tall
	if h <= 1 || rowH < 2 {
		return p.st.Label.Render("too small for the digits")
	}
	cw := min(iw, int(math.Round(float64(2*rowH*w)/float64(h))), (iw+1)/3-1)
	rh := max(1, int(math.Ceil(float64(cw*h)/float64(2*w))))
	count := max(1, (iw+1)/(cw+1))
	lo, hi := draw.MinMax(in)
	var lines []string
	for _, k := range kinds {
		label := p.st.Value.Render(k.name.String())
		if k.name == p.inUse {
			label = p.st.MetricGood.Render("● " + k.name.String())
		}
		lines = append(lines, label+" "+p.st.Label.Render(k.about))
		imgs := p.distorted(k.name)
		digits := make([][]string, min(count, len(imgs)))
		for i := range digits {
			digits[i] = p.st.heat.Render(imgs[i], h, w, cw, rh, lo, hi)
		}
		for r := range rh {
			cells := make([]string, len(digits))
			for i, d := range digits {
				cells[i] = d[r]
			}
			lines = append(lines, strings.Join(cells, " "))
		}
	}
	return strings.Join(lines, "\n")
}

// distorted is the snapshot's distortions of the probe under kind.
func (p *augmentPanel) distorted(kind engine.Augment) [][]float32 {
	for _, d := range p.snap.Distorted {
		if d.Kind == kind {
			return d.Images
		}
	}
	return nil
}
