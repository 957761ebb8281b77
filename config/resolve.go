package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// Resolve makes the run the command line asks for: the architecture's
// defaults, then the config file, then the flags. A flag that picks another
// architecture than the file names starts from that architecture's own
// defaults, keeping only the file's data settings (so --arch seed-code runs
// with all of the 2017 note's settings). The result is checked as a whole.
func (f *Flags) Resolve() (Config, error) {
	if f.err != nil {
		return Config{}, f.err
	}
	path, required := f.Config, true
	if path == "" {
		path, required = "config.yaml", false
	}
	c, err := f.resolve(path, required)
	var e *Error
	if !required && errors.As(err, &e) && e.File == path {
		e.Implicit = true
	}
	return c, err
}

func (f *Flags) resolve(path string, required bool) (Config, error) {
	fileEntries, err := readFile(path, required)
	if err != nil {
		return Config{}, err
	}
	fileArch := DefaultArch
	if e, ok := last(fileEntries, "arch"); ok {
		fileArch = e.text
	}
	if e, ok := last(f.entries, "arch"); ok && e.text != fileArch {
		fileEntries = slices.DeleteFunc(fileEntries, func(e entry) bool {
			s, _ := lookup(e.key)
			return !s.data
		})
	}
	return resolve(append(fileEntries, f.entries...))
}

// resolve applies entries, in order, over the defaults of the architecture
// they name, and checks the result.
func resolve(entries []entry) (Config, error) {
	arch := entry{key: "arch", text: DefaultArch}
	if e, ok := last(entries, "arch"); ok {
		arch = e
	}
	_, custom := last(entries, "layers")
	base := arch.text
	if custom {
		base = DefaultArch
	}
	spec, err := engine.LookupArch(base)
	if err != nil {
		return Config{}, at(arch.src, err)
	}
	c := Defaults(spec)
	from := map[string]source{}
	for _, e := range entries {
		if err := e.apply(&c); err != nil {
			return Config{}, err
		}
		from[e.key] = e.src
	}
	if err := checkData(c, from); err != nil {
		return Config{}, err
	}
	if err := c.Settings.Check(); err != nil {
		var se *engine.SettingError
		if errors.As(err, &se) {
			return Config{}, at(from[se.Key], err)
		}
		return Config{}, err
	}
	c.from = from
	if custom {
		if _, err := engine.LookupArch(c.Arch); err == nil {
			// Its checkpoints, run folders and summary would carry a
			// built-in's name for another net.
			e := from["layers"].errorAt("layers")
			e.Err = fmt.Errorf("a layers list is a new architecture and wants a name of its own in arch, not the built-in %q (add --arch NAME, or arch: NAME beside layers in the file)", c.Arch)
			return Config{}, e
		}
		spec, _ := c.Spec()
		// MNIST and Fashion-MNIST are both 28×28 in 10 classes, and an
		// image folder's pictures are prepared to 28×28; its classes are
		// known once it is read, and the output layer follows them.
		spec = spec.ForClasses(dataset.Classes)
		if _, err := engine.Plan(spec, engine.Shape{C: 1, H: 28, W: 28}, dataset.Classes, c.Settings); err != nil {
			var se *engine.SettingError
			if errors.As(err, &se) {
				return Config{}, at(from[se.Key], err)
			}
			e := from["layers"].errorAt("layers")
			e.Err = err
			return Config{}, e
		}
	}
	return c, nil
}

// checkData checks the settings about the data: a dataset Open knows, and
// a held-out share of an image folder between 0 and 1.
func checkData(c Config, from map[string]source) error {
	if !slices.Contains(dataset.Names(), c.Dataset) {
		err := from["dataset"].errorAt("dataset")
		err.Value, err.Want = quote(c.Dataset, &c.Dataset), engine.WantOneOf(dataset.Names())
		return err
	}
	if !(c.HeldOut > 0 && c.HeldOut < 1) {
		err := from["held_out"].errorAt("held_out")
		err.Value, err.Want = strconv.FormatFloat(c.HeldOut, 'g', -1, 64), "a share between 0 and 1, such as 0.2 (both excluded)"
		return err
	}
	return nil
}

// Place puts an *engine.SettingError found after Resolve, such as a batch
// larger than the training set, where its key was set: an *Error with the
// file and line, or the flag. Other errors are returned as they are.
func (c Config) Place(err error) error {
	return at(c.from[settingKey(err)], err)
}

// settingKey is the key of an *engine.SettingError, or "".
func settingKey(err error) string {
	var se *engine.SettingError
	if errors.As(err, &se) {
		return se.Key
	}
	return ""
}

// at places an engine.SettingError where its key was set.
func at(src source, err error) error {
	var se *engine.SettingError
	if !errors.As(err, &se) {
		return err
	}
	e := src.errorAt(se.Key)
	e.Value, e.Want = se.Value, se.Want
	return e
}

// last returns the last entry for key.
func last(entries []entry, key string) (entry, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].key == key {
			return entries[i], true
		}
	}
	return entry{}, false
}
