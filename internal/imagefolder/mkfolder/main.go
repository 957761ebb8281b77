// Command mkfolder writes an image folder that `lenet-tui train --data DIR`
// reads:
//
//	go run ./internal/imagefolder/mkfolder digits [-train 2000] [-test 500] DIR
//	go run ./internal/imagefolder/mkfolder letters [-train 200] [-test 50] [-seed 1] DIR
//
// digits saves the first -train training and -test test digits of MNIST
// (found as lenet-tui finds it) as 28×28 grey PNG files under class folders
// named zero … nine; letters draws the letters A to E with strokes, each
// drawing a little different (size, pen, slant, place), dark on white. With
// -test 0 there is no test/, and lenet-tui holds some of train/ out.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/internal/imagefolder"
)

const usage = "usage: mkfolder digits|letters [-train N] [-test N] [-seed N] DIR"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "mkfolder: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || args[0] != "digits" && args[0] != "letters" {
		return errors.New(usage)
	}
	kind := args[0]
	fs := flag.NewFlagSet("mkfolder "+kind, flag.ContinueOnError)
	train, test := fs.Int("train", 2000, "pictures in train/ (letters: of each letter)"), fs.Int("test", 500, "pictures in test/ (letters: of each letter); 0: no test/")
	seed := fs.Uint64("seed", 1, "letters: seeds the drawings")
	if kind == "letters" {
		*train, *test = 200, 50
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || *train < 1 || *test < 0 {
		return errors.New(usage)
	}
	dir := fs.Arg(0)
	if kind == "letters" {
		return imagefolder.Letters(dir, *train, *test, *seed)
	}
	trainSet, testSet, err := dataset.Open("mnist", "")
	if err != nil {
		return err
	}
	return imagefolder.Digits(dir, trainSet, testSet, *train, *test, nil)
}
