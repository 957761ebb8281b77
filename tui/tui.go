package tui

import (
	"context"
	"errors"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/lenet-tui/lenet-tui/engine"
)

// CheckpointFile is the name s gives a checkpoint in the current run's
// folder when no file is asked for.
const CheckpointFile = "checkpoint.safetensors"

// Options configure Run.
type Options struct {
	// NewRun builds a fresh net (new weights) and trainer for the run req
	// asks for; called at start, on `r` restart and by the tour.
	NewRun     func(req RunRequest) (Trainer, error)
	Activation engine.Activation // initial hidden activation
	LR         float64           // initial learning rate
	NoColor    bool              // NO_COLOR set: no colours (lipgloss/termenv Ascii profile)
	RunDir     string            // where the first run's history is written, shown until its first epoch ends unless its Trainer has Dir; "" for none
	SavePath   string            // where s writes a checkpoint of the running net, whatever the run (--save's file); "" for the current run's folder's CheckpointFile
	// SaveFallback is where s writes when SavePath is "" and the current
	// run keeps no folder (--no-save); "" for nowhere.
	SaveFallback string
	Tour         bool // open the tour (t) at once: its first step starts a run of its own, paused
	Pace         Pace // how fast the run is let go at first (w changes it)
	// PadFolder is the image folder the drawing pad adds drawings to
	// (enter, then the class: PadFolder/train/<class>/pad-….png); "" for
	// none.
	PadFolder string
	// Context, when set, quits the program as q does once it is done,
	// restoring the terminal, and Run then returns its cause. The caller
	// handles signals through it (Bubble Tea's own handler is off).
	Context context.Context
}

// RunRequest is the run NewRun makes: the program's own run (Arch "")
// with the hidden activation, learning rate and probe digit (a test image
// index) chosen on screen, or, for a step of the tour, a built-in
// architecture with its own defaults, changed as the step says.
type RunRequest struct {
	Activation engine.Activation // "" for the run's own
	LR         float64           // 0 for the run's own
	Probe      int
	// Arch, when not "", asks for a fresh run of this built-in architecture
	// with its defaults (on the program's dataset), instead of the program's
	// configured run; Init, when not "", changes its initialisation.
	Arch string
	Init engine.Init
	// Paused starts the run paused, before its first batch (the tour's
	// first step looks at a net that has not trained).
	Paused bool
}

// Pace is how fast a run is let go, for a class to follow it: PaceFull,
// PaceSlow (the whole run in about a minute), or PaceBatch (paused; '.'
// trains one batch).
type Pace int

// The paces, in the order w cycles through them.
const (
	PaceFull Pace = iota
	PaceSlow
	PaceBatch
)

// Trainer is a run as Run needs it: an *engine.Trainer, or one whose events
// are recorded on their way to the screen. A Trainer with a Dir() string
// method writes its history there, and the header says so until the first
// epoch ends.
type Trainer interface {
	Info() engine.RunInfo
	Run(context.Context)
	Events() <-chan engine.Event
	Send(engine.Command)
	Probe(index int) engine.Snapshot
	ProbeImage(pixels []uint8) engine.Snapshot
}

// Run starts the first run and the Bubble Tea program (alt screen) and
// returns when the user quits, with how the last run ended for the
// command line to say; it cancels and drains the trainer before returning.
func Run(opts Options) (Outcome, error) {
	if opts.NewRun == nil {
		return Outcome{}, errors.New("tui: Options.NewRun is nil")
	}
	st := newStyles(lipgloss.NewRenderer(os.Stdout), opts.NoColor)
	runs := &runTracker{start: engineStarter(opts.NewRun)}
	m := newModel(st, runs.startTracked, opts.Activation, opts.LR)
	m.runDir = opts.RunDir
	m.savePath = opts.SavePath
	m.saveElse = opts.SaveFallback
	m.tourOpen = opts.Tour
	m.pad.folder = opts.PadFolder
	m.pace = pace(opts.Pace)
	progOpts := []tea.ProgramOption{tea.WithAltScreen()}
	if opts.Context != nil {
		progOpts = append(progOpts, tea.WithoutSignalHandler())
	}
	p := tea.NewProgram(m, progOpts...)
	if opts.Context != nil {
		stop := context.AfterFunc(opts.Context, p.Quit)
		defer stop()
	}
	final, err := p.Run()
	runs.stopAll()
	var out Outcome
	if fm, ok := final.(*model); ok {
		out = fm.header.outcome()
	}
	if err == nil && opts.Context != nil && opts.Context.Err() != nil {
		return out, context.Cause(opts.Context)
	}
	return out, err
}
