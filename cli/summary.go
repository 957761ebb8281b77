package cli

import (
	"io"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
)

// summary prints each layer's shape, parameters and connections for 28×28
// images, with the arithmetic.
func summary(c config.Config, o options, stdout io.Writer) error {
	spec, err := c.Spec()
	if err != nil {
		return err
	}
	spec = spec.ForClasses(dataset.Classes) // as training on MNIST builds it: a layers list may leave the output's units to the data
	in := engine.Shape{C: 1, H: 28, W: 28}
	infos, err := engine.Plan(spec, in, dataset.Classes, c.Settings)
	if err != nil {
		return err
	}
	return plain.Summary(stdout, spec, in, infos, o.json)
}
