package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/internal/imagefolder"
)

// TestEvalNames: eval of a net trained on an image folder of letters
// names the folder's classes: each row of its table, the pair it confuses
// most, and in JSON "class_names" and each class's "name".
func TestEvalNames(t *testing.T) {
	dir := t.TempDir()
	if err := imagefolder.Letters(dir, 40, 10, 1); err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(t.TempDir(), "letters.safetensors")
	var out, errb bytes.Buffer
	args := []string{"train", "--data", dir, "--epochs", "1", "--batch", "16", "--save", ck, "--no-save"}
	if code := Run(args, &out, &errb); code != 0 {
		t.Fatalf("lenet-tui %s = exit %d, stderr %q", strings.Join(args, " "), code, errb.String())
	}
	names := imagefolder.LetterNames()
	out.Reset()
	if code := Run([]string{"eval", "--load", ck, "--data", dir}, &out, &errb); code != 0 {
		t.Fatalf("eval = exit %d, %s", code, errb.String())
	}
	text := out.String()
	for c, n := range names {
		if !strings.Contains(text, fmt.Sprintf("\n    %d %s ", c, n)) {
			t.Errorf("eval's table has no row \"%d %s\":\n%s", c, n, text)
		}
	}
	if i := strings.Index(text, "most confused: "); i >= 0 && !slices.Contains(names, strings.Fields(text[i:])[2]) {
		t.Errorf("eval's worst pair is not named by letter:\n%s", text)
	}
	out.Reset()
	if code := Run([]string{"eval", "--json", "--load", ck, "--data", dir}, &out, &errb); code != 0 {
		t.Fatalf("eval --json = exit %d, %s", code, errb.String())
	}
	var rec struct {
		ClassNames []string `json:"class_names"`
		Classes    []struct {
			Class int
			Name  string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.ClassNames, names) || len(rec.Classes) != len(names) || rec.Classes[2].Name != names[2] {
		t.Errorf("eval --json: class_names %q, classes %+v; want %q, each class named", rec.ClassNames, rec.Classes, names)
	}
}

// TestPredictNames: predict names the class its net answers with the
// checkpoint's names: MNIST's digits for the MNIST fixture, and for a
// checkpoint of Fashion-MNIST (saved without names: its dataset's),
// "Ankle boot" and the like, in the line and as "name" beside "class".
func TestPredictNames(t *testing.T) {
	_, test := fixtureNet(t)
	img := filepath.Join(t.TempDir(), "digit.png")
	writePNG(t, img, rescaled(test, 1))
	fashion := withMetadata(t, "dataset", "fashion-mnist")
	for _, tc := range []struct {
		ck    string
		names []string
	}{{fixture, dataset.ClassNames("mnist")}, {fashion, dataset.ClassNames("fashion-mnist")}} {
		var out, errb bytes.Buffer
		if code := Run([]string{"predict", "--json", "--load", tc.ck, img}, &out, &errb); code != 0 {
			t.Fatalf("predict --json --load %s = exit %d, %s", tc.ck, code, errb.String())
		}
		var rec struct {
			Class int
			Name  string
		}
		if err := json.Unmarshal(out.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Name != tc.names[rec.Class] {
			t.Errorf("predict --json --load %s: class %d named %q, want %q", tc.ck, rec.Class, rec.Name, tc.names[rec.Class])
		}
		out.Reset()
		if code := Run([]string{"predict", "--load", tc.ck, img}, &out, &errb); code != 0 {
			t.Fatalf("predict --load %s = exit %d, %s", tc.ck, code, errb.String())
		}
		if want := img + ": " + tc.names[rec.Class] + " ("; !strings.HasPrefix(out.String(), want) {
			t.Errorf("predict --load %s printed %q, want it to start %q", tc.ck, out.String(), want)
		}
	}
}
