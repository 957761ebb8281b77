// Package digit turns a picture of a handwritten digit into an MNIST image:
// 28×28 bytes, light ink (255) on a black background (0), the ink fitted
// into a 20×20 box keeping its aspect ratio with anti-aliased grey levels,
// and its centre of mass at the centre of the field — as LeCun, Cortes and
// Burges made MNIST from NIST's bilevel scans. A net trained on MNIST reads
// a digit drawn in the terminal or scanned from paper only after this; fed
// raw, a dark-on-white photo is a negative and a small digit in a corner a
// shape it never saw.
//
// [FromImage] reads any image.Image as grey levels in [0, 1]; [Prepare]
// does the rest: detect the background from the border (dark ink on a light
// background is inverted), remove it, crop to the ink's bounding box, fit
// it into 20×20 by area averaging (a box filter: each output pixel is the
// mean of the input area it covers), and centre it by its centre of mass.
// [PrepareImage] does both for a decoded picture a row at a time.
//
// [ReadFile] and [Decode] decode a PNG, JPEG or GIF from a user's file
// within a budget ([MaxPixels], [MaxDecodedBytes]) checked from its header
// before decoding: what predict, and any loader of a folder of pictures,
// calls.
//
// # Invariants
//
// Input slices are never modified. Prepare never panics on an image of any
// content: an image too small to hold a digit ([ErrTooSmall]) or without
// ink ([ErrBlank]) is an error; a programmer error (len(pixels) ≠ w·h)
// panics with a "digit:" prefix. An image that is already an MNIST digit
// (28×28, its ink's longer side 20 pixels, centred by mass) comes out
// unchanged up to one grey level: 9,996 of MNIST's 10,000 test digits do.
// Decode never decodes a picture whose header claims more than MaxPixels
// pixels or MaxDecodedBytes decoded, and PrepareImage holds a few rows of
// grey levels beyond the image, so that reading and preparing a picture
// takes little more than MaxDecodedBytes.
package digit
