package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// helpPanel is the footer: the short help always, the full help after '?'.
type helpPanel struct {
	keys  keyMap
	model help.Model
	width int
}

func newHelpPanel(st styles, keys keyMap) helpPanel {
	h := help.New()
	key := st.r.NewStyle().Bold(true)
	desc := st.Label
	sep := st.Subtle
	h.Styles = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return helpPanel{keys: keys, model: h}
}

func (h *helpPanel) setSize(w int) { h.width, h.model.Width = w, w }

func (h *helpPanel) toggle() { h.model.ShowAll = !h.model.ShowAll }

func (h *helpPanel) view() string {
	v := h.model.View(h.keys)
	return fit(splitLines(v), h.width, lipgloss.Height(v))
}
