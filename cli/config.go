package cli

import (
	"io"

	"github.com/lenet-tui/lenet-tui/config"
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
