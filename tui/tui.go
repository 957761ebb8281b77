package tui

import (
	"errors"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
)

// Options configure Run.
type Options struct {
	// NewRun builds a fresh net (new weights) and trainer with the given
	// hidden activation, learning rate and probe digit (a test image index);
	// called at start and on `r` restart.
	NewRun     func(activation engine.Activation, lr float64, probe int) (*engine.Trainer, error)
	Activation engine.Activation // initial hidden activation
	LR         float64           // initial learning rate
	NoColor    bool              // NO_COLOR set: no colours (lipgloss/termenv Ascii profile)
}

// Run starts the first run and the Bubble Tea program (alt screen) and
// returns when the user quits; it cancels and drains the trainer before
// returning.
func Run(opts Options) error {
	if opts.NewRun == nil {
		return errors.New("tui: Options.NewRun is nil")
	}
	st := newStyles(lipgloss.NewRenderer(os.Stdout), opts.NoColor)
	runs := &runTracker{start: engineStarter(opts.NewRun)}
	m := newModel(st, runs.startTracked, opts.Activation, opts.LR)
	_, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
	runs.stopAll()
	return err
}
