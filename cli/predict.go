package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/digit"
	"github.com/lenet-tui/lenet-tui/engine"
)

// predictUsage is how predict is called, for its help and its errors.
const predictUsage = "lenet-tui predict --load FILE IMAGE…"

// dispatchPredict parses predict's command line — --load, --json and the
// images, flags and images in any order — and classifies each image. An
// image that cannot be classified gets its own line on stderr, the others
// their results, and the exit code is then 1.
func dispatchPredict(cmd command, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lenet-tui predict", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var load string
	var o options
	fs.StringVar(&load, "load", "", "the checkpoint whose net classifies the images (train --save FILE, or the terminal UI's s)")
	fs.BoolVar(&o.json, "json", false, "machine-readable output: JSON, one record a line")
	images, err := parseInterleaved(fs, args, cmd.name)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage: %s\n\n%s%s.\n%s\n\nFlags:\n", predictUsage, strings.ToUpper(cmd.about[:1]), cmd.about[1:], predictHelp)
		config.Help(stdout, fs)
		return nil
	} else if err != nil {
		return err
	}
	switch {
	case load == "":
		return errors.New("predict classifies images with a trained net: " + predictUsage +
			"; make one with lenet-tui train --save lenet5.safetensors (or press s in the terminal UI: it saves into the run folder)")
	case len(images) == 0:
		return errors.New("predict: name an image to classify: " + predictUsage)
	}
	cl, err := newClassifier(load)
	if err != nil {
		return err
	}
	var last error
	for _, path := range images {
		probs, err := cl.classifyFile(path)
		if err != nil {
			if last != nil {
				fmt.Fprintf(stderr, "lenet-tui: %s\n", escapeControls(last.Error()))
			}
			last = err
			continue
		}
		if err := writePrediction(stdout, path, probs, cl.names, o.json); err != nil {
			return err
		}
	}
	return last // the last image's error is run's line; the others are written
}

// predictHelp says what predict does to an image before the net sees it.
const predictHelp = `Each image (PNG, JPEG or GIF, grey or colour, up to 25 megapixels and
64 MiB decoded) is prepared as MNIST's digits were: dark ink on a light
background is inverted, the ink is cropped, fitted into 20×20 keeping its
aspect ratio with grey levels (area averaging) and centred by its centre
of mass in 28×28. Then the checkpoint's net gives its probabilities,
scaled as in training. Prints "IMAGE: class (probability)  then the next
two"; --json one record a line.`

// classifier is a checkpoint's net with its pixel scaling and the names
// of its classes.
type classifier struct {
	net   *engine.Net
	scale dataset.Scale
	names []string // by index (engine.Checkpoint.ClassNames)
}

func newClassifier(path string) (*classifier, error) {
	ck, err := engine.ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	if want := (engine.Shape{C: 1, H: digit.Size, W: digit.Size}); ck.In != want {
		return nil, fmt.Errorf("%s: its net takes %v images; predict prepares MNIST's %v", path, ck.In, want)
	}
	net, err := ck.Net(ck.Settings)
	if err != nil {
		return nil, err
	}
	return &classifier{net: net, scale: ck.Scale(), names: ck.ClassNames()}, nil
}

// classifyFile reads the image at path, prepares it as an MNIST digit and
// returns the net's class probabilities. Its errors name the file.
func (c *classifier) classifyFile(path string) ([]float32, error) {
	pixels, err := readDigit(path)
	if err != nil {
		return nil, err
	}
	return c.net.Look(pixels, &c.scale).Probs, nil
}

// readDigit decodes the image at path within package digit's limits and
// prepares it as an MNIST digit.
func readDigit(path string) ([]uint8, error) {
	img, err := digit.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out, err := digit.PrepareImage(img)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// writePrediction writes one image's result: "PATH: 7 (97.1%)  then 1
// (1.2%), 9 (0.8%)", or as JSON {"image", "class", "probability",
// "probs", "name"}: "class" is the index, "name" its name in names (the
// checkpoint's), which the text says instead ("Ankle boot (97.1%)").
func writePrediction(w io.Writer, path string, probs []float32, names []string, asJSON bool) error {
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
	name := func(c int) string {
		if c < len(names) {
			return names[c]
		}
		return strconv.Itoa(c)
	}
	if asJSON {
		rounded := make([]json.Number, len(probs))
		for i, p := range probs {
			rounded[i] = json.Number(strconv.FormatFloat(float64(p), 'g', -1, 32))
		}
		b, err := json.Marshal(map[string]any{"image": path, "class": order[0], "name": name(order[0]), "probability": rounded[order[0]], "probs": rounded})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	pct := func(c int) string { return fmt.Sprintf("%s (%.1f%%)", escapeControls(name(c)), 100*probs[c]) }
	var then []string
	for _, c := range order[1:min(3, len(order))] {
		then = append(then, pct(c))
	}
	_, err := fmt.Fprintf(w, "%s: %s  then %s\n", escapeControls(path), pct(order[0]), strings.Join(then, ", "))
	return err
}
