package config_test

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lenet-tui/lenet-tui/config"
)

// resolve resolves a command line as a command does: Register the
// settings' flags, Parse, Resolve.
func resolve(args ...string) (config.Config, error) {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f config.Flags
	f.Register(fs)
	if err := f.Parse(fs, args); err != nil {
		return config.Config{}, err
	}
	if f.Config == "" { // not a config.yaml lying in the working directory: an empty one
		dir, err := os.MkdirTemp("", "config-example")
		if err != nil {
			return config.Config{}, err
		}
		defer os.RemoveAll(dir)
		f.Config = filepath.Join(dir, "empty.yaml")
		if err := os.WriteFile(f.Config, nil, 0o644); err != nil {
			return config.Config{}, err
		}
	}
	return f.Resolve()
}

// Resolve applies the architecture's defaults, then the config file, then
// the flags: a flag overrides the file.
func ExampleFlags_Resolve() {
	dir, _ := os.MkdirTemp("", "config-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("arch: lenet5\nactivation: tanh\nbatch: 64\n"), 0o644)

	c, err := resolve("--config", file, "--batch", "128", "--epochs", "5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Arch, c.Activation, "batch", c.Batch, "epochs", c.Epochs, "optimizer", c.Optimizer)
	// Output:
	// lenet5 tanh batch 128 epochs 5 optimizer adam
}

// A value that cannot be used is a *config.Error carrying its key, where it
// was set (a file and line, or a flag) and what the setting wants.
func ExampleError() {
	dir, _ := os.MkdirTemp("", "config-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "config.yaml")
	os.WriteFile(file, []byte("epochs: 3\nactivation: swish\n"), 0o644)

	_, err := resolve("--config", file)
	var e *config.Error
	if errors.As(err, &e) {
		fmt.Printf("%s, line %d: key %s, value %s, want %s\n", filepath.Base(e.File), e.Line, e.Key, e.Value, e.Want)
	}
	_, err = resolve("--lr", "-1")
	fmt.Println(err)
	_, err = resolve("--epocs", "3")
	fmt.Println(err)
	// Output:
	// config.yaml, line 2: key activation, value "swish", want one of sigmoid, relu, tanh, scaled-tanh
	// --lr -1: want a learning rate > 0
	// unknown flag --epocs (did you mean --epochs?); see --help
}
