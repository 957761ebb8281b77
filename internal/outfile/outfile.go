// Package outfile writes a file the user named (a checkpoint, a figure, a
// JSON dump) without harming what was there: it refuses to replace anything
// that is not a regular file (a device, a folder, a pipe), writes to a
// temporary file in the same folder, syncs it and renames it over the
// target, and on failure removes only that temporary file. Its errors name
// the user's path, never the temporary file.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lenet-tui/lenet-tui/internal/infile"
)

// Check says whether path can be written by Write: if something is there
// it must be a regular file, and its folder must exist and take new files.
// It leaves nothing behind. Call it before long work whose result goes to
// path, so a bad path fails at once.
func Check(path string) error {
	if err := checkTarget(path); err != nil {
		return err
	}
	tmp, err := create(path)
	if err != nil {
		return err
	}
	tmp.Close()
	os.Remove(tmp.Name())
	return nil
}

// WriteFile writes data to path as Write does.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write writes what fill writes to path, atomically: into a temporary file
// in path's folder, synced to disk, then renamed over path. Anything at
// path that is not a regular file is refused and left alone; a failure
// (fill's, or a full disk) leaves path as it was.
func Write(path string, fill func(w io.Writer) error) (err error) {
	if err := checkTarget(path); err != nil {
		return err
	}
	tmp, err := create(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name()) // ours alone; path is untouched
		}
	}()
	if err := fill(tmp); err != nil {
		return fmt.Errorf("%s: %w", path, bare(err))
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, bare(err))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, bare(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, bare(err))
	}
	// Between the check and here something else may have appeared at path;
	// look once more, as late as can be.
	if err := checkTarget(path); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, bare(err))
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // the rename itself; best effort
		d.Close()
	}
	return nil
}

// checkTarget refuses a path at which something other than a regular file
// (or a link to one) stands.
func checkTarget(path string) error {
	if path == "" {
		return errors.New("no file named to write to")
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, bare(err))
	case fi.Mode().IsRegular():
		return nil
	}
	return fmt.Errorf("%s: %s, not a regular file: refusing to replace it", path, infile.Kind(fi.Mode()))
}

// create makes the temporary file beside path, and says why not in terms
// of path and its folder.
func create(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err == nil {
		return tmp, nil
	}
	if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s: %s is not a folder", path, dir)
	}
	return nil, fmt.Errorf("%s: cannot write in the folder %s: %w", path, dir, bare(err))
}

// bare drops a *fs.PathError's path (the temporary file's) and keeps why.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
