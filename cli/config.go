package cli

import (
	"io"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
)

// printConfig prints the resolved settings as YAML, a config file to edit
// and run with --config.
func printConfig(c config.Config, _ options, stdout io.Writer) error {
	c, _, err := withCheckpoint(c) // --load: the checkpoint's settings
	if err != nil {
		return err
	}
	b, err := c.YAML()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}

// withCheckpoint reads the checkpoint c.Load names, if any, and returns the
// run it makes: its settings under c's flags.
func withCheckpoint(c config.Config) (config.Config, *engine.Checkpoint, error) {
	if c.Load == "" {
		return c, nil, nil
	}
	ck, err := engine.ReadCheckpoint(c.Load)
	if err != nil {
		return c, nil, err
	}
	c, err = c.WithCheckpoint(ck)
	return c, ck, err
}
