package tui

import (
	"fmt"
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
)

// health watches the batch losses and accuracies for a run that has stopped
// learning: an accuracy about one class's share, which means every input
// gets the same answer, with a loss no better than ln 10, the loss of a
// uniform guess over ten classes. It starts over when a setting changes.
type health struct {
	loss, acc float64 // moving averages over about the last 100 batches
	batches   int     // batches seen since the start or the last change
}

const (
	healthAlpha   = 0.02 // weight of a new batch in the averages
	healthBatches = 300  // batches before a run may be called stuck
)

// chance is the loss of a net that gives each of ten classes probability
// 1/10: −ln(1/10).
var chance = math.Log(10)

func (h *health) add(p engine.Progress) {
	for i, l := range p.Losses {
		a := math.NaN()
		if i < len(p.Accs) {
			a = p.Accs[i]
		}
		if h.batches == 0 {
			h.loss, h.acc = l, a
		}
		h.loss += healthAlpha * (l - h.loss)
		h.acc += healthAlpha * (a - h.acc)
		h.batches++
	}
}

func (h *health) restart() { *h = health{} }

// stuck reports a run that has learnt nothing for healthBatches batches.
func (h *health) stuck() bool {
	return h.batches >= healthBatches && h.acc < 0.15 && h.loss > chance-0.1
}

func (h *health) String() string {
	than := "no better than"
	if math.Abs(h.loss-chance) < 0.05 {
		than = "≈"
	}
	return fmt.Sprintf("Not learning: accuracy %.0f%% is about one class's share, so every digit gets the same answer, "+
		"and the loss %.2f is %s ln 10 = %.2f, a uniform guess over 10 classes (dead units, or a rate too large). "+
		"Lower the rate (-) or switch the activation (a); r restarts.", 100*h.acc, h.loss, than, chance)
}
