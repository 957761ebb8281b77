package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpPanel is the footer: the key bar, as much of it as fits.
type helpPanel struct{ keyHelp }

func newHelpPanel(st styles, keys keyMap) helpPanel { return helpPanel{newKeyHelp(st, "", keys)} }

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

// keysPanel lists every key once, in columns ('?').
type keysPanel struct{ keyHelp }

func newKeysPanel(st styles, keys keyMap) keysPanel { return keysPanel{newKeyHelp(st, "Keys", keys)} }

func (k *keysPanel) view() string {
	return k.draw(func(iw, _ int) string {
		k.note = "? closes"
		k.model.Width = iw
		return k.model.FullHelpView(k.keys.FullHelp())
	})
}

func (h *helpPanel) view() string { return h.draw(h.body) }

// body is the short help line: the first variant that fits in iw cells
// untruncated, so that "? help" and "q quit" show.
func (h *helpPanel) body(iw, _ int) string {
	h.model.Width = iw
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
