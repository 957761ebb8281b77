package tui

import (
	"github.com/charmbracelet/bubbles/help"
)

// helpPanel is the footer: the short help always, the full help after '?'.
type helpPanel struct {
	frame
	keys  keyMap
	model help.Model
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
	return helpPanel{frame: newFrame(st, ""), keys: keys, model: h}
}

func (h *helpPanel) toggle() {
	h.model.ShowAll = !h.model.ShowAll
	h.touch()
}

func (h *helpPanel) view() string {
	return h.draw(func(iw, _ int) string {
		h.model.Width = iw
		return h.model.View(h.keys)
	})
}
