package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplain trains a tiny run (sigmoid: no ReLU kink within the finite
// difference's ±h), saves it, and takes apart a C1, a C3 and
// an F6 weight's gradient with explain --json: the probabilities sum to 1
// and give the loss, the label is the image's, the chain rule's gradient
// agrees with the finite difference, and the step moves the weight to the
// new value. The text output names the same numbers.
func TestExplain(t *testing.T) {
	data, tmp := tinyMNIST(t), t.TempDir()
	ck := filepath.Join(tmp, "tiny.safetensors")
	var out, errb bytes.Buffer
	if code := Run([]string{"train", "--data", data, "--epochs", "2", "--batch", "32", "--activation", "sigmoid", "--save", ck, "--no-save"}, &out, &errb); code != 0 {
		t.Fatalf("train = %d: %s", code, errb.String())
	}
	for _, w := range []string{"c1.weight[0,0,2,2]", "c3.weight[5,0,1,1]", "f6.weight[3,17]", "s2.coef[1]", "output.bias[3]"} {
		out.Reset()
		errb.Reset()
		args := []string{"explain", "--load", ck, "--data", data, "--image", "3", "--weight", w, "--json", "--epochs", "3"}
		if code := Run(args, &out, &errb); code != 0 {
			t.Fatalf("explain --weight %s = %d: %s", w, code, errb.String())
		}
		var r struct {
			Label      int       `json:"label"`
			Loss       float64   `json:"loss"`
			Probs      []float64 `json:"probs"`
			Grad       float64   `json:"grad"`
			GradFD     float64   `json:"grad_fd"`
			Step       float64   `json:"step"`
			Value      float64   `json:"value"`
			NewValue   float64   `json:"new_value"`
			StateSaved bool      `json:"state_saved"`
			Weight     string    `json:"weight"`
		}
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatalf("explain --json: %v in %s", err, out.String())
		}
		var sum float64
		for _, p := range r.Probs {
			sum += p
		}
		if len(r.Probs) != 10 || math.Abs(sum-1) > 1e-9 || r.Label != 3 || math.Abs(r.Loss+math.Log(r.Probs[3])) > 1e-9 {
			t.Errorf("explain %s: label %d, probs %v (sum %g), loss %g; want label 3, 10 probabilities summing to 1, loss −log p_3", w, r.Label, r.Probs, sum, r.Loss)
		}
		if math.Abs(r.Grad-r.GradFD) > 1e-7+1e-3*math.Abs(r.Grad) {
			t.Errorf("explain %s: grad %g, finite difference %g", w, r.Grad, r.GradFD)
		}
		if !r.StateSaved || r.Weight != w || math.Abs(r.Value+r.Step-r.NewValue) > 1e-12 || r.Grad != 0 && r.Step == 0 {
			t.Errorf("explain %s: weight %q, state saved %v, value %g + step %g vs new value %g", w, r.Weight, r.StateSaved, r.Value, r.Step, r.NewValue)
		}
	}
	out.Reset()
	if code := Run([]string{"explain", "--load", ck, "--data", data, "--image", "3", "--weight", "c3.weight[5,0,1,1]"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "the engine's backward pass") || !strings.Contains(out.String(), "the adam step") {
		t.Errorf("explain (text) = %d, %q", code, out.String())
	}
}

// TestExplainErrors: each mistake is one line that says what to do.
func TestExplainErrors(t *testing.T) {
	data := tinyMNIST(t)
	fixture := filepath.Join("testdata", "lenet5-mnist-1epoch.safetensors")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"explain"}, "make a checkpoint with lenet-tui train --save"},
		{[]string{"explain", "--load", fixture, "--data", data, "--weight", "c9.weight[0]"}, "no tensor c9.weight in lenet5: its tensors are c1.weight, c1.bias"},
		{[]string{"explain", "--load", fixture, "--data", data, "--weight", "f6.weight[84,0]"}, "f6.weight has shape [84,120]: index 0 is 84"},
		{[]string{"explain", "--load", fixture, "--data", data, "--weight", "c3.weight[5,2,1,1]"}, "connection table leaves input map 2 out of output map 5"},
		{[]string{"explain", "--load", fixture, "--data", data, "--weight", "c1.weight"}, "want a tensor name and an index"},
		{[]string{"explain", "--load", fixture, "--data", data, "--image", "32"}, "--image 32: the test set has 32 images"},
	} {
		var out, errb bytes.Buffer
		code := Run(tt.args, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), tt.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("lenet-tui %s = %d, %q; want exit 1 and one line with %q", strings.Join(tt.args, " "), code, errb.String(), tt.want)
		}
	}
}
