package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Load reads a train/test pair of IDX files from dir:
//
//	train-images-idx3-ubyte  train-labels-idx1-ubyte
//	t10k-images-idx3-ubyte   t10k-labels-idx1-ubyte
//
// each raw or gzip-compressed, with or without a ".gz" suffix; a '.' may
// stand for the '-' before "idx" ("train-images.idx3-ubyte"). The sets are
// named name+"/train" and name+"/test". Load checks that each split has as
// many labels as images, that every label is less than Classes and that
// both splits have the same image size.
func Load(dir, name string) (train, test *Set, err error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, nil, fmt.Errorf("dataset: %w", err)
	}
	if train, err = loadSplit(dir, name+"/train", "train"); err != nil {
		return nil, nil, err
	}
	if test, err = loadSplit(dir, name+"/test", "t10k"); err != nil {
		return nil, nil, err
	}
	if test.Rows != train.Rows || test.Cols != train.Cols {
		return nil, nil, &FormatError{dir, fmt.Sprintf("test images are %d×%d, want %d×%d like the training images",
			test.Rows, test.Cols, train.Rows, train.Cols)}
	}
	return train, test, nil
}

// loadSplit reads the images and labels whose file names start with prefix.
func loadSplit(dir, name, prefix string) (*Set, error) {
	imagesPath, err := findFile(dir, prefix+"-images", "idx3-ubyte")
	if err != nil {
		return nil, err
	}
	labelsPath, err := findFile(dir, prefix+"-labels", "idx1-ubyte")
	if err != nil {
		return nil, err
	}

	s := &Set{Name: name, Classes: Classes}
	err = readFile(imagesPath, func(r io.Reader, name string) (err error) {
		s.Images, s.Count, s.Rows, s.Cols, err = ReadImages(r, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = readFile(labelsPath, func(r io.Reader, name string) (err error) {
		s.Labels, err = ReadLabels(r, name)
		return err
	})
	if err != nil {
		return nil, err
	}

	if len(s.Labels) != s.Count {
		return nil, &FormatError{labelsPath, fmt.Sprintf("%d labels for %d images in %s",
			len(s.Labels), s.Count, filepath.Base(imagesPath))}
	}
	for i, l := range s.Labels {
		if int(l) >= s.Classes {
			return nil, &FormatError{labelsPath, fmt.Sprintf("label %d at index %d, want < %d", l, i, s.Classes)}
		}
	}
	return s, nil
}

// findFile returns the path of the first of stem-kind, stem-kind.gz,
// stem.kind and stem.kind.gz that exists in dir.
func findFile(dir, stem, kind string) (string, error) {
	for _, base := range []string{stem + "-" + kind, stem + "." + kind} {
		for _, ext := range []string{"", ".gz"} {
			path := filepath.Join(dir, base+ext)
			_, err := os.Stat(path)
			if err == nil {
				return path, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("dataset: %w", err)
			}
		}
	}
	return "", fmt.Errorf("dataset: open %s(.gz): %w", filepath.Join(dir, stem+"-"+kind), fs.ErrNotExist)
}

// readFile opens the file at path and hands it to read.
func readFile(path string, read func(r io.Reader, name string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	return read(f, path)
}
