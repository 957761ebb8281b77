package tui

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// cursorCard is a deck card that takes the arrow keys and the mouse, as a
// browser or a drawing pad does.
type cursorCard struct {
	frame
	x      int
	clicks [][2]int
}

func (c *cursorCard) view() string { return c.draw(func(w, h int) string { return "" }) }

func (c *cursorCard) takeKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	switch msg.Type {
	case tea.KeyLeft:
		c.x--
	case tea.KeyRight:
		c.x++
	case tea.KeyEnter:
		return true, func() tea.Msg { return useProbeMsg{Index: c.x} }
	default:
		return false, nil
	}
	return true, nil
}

func (c *cursorCard) takeMouse(msg tea.MouseMsg) tea.Cmd {
	if x, y, ok := c.at(msg.X, msg.Y); ok {
		c.clicks = append(c.clicks, [2]int{x, y})
	}
	return nil
}

// TestDeck checks the lower half's views: a card's key shows it, the same
// key or esc brings the maps back, the card shown takes its own keys first
// (and sends the model messages), the rest keep their meaning, and mouse
// cells arrive in the card's body coordinates.
func TestDeck(t *testing.T) {
	m, _ := trainedModel(t, asciiStyles(), 120, 40)
	c := &cursorCard{frame: newFrame(m.st, "Cursor")}
	m.lower.cards = append(m.lower.cards, card{p: c, key: key.NewBinding(key.WithKeys("z"))})
	m.layout()

	press(m, "g")
	if m.lower.current() != cardOf[*flowPanel](m) {
		t.Fatalf("after g the lower half shows %T, want the gradient flow", m.lower.current())
	}
	press(m, "g")
	if m.lower.current() != &m.maps {
		t.Fatalf("after g g it shows %T, want the maps", m.lower.current())
	}

	before := m.selected
	press(m, "right")
	if m.selected == before {
		t.Fatalf("→ over the maps did not select the next layer")
	}
	press(m, "z")
	if m.lower.current() != c {
		t.Fatalf("after z it shows %T, want the cursor card", m.lower.current())
	}
	selected := m.selected
	press(m, "right")
	press(m, "right")
	if c.x != 2 || m.selected != selected {
		t.Errorf("→ → over the card: its cursor at %d (want 2), layer %d → %d (want unchanged)", c.x, selected, m.selected)
	}
	cmd := press(m, "enter")[0]
	if cmd == nil {
		t.Fatal("enter on the card returned no command")
	}
	if msg, ok := cmd().(useProbeMsg); !ok || msg.Index != 2 {
		t.Errorf("enter on the card sent %#v, want useProbeMsg{2}", cmd())
	}
	m.Update(cmd())
	if m.probe != 2 {
		t.Errorf("after useProbeMsg{2} the probe is %d", m.probe)
	}

	// The body starts inside the border and under the title line.
	m.Update(tea.MouseMsg{X: c.x0() + 2, Y: c.y0() + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	m.Update(tea.MouseMsg{X: c.x0(), Y: c.y0(), Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if len(c.clicks) != 1 || c.clicks[0] != [2]int{0, 0} {
		t.Errorf("clicks on the body's first cell and on the corner: card saw %v, want [[0 0]]", c.clicks)
	}

	press(m, "esc")
	if m.lower.current() != &m.maps {
		t.Errorf("after esc it shows %T, want the maps", m.lower.current())
	}
}

func (f *frame) x0() int { return f.x }
func (f *frame) y0() int { return f.y }
