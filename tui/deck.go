package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/lenet-tui/lenet-tui/engine"
)

// deck is a place in the layout that shows one of several panels (cards):
// the first by default, another while its key is on. Pressing the key of
// the card shown, or esc, returns to the first. Every card keeps its size,
// so a switch is immediate.
//
// A new view for the lower half of the screen is a panel (see panel.go)
// and one card: model.cards (layout.go) lists them with their keys.
type deck struct {
	cards []card
	shown int
}

// card is one panel of a deck and the key that shows it (none for the
// first, which esc returns to).
type card struct {
	p   panel
	key key.Binding
}

// press shows the card whose key msg is, or the first card again when
// that card is already shown; it reports whether msg was a card's key.
func (d *deck) press(msg tea.KeyMsg) bool {
	for i, c := range d.cards {
		if i > 0 && key.Matches(msg, c.key) {
			d.show(i)
			return true
		}
	}
	return false
}

// show toggles card i: shown unless it is already, then the first.
func (d *deck) show(i int) {
	if d.shown == i {
		i = 0
	}
	d.shown = i
	if f, ok := d.current().(interface{ touch() }); ok {
		f.touch()
	}
}

// current is the card shown.
func (d *deck) current() panel { return d.cards[d.shown].p }

func (d *deck) setSize(w, h int) {
	for _, c := range d.cards {
		c.p.setSize(w, h)
	}
}

func (d *deck) setBare(bare bool) {
	for _, c := range d.cards {
		c.p.setBare(bare)
	}
}

func (d *deck) setOrigin(x, y int) {
	for _, c := range d.cards {
		c.p.setOrigin(x, y)
	}
}

func (d *deck) view() string { return d.current().view() }

// keyTaker is a panel with keys of its own while it is shown (a cursor,
// a drawing pad): takeKey reports whether it used the key, and may return
// a command whose message the model acts on (such as useProbeMsg). Keys it
// does not take keep their meaning for the whole screen.
type keyTaker interface {
	takeKey(msg tea.KeyMsg) (taken bool, cmd tea.Cmd)
}

// typist is a keyTaker that may be asking for text (the pad, a class's
// name): while typing, it takes every key before the screen's own.
type typist interface {
	keyTaker
	typing() bool
}

// mouseTaker is a panel that uses the mouse while it is shown; msg has
// screen coordinates, which frame.at turns into the body's.
type mouseTaker interface {
	takeMouse(msg tea.MouseMsg) tea.Cmd
}

// runObserver is a panel that follows the run: reset for each new run,
// update with each of its events, oldest first.
type runObserver interface {
	reset(info engine.RunInfo)
	update(ev engine.Event)
}

// useProbeMsg asks the model to make test image Index the probe digit (a
// panel's choice, such as a digit picked in the confusion matrix).
type useProbeMsg struct{ Index int }
