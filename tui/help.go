package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
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

func (h *helpPanel) view() string { return h.draw(h.body) }

// body is the full help, or the short help line: the first variant that
// fits in iw cells untruncated, so that "? help" and "q quit" show.
func (h *helpPanel) body(iw, _ int) string {
	h.model.Width = iw
	if h.model.ShowAll {
		return h.model.View(h.keys)
	}
	variants := append([][]key.Binding{h.keys.ShortHelp()}, h.keys.narrowHelps()...)
	whole := h.model // a copy that does not truncate
	whole.Width = 0
	keys := variants[len(variants)-1]
	for _, v := range variants {
		if lipgloss.Width(whole.ShortHelpView(v)) <= iw {
			keys = v
			break
		}
	}
	return h.model.ShortHelpView(keys)
}
