package config

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// checkpointKeys are the settings a checkpoint holds.
var checkpointKeys = []string{"dataset", "arch", "layers", "activation", "init", "init_std", "optimizer",
	"lr", "schedule", "batch", "epochs", "seed", "loss", "reduction", "input", "bias", "order", "output", "on_nan", "augment",
	"label_smoothing", "weight_decay"}

// netKeys are the settings that shape a checkpoint's tensors: a conv
// layer's biases (one per map, or per position) and the output layer (a
// dense one, or fixed RBF bitmaps). A flag may not change them.
var netKeys = []string{"bias", "output"}

// NetFlagError is a flag that would change what a checkpoint's tensors are
// shaped for: "--bias per-position was given, but net.safetensors was
// trained with --bias per-map: drop --bias to load it".
type NetFlagError struct {
	Key          string // the setting, as in config.yaml
	Given, Saved string // the flag's value, the checkpoint's
	Checkpoint   string // its path
}

func (e *NetFlagError) Error() string {
	flag := "--" + FlagName(e.Key)
	return fmt.Sprintf("%s %s was given, but %s was trained with %s %s: drop %s to load it",
		flag, printable(e.Given), e.Checkpoint, flag, printable(e.Saved), flag)
}

// WithCheckpoint is the run c asks for when it loads ck: the checkpoint's
// dataset, architecture and settings, each overridden by a flag that sets
// it (a config file's value is not used: the checkpoint knows better), and
// c's other settings (data, save, load). A flag may not change the
// architecture, nor a setting that shapes its tensors (netKeys: a
// *NetFlagError).
func (c Config) WithCheckpoint(ck *engine.Checkpoint) (Config, error) {
	out := c
	out.Dataset, out.Arch, out.Layers, out.Settings = ck.Dataset, ck.Spec.Name, ck.Spec.Layers, ck.Settings
	if !slices.Contains(dataset.Names(), ck.Dataset) {
		out.Dataset = c.Dataset // an image folder's: the data is --data's
	}
	if builtin, err := engine.LookupArch(ck.Spec.Name); err == nil && slices.Equal(builtin.ForClasses(ck.Classes).Layers, ck.Spec.Layers) {
		out.Layers = nil
	}
	out.from = map[string]source{}
	for k, src := range c.from {
		out.from[k] = src
	}
	for _, key := range checkpointKeys {
		src, ok := c.from[key]
		if !ok || src.file != "" { // not set by a flag
			out.from[key] = source{file: ck.Path}
			continue
		}
		s, _ := lookup(key)
		flag := reflect.ValueOf(s.field(&c)).Elem()
		saved := reflect.ValueOf(s.field(&out)).Elem()
		if key == "arch" || key == "layers" {
			if !reflect.DeepEqual(flag.Interface(), saved.Interface()) && !(key == "layers" && flag.Len() == 0 && saved.Len() == 0) {
				e := src.errorAt(key)
				e.Err = fmt.Errorf("the architecture comes from the checkpoint %s (%s); drop --%s", ck.Path, ck.Spec.Name, FlagName(key))
				return Config{}, e
			}
			continue
		}
		if slices.Contains(netKeys, key) && flag.Interface() != saved.Interface() {
			return Config{}, &NetFlagError{Key: key, Given: fmt.Sprint(flag.Interface()), Saved: fmt.Sprint(saved.Interface()), Checkpoint: ck.Path}
		}
		saved.Set(flag)
	}
	if err := out.Settings.Check(); err != nil {
		return Config{}, out.Place(err)
	}
	return out, nil
}
