package runfolder

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Shown is s as it may reach a terminal: its control characters (escape
// codes, line breaks) written as Go escapes ("\x1b", "\n"). A run folder's
// text is whatever its files hold; every string read from one is shown
// through Shown, so that a settings.yaml cannot retitle or clear the
// terminal.
func Shown(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Differing lists the settings whose values are not the same in every run
// (a key some run lacks counts as differing), in the first run's order and
// then the others'. Where a checkpoint was written (save) is not a
// difference between runs.
func Differing(runs []*Run) []string {
	var keys []string
	seen := map[string]bool{"save": true}
	for _, r := range runs {
		for _, s := range r.Settings {
			if seen[s.Key] {
				continue
			}
			seen[s.Key] = true
			for _, o := range runs {
				if v, ok := o.Value(s.Key); !ok || v != s.Value {
					keys = append(keys, s.Key)
					break
				}
			}
		}
	}
	return keys
}

// Label names run r by the values of keys ("activation: relu, loss:
// stable"), or by its folder when keys is empty, for a terminal (Shown).
func Label(r *Run, keys []string) string {
	if len(keys) == 0 {
		return Shown(filepath.Base(r.Dir))
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		v, ok := r.Value(k)
		if !ok {
			v = "(unset)"
		}
		parts[i] = Shown(k) + ": " + Shown(v)
	}
	return strings.Join(parts, ", ")
}

// Final is the run's last test result: its end's, or else its last epoch's
// (NaN when it has neither), and how many epochs it completed.
func (r *Run) Final() (testLoss, testAcc float64, epochs int) {
	testLoss, testAcc = math.NaN(), math.NaN()
	if n := len(r.Epochs); n > 0 {
		e := r.Epochs[n-1]
		testLoss, testAcc, epochs = float64(e.TestLoss), float64(e.TestAcc), e.Epoch
	}
	if r.End != nil && r.End.Type != "failed" {
		if !math.IsNaN(float64(r.End.TestAcc)) {
			testLoss, testAcc = float64(r.End.TestLoss), float64(r.End.TestAcc)
		}
		epochs = r.End.Epochs
	}
	return testLoss, testAcc, epochs
}

// Outcome says in a few words how the run ended: "finished", "stopped",
// "failed at epoch 1, batch 1: …", or "cut short" (killed).
func (r *Run) Outcome() string {
	switch {
	case r.End == nil:
		return "cut short"
	case r.End.Type == "failed":
		return "failed: " + r.End.Message
	case r.End.Type == "stopped":
		return "stopped"
	}
	return "finished"
}
