// Package infile opens a file the user named for reading, and only if it
// is a regular file: a named pipe with no writer would make the program
// wait forever, a device may never end, and a folder is a mistake worth
// naming. Its errors name the user's path and what is there instead.
//
// Every reader of a user's file (a checkpoint, a config, a run folder's
// records, a picture, the IDX files) opens it here, and then bounds what
// it reads by the size Open returns.
package infile

import (
	"fmt"
	"io/fs"
	"os"
)

// Open opens the regular file at path for reading and returns it with its
// size. Anything else at path (a folder, a named pipe, a device, a socket)
// is refused without waiting: the kind is checked before opening, and the
// file is opened non-blocking (where the system has it) so that a pipe
// put there in between cannot hang the program either. A missing file is
// an *fs.PathError for which errors.Is(err, fs.ErrNotExist) holds.
func Open(path string) (*os.File, int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if err := Regular(path, fi.Mode()); err != nil {
		return nil, 0, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, 0, err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return nil, 0, err
	}
	if err := Regular(path, fi.Mode()); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// Regular returns nil for a regular file's mode and otherwise an error
// naming path and what it is: "PATH: a named pipe, not a regular file".
func Regular(path string, m fs.FileMode) error {
	if m.IsRegular() {
		return nil
	}
	if m.IsDir() {
		return fmt.Errorf("%s: a folder, not a file", path)
	}
	return fmt.Errorf("%s: %s, not a regular file", path, Kind(m))
}

// Kind names a mode that is not a regular file's: "a folder", "a named
// pipe", "a character device" and so on.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file (" + m.Type().String() + ")"
}
