package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/plain"
)

// bench measures training and inference images per second for --seconds
// each; with --passes, where a training step's time goes instead, in rounds
// of a third of --seconds.
func bench(c config.Config, o options, stdout io.Writer) error {
	if !(o.seconds > 0 && o.seconds <= 3600) {
		return fmt.Errorf("--seconds %g: want a duration of more than 0 and at most 3600 seconds", o.seconds)
	}
	spec, err := c.Spec()
	if err != nil {
		return err
	}
	spec = spec.ForClasses(dataset.Classes) // as training on MNIST builds it: a layers list may leave the output's units to the data
	in, d := engine.Shape{C: 1, H: 28, W: 28}, time.Duration(o.seconds*float64(time.Second))
	if o.passes {
		pt, err := engine.BenchPasses(spec, c.Settings, in, dataset.Classes, d)
		if err != nil {
			return err
		}
		return plain.BenchPasses(stdout, pt, o.json)
	}
	res, err := engine.Bench(spec, c.Settings, in, dataset.Classes, d)
	if err != nil {
		return err
	}
	return plain.Bench(stdout, spec.Name, c.Batch, res, o.json)
}
