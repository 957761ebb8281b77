package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/config"
	"github.com/lenet-tui/lenet-tui/engine"
)

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

// checkpointPath is where the terminal UI's s key writes: --save's file,
// else beside the run's history, else in the working directory.
func checkpointPath(c config.Config, runDir string) string {
	switch {
	case c.Save != "":
		return c.Save
	case runDir != "":
		return filepath.Join(runDir, "checkpoint.safetensors")
	}
	return c.Arch + ".safetensors"
}

// saveAtEnd writes t's checkpoint to path ("" for none) once a run has
// ended well or been interrupted (to resume later), and says so; runErr is
// how the run ended, and is returned unless the save fails.
func saveAtEnd(t *engine.Trainer, path string, runErr error, asJSON bool, w io.Writer) error {
	var stopped interface{ ExitCode() int }
	if path == "" || runErr != nil && !errors.As(runErr, &stopped) {
		return runErr
	}
	if err := t.Save(path); err != nil {
		return fmt.Errorf("saving the checkpoint: %w", err)
	}
	ck, err := engine.ReadCheckpoint(path)
	if err != nil {
		return fmt.Errorf("reading back the checkpoint just saved: %w", err)
	}
	if asJSON {
		b, _ := json.Marshal(map[string]any{"checkpoint": path, "step": ck.Step, "epochs_done": ck.Epochs()})
		fmt.Fprintf(w, "%s\n", b)
	} else {
		fmt.Fprintf(w, "checkpoint %s: %g epoch(s), step %d, test accuracy %.2f%% (loss %.4f); resume with lenet-tui train --load %s\n",
			path, ck.Epochs(), ck.Step, 100*ck.TestAcc, ck.TestLoss, path)
	}
	return runErr
}

// eval measures a checkpoint's net on the test set.
func eval(c config.Config, o options, stdout io.Writer) error {
	if c.Load == "" {
		return errors.New("eval measures a checkpoint: lenet-tui eval --load FILE")
	}
	d, err := load(c)
	if err != nil {
		return err
	}
	d.resume = false
	t, err := d.trainer(engine.TrainConfig{}, d.c.Activation, d.c.LR)
	if err != nil {
		return err
	}
	loss, acc := t.Evaluate()
	ck := d.ck
	if o.logits != "" {
		if err := writeLogits(o.logits, t, ck.Path); err != nil {
			return err
		}
	}
	if o.json {
		b, err := json.Marshal(map[string]any{
			"checkpoint": ck.Path, "arch": ck.Spec.Name, "dataset": d.c.Dataset, "images": d.test.Count,
			"activation": d.c.Activation, "step": ck.Step, "epochs_done": ck.Epochs(),
			"test_loss": loss, "test_acc": acc, "saved_test_loss": ck.TestLoss, "saved_test_acc": ck.TestAcc,
		})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: %s on %s, %g epoch(s) (step %d), %s\ntest accuracy %.2f%% (loss %.4f) on %d images; when saved %.2f%% (loss %.4f)\n",
		ck.Path, ck.Spec.Name, d.c.Dataset, ck.Epochs(), ck.Step, d.c.Activation, 100*acc, loss, d.test.Count, 100*ck.TestAcc, ck.TestLoss)
	return err
}

// writeLogits writes the logits of the first 1,000 test images as JSON:
// {"checkpoint", "images", "classes", "labels": [...], "logits": [[...], ...]},
// each logit the shortest decimal that reads back as the same float32.
func writeLogits(path string, t *engine.Trainer, ckPath string) error {
	logits, labels := t.Logits(1000)
	n := len(labels)
	k := len(logits) / max(1, n)
	var b strings.Builder
	ckJSON, _ := json.Marshal(ckPath)
	fmt.Fprintf(&b, "{\"checkpoint\": %s, \"images\": %d, \"classes\": %d,\n\"labels\": [", ckJSON, n, k)
	for i, l := range labels {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(int(l)))
	}
	b.WriteString("],\n\"logits\": [")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("[")
		for j, v := range logits[i*k : (i+1)*k] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		b.WriteString("]")
	}
	b.WriteString("]}\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("--logits: %w", err)
	}
	return nil
}
