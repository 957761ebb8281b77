package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpPanel is the footer: the keys that act in the view shown (keyMap.
// footer), as many as fit on its one line, after a passing note (such as
// "C1 is the first layer").
type helpPanel struct {
	keyHelp
	hints  []hint
	status string // shown before the keys until the next key
}

func newHelpPanel(st styles, keys keyMap) helpPanel {
	return helpPanel{keyHelp: newKeyHelp(st, "", keys), hints: keys.footer(footerState{run: true})}
}

// setHints sets the keys the footer offers and the note before them.
func (h *helpPanel) setHints(hs []hint, status string) {
	if status == h.status && slices.EqualFunc(hs, h.hints, func(a, b hint) bool {
		return a.rank == b.rank && a.b.Help() == b.b.Help()
	}) {
		return
	}
	h.hints, h.status = hs, status
	h.touch()
}

// keyHelp is what the key bar and the key list share: the keys and a
// bubbles help model in the program's styles, in a frame titled title.
type keyHelp struct {
	frame
	keys  keyMap
	model help.Model
}

func newKeyHelp(st styles, title string, keys keyMap) keyHelp {
	return keyHelp{frame: newFrame(st, title), keys: keys, model: newHelpModel(st)}
}

// newHelpModel is a bubbles help model in the program's styles.
func newHelpModel(st styles) help.Model {
	h := help.New()
	key := st.r.NewStyle().Bold(true)
	desc := st.Label
	sep := st.Subtle
	h.Styles = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return h
}

func (h *helpPanel) view() string { return h.draw(h.body) }

// body is the note and the short help line, one line of at most iw cells:
// the hints are taken by rank (the view's own keys, esc, "? help" and
// "q quit" first), each that still fits, and shown in their order.
func (h *helpPanel) body(iw, _ int) string {
	whole := h.model // a copy that does not truncate
	whole.Width = 0
	prefix := ""
	if h.status != "" {
		prefix = h.st.MetricWarn.Render(h.status) + h.model.Styles.ShortSeparator.Render(h.model.ShortSeparator)
	}
	order := make([]int, len(h.hints))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return h.hints[a].rank - h.hints[b].rank })
	taken := make([]bool, len(h.hints))
	line := func() string {
		var hs []hint
		for i, x := range h.hints {
			if taken[i] {
				hs = append(hs, x)
			}
		}
		return prefix + whole.ShortHelpView(bindings(hs))
	}
	for _, i := range order {
		taken[i] = true
		if lipgloss.Width(line()) > iw {
			taken[i] = false
		}
	}
	return ansi.Truncate(line(), iw, "…")
}

// keysPanel is the key help ('?'): every key once, under the heading of
// what a student does with it, with why (keyMap.groups), in as many
// columns as its height needs.
type keysPanel struct{ keyHelp }

func newKeysPanel(st styles, keys keyMap) keysPanel { return keysPanel{newKeyHelp(st, "Keys", keys)} }

func (k *keysPanel) view() string {
	return k.draw(func(iw, ih int) string {
		k.note = "? or esc closes"
		return k.body(iw, ih)
	})
}

// body lays the groups out in columns, top to bottom and then left to
// right, a group never split, a blank line between groups in a column: as
// few columns as the height allows, as evenly filled as they can be.
func (k *keysPanel) body(iw, ih int) string {
	groups := k.keys.groups()
	keyW := 0
	for _, g := range groups {
		for _, kw := range g.keys {
			keyW = max(keyW, lipgloss.Width(kw.b.Help().Key))
		}
	}
	blocks := make([][]string, len(groups))
	total := 0
	for i, g := range groups {
		lines := []string{k.st.Title.Render(g.title)}
		for _, kw := range g.keys {
			hk := kw.b.Help().Key
			lines = append(lines, k.model.Styles.FullKey.Render(hk)+strings.Repeat(" ", keyW-lipgloss.Width(hk)+1)+
				k.model.Styles.FullDesc.Render(kw.why))
		}
		blocks[i] = lines
		total += len(lines) + btoi(i > 0)
	}
	cols := flow(blocks, ih)
	for limit := (total + len(cols) - 1) / len(cols); limit < ih; limit++ {
		if c := flow(blocks, limit); len(c) <= len(cols) {
			cols = c
			break
		}
	}
	const gutter = 2
	widths := make([]int, len(cols))
	sum := gutter * (len(cols) - 1)
	for i, c := range cols {
		for _, l := range c {
			widths[i] = max(widths[i], lipgloss.Width(l))
		}
		sum += widths[i]
	}
	out := make([]string, 0, 2*len(cols))
	for i, c := range cols {
		w := widths[i]
		if sum > iw {
			w = (iw - gutter*(len(cols)-1)) / len(cols)
		}
		for j, l := range c {
			c[j] = ansi.Truncate(l, w, "…")
		}
		if i > 0 {
			out = append(out, strings.Repeat(" ", gutter))
		}
		out = append(out, k.st.r.NewStyle().Width(w).Render(strings.Join(c, "\n")))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

// flow stacks blocks into columns of at most limit lines (a block taller
// than limit has a column of its own), a blank line between two blocks.
func flow(blocks [][]string, limit int) [][]string {
	var cols [][]string
	var col []string
	for _, b := range blocks {
		if len(col) > 0 && len(col)+1+len(b) > limit {
			cols, col = append(cols, col), nil
		}
		if len(col) > 0 {
			col = append(col, "")
		}
		col = append(col, b...)
	}
	return append(cols, col)
}
