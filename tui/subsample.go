package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// coefView shows a subsampling layer's trained coefficient and bias per
// map (k on S2 or S4), how far each moved since the run's first snapshot,
// and what the pair makes of the window, as the 2017 note reads it: a
// small coefficient keeps f nearly linear, a blur; a large one makes a
// noisy OR or AND of the window, depending on the bias.
func (p *mapsPanel) coefView(i, iw, ih int) string {
	b := p.snap.Blocks[i]
	start := b
	if p.first != nil && i < len(p.first.Blocks) && len(p.first.Blocks[i].Coef) == len(b.Coef) {
		start = p.first.Blocks[i]
	}
	act := string(b.Activation)
	if act == "" {
		act = "·"
	}
	since := 0
	if p.first != nil {
		since = p.first.Step
	}
	lines := []string{
		p.st.Label.Render(draw.PickJoined(iw, "; ", []string{b.Name + " " + fmt.Sprintf("y = %s(c·Σ%d×%d + b)", act, b.Size, b.Size), fmt.Sprintf("Δ since step %d", since)},
			[]string{b.Name + " " + fmt.Sprintf("y = %s(c·Σ%d×%d + b)", act, b.Size, b.Size)})),
		p.st.Label.Render("map   coef      Δ   bias      Δ reading"),
	}
	notes := p.readingNotes(iw)
	if !strings.Contains(lines[0], "Δ since") {
		notes = append(notes, p.st.Label.Render(fmt.Sprintf("Δ: the change since step %d", since)))
	}
	rows := ih - len(lines) - len(notes)
	for m := range b.Coef {
		if m >= rows-1 && m < len(b.Coef)-1 {
			lines = append(lines, p.st.Label.Render(fmt.Sprintf("… maps %d–%d below", m, len(b.Coef)-1)))
			break
		}
		c, bias := float64(b.Coef[m]), float64(b.Bias[m])
		r, _ := p.snap.Reading(i, m)
		lines = append(lines, fmt.Sprintf("%3d %6s %6s %6s %6s %s", m, fixed(c), delta(c-float64(start.Coef[m])),
			fixed(bias), delta(bias-float64(start.Bias[m])), readingText(r)))
	}
	return strings.Join(append(lines, notes...), "\n")
}

// readingNotes explain the readings, after the 2017 note, in the lines
// the width allows.
func (p *mapsPanel) readingNotes(iw int) []string {
	notes := []string{"blur: c small, f ≈ linear (the note's blur)", "OR, AND: c large, a noisy OR or AND by b;", "k/4: inputs on that bring f to its middle"}
	if iw < 44 {
		notes = []string{"blur: small c, f ≈ linear", "OR/AND: large c, by b; k/4: inputs on", "that bring f to its middle"}
	}
	for k, n := range notes {
		notes[k] = p.st.Label.Render(n)
	}
	return notes
}

// readingText is a reading in a few cells: "blur", "OR 0.8/4", "2.0/4".
func readingText(r engine.Reading) string {
	switch r.Kind {
	case engine.ReadLinear:
		return "blur"
	case engine.ReadOn, engine.ReadOff:
		return strings.TrimPrefix(r.Kind.String(), "always ")
	case engine.ReadThreshold:
		return fmt.Sprintf("%.1f/%d", r.On, r.N)
	case engine.ReadCut:
		return fmt.Sprintf("cut %.1f/%d", r.On, r.N)
	}
	return fmt.Sprintf("%s %.1f/%d", strings.TrimPrefix(r.Kind.String(), "noisy "), r.On, r.N)
}

// fixed formats a parameter in six cells: "0.412", "-1.23", "12.3".
func fixed(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprint(v)
	case a >= 1000:
		return fmt.Sprintf("%.0e", v)
	case a >= 100:
		return fmt.Sprintf("%.1f", v)
	case a >= 10:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// delta formats a change in six cells with its sign: "+0.162", "-0.020".
func delta(v float64) string {
	s := fixed(v)
	if v >= 0 {
		s = "+" + s
	}
	if len(s) > 6 && math.Abs(v) < 10 {
		s = fmt.Sprintf("%+.2f", v)
	}
	return s
}
