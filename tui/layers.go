package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// layersPanel lists every block of the net with its output shape, params
// and connections and highlights the selected one. When it is tall enough
// for the whole table and the explanation of a block, it adds a header row,
// the input and the totals, and explains the selected block: its
// arithmetic, kernel, padding, activation, note and, for partially
// connected convolutions, the connection table. Otherwise it gives the
// selected block's formulas under the rows. It has the focus: ←/→ steer it.
type layersPanel struct {
	frame
	infos    []engine.LayerInfo
	selected int
	act      engine.Activation // the hidden activation in force
	out      engine.Output     // the net's output units: softmax logits or RBF
}

func newLayersPanel(st styles) layersPanel {
	p := layersPanel{frame: newFrame(st, "Layers")}
	p.focused = true
	return p
}

func (p *layersPanel) reset(info engine.RunInfo) {
	p.infos, p.act, p.out = info.Layers, info.Activation, info.Output
	if p.selected >= len(p.infos) {
		p.selected = 0
	}
	p.touch()
}

func (p *layersPanel) setSelected(i int) {
	p.selected = i
	p.touch()
}

// update follows the activation the trainer switched to.
func (p *layersPanel) update(ev engine.Event) {
	if e, ok := ev.(engine.ActivationChanged); ok {
		p.setActivation(e.Activation)
	}
}

// setActivation shows a switched hidden activation on the hidden layers.
func (p *layersPanel) setActivation(a engine.Activation) {
	p.act = a
	p.touch()
}

func (p *layersPanel) view() string { return p.draw(p.body) }

// detailLines is how many lines the explanation of a block needs at least
// (a blank line, the title, the formulas, the shapes, kernel and padding,
// the activation) besides the table.
const detailLines = 8

// activation is what follows li's op, with the hidden one resolved.
func (p *layersPanel) activation(li engine.LayerInfo) string {
	if li.Hidden && p.act != "" {
		return p.act.String()
	}
	if li.Activation == "" {
		return "none"
	}
	return li.Activation.String()
}

// body is the table and the explanation, or the rows and the formulas.
func (p *layersPanel) body(iw, ih int) string {
	// the full table is a header row, the input, the blocks and the totals
	detailed := iw >= 38 && ih >= len(p.infos)+3+detailLines
	lines := p.table(iw, detailed)
	p.note = ""
	if detailed {
		detail := p.detail(iw)
		if said := p.explanation(iw); len(detail) >= 2 && len(lines)+len(detail)+len(said) <= ih {
			// the sentences go under the block's title line if they fit
			// whole, apart from the arithmetic if there is a line to spare
			if len(lines)+len(detail)+len(said) < ih {
				said = append(said, "")
			}
			detail = slices.Concat(detail[:2], said, detail[2:])
		}
		lines = append(lines, detail...)
	} else {
		params, _ := engine.Totals(p.infos)
		p.note = engine.Thousands(params) + " params"
		if ih <= 2 && ih < len(lines) && p.selected < len(lines) {
			lines = lines[p.selected : p.selected+1] // a line or two: the selected block
		}
		if p.selected < len(p.infos) {
			li := p.infos[p.selected]
			lines = append(lines, p.st.Label.Render(li.Name+": ")+li.ParamsFormula, p.st.Label.Render("   ")+li.ConnectionsFormula)
		}
	}
	return strings.Join(lines, "\n")
}

// table renders one row per block and, when full, a header row, the input
// and the totals.
func (p *layersPanel) table(iw int, full bool) []string {
	s := p.st
	showKind, showConns := iw >= 44, iw >= 38
	row := func(mark, name, kind, shape, params, conns string) string {
		r := mark + draw.PadRight(name, 7)
		if showKind {
			r += draw.PadRight(kind, 6)
		}
		r += draw.PadRight(shape, 9) + draw.PadLeft(params, 7)
		if showConns {
			r += draw.PadLeft(conns, 13)
		}
		return r
	}
	var lines []string
	if full {
		lines = append(lines, s.Label.Render(row("  ", "layer", "kind", "output", "params", "connections")))
		if len(p.infos) > 0 {
			lines = append(lines, s.Subtle.Render(row("  ", "input", "", p.infos[0].In.String(), "", "")))
		}
	}
	for i, li := range p.infos {
		r := row("  ", li.Name, li.Kind, li.Out.String(), engine.Thousands(li.Params), engine.Thousands(li.Connections))
		if i == p.selected {
			lines = append(lines, s.Selected.Render(draw.PadRight("▸ "+strings.TrimPrefix(r, "  "), ansi.StringWidth(r))))
		} else {
			lines = append(lines, r)
		}
	}
	if full {
		params, conns := engine.Totals(p.infos)
		lines = append(lines, s.Value.Render(row("  ", "total", "", "", engine.Thousands(params), engine.Thousands(conns))))
	}
	return lines
}

// explanation is the selected block's plain sentences (explain.go),
// wrapped to w cells.
func (p *layersPanel) explanation(w int) []string {
	if p.selected >= len(p.infos) {
		return nil
	}
	return wrap(explain(p.infos, p.selected, p.activation(p.infos[p.selected]), p.out), w)
}

// detail explains the selected block.
func (p *layersPanel) detail(iw int) []string {
	if p.selected >= len(p.infos) {
		return nil
	}
	s := p.st
	li := p.infos[p.selected]
	lines := []string{"", s.Title.Render(li.Name) + s.Label.Render(" · ") + li.Op + s.Label.Render(" → ") + p.activation(li)}
	lines = append(lines, labelled(s.Label.Render("params"), li.ParamsFormula, iw)...)
	lines = append(lines, labelled(s.Label.Render("connections"), li.ConnectionsFormula, iw)...)
	lines = append(lines, s.Label.Render("in ")+li.In.String()+s.Label.Render(" → out ")+li.Out.String())
	var facts []string
	if li.Kernel > 0 {
		facts = append(facts, s.Label.Render("kernel ")+fmt.Sprintf("%d×%d", li.Kernel, li.Kernel))
	}
	if li.Padding != "" {
		facts = append(facts, s.Label.Render("padding ")+li.Padding)
	}
	if len(facts) > 0 {
		lines = append(lines, strings.Join(facts, "  "))
	}
	act := s.Label.Render("activation ") + p.activation(li)
	if li.Hidden {
		act += s.Label.Render(" (hidden, a/A)")
	}
	lines = append(lines, act)
	if li.Note != "" {
		for _, l := range wrap(li.Note, iw) {
			lines = append(lines, s.Subtle.Render(l))
		}
	}
	if li.Table != nil {
		lines = append(lines, p.connTable(li.Table)...)
	}
	return lines
}

// connTable draws Table[i][j] (output map j reads input map i) as a grid
// with inputs down and outputs across.
func (p *layersPanel) connTable(t [][]bool) []string {
	s := p.st
	if len(t) == 0 {
		return nil
	}
	n := len(t[0])
	lines := []string{"", s.Label.Render("table: output j (→) reads input i (↓)")}
	var tens, units strings.Builder
	tens.WriteString("    ")
	units.WriteString("    ")
	for j := range n {
		if j >= 10 {
			fmt.Fprintf(&tens, "%d ", j/10)
		} else {
			tens.WriteString("  ")
		}
		fmt.Fprintf(&units, "%d ", j%10)
	}
	if n > 10 {
		lines = append(lines, s.Label.Render(tens.String()))
	}
	lines = append(lines, s.Label.Render(units.String()))
	for i, row := range t {
		var b strings.Builder
		b.WriteString(s.Label.Render(fmt.Sprintf("  %d ", i)))
		for _, on := range row {
			if on {
				b.WriteString(s.TableOn.Render("■") + " ")
			} else {
				b.WriteString(s.TableOff.Render("·") + " ")
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}

// labelled is "label value" on one line if it fits in w cells, else the
// label over the value, which is wrapped (a formula after a '+') only if it
// is wider than w on its own.
func labelled(label, value string, w int) []string {
	if ansi.StringWidth(label)+1+ansi.StringWidth(value) <= w {
		return []string{label + " " + value}
	}
	return append([]string{label}, wrap(value, w)...)
}

// wrap breaks s into lines of at most w cells at spaces.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var lines []string
	var cur string
	for _, word := range splitLong(strings.Fields(s), w) {
		switch {
		case cur == "":
			cur = word
		case ansi.StringWidth(cur)+1+ansi.StringWidth(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// splitLong breaks words wider than w after a '+' (formulas such as
// 6×(3×25+1)+6×(4×25+1)+…) or, failing that, at w cells.
func splitLong(words []string, w int) []string {
	var out []string
	for _, word := range words {
		for ansi.StringWidth(word) > w {
			r := []rune(word)
			cut := 0
			for i := range r {
				if ansi.StringWidth(string(r[:i+1])) > w {
					break
				}
				if r[i] == '+' {
					cut = i + 1
				}
			}
			if cut == 0 {
				cut = max(1, len([]rune(truncateRunes(word, w))))
			}
			out = append(out, string(r[:cut]))
			word = string(r[cut:])
		}
		if word != "" {
			out = append(out, word)
		}
	}
	return out
}

// truncateRunes is the longest prefix of s at most w cells wide.
func truncateRunes(s string, w int) string {
	r := []rune(s)
	for len(r) > 0 && ansi.StringWidth(string(r)) > w {
		r = r[:len(r)-1]
	}
	return string(r)
}
