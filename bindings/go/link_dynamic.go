//go:build !verify_static

package verify

// Links libverify.so. Point the linker at it with CGO_LDFLAGS="-L<prefix>/lib"
// (or CGO_LDFLAGS="$(pkg-config --libs verify)") and the loader with an rpath
// or LD_LIBRARY_PATH; see docs/c-and-go.md.

// #cgo LDFLAGS: -lverify
import "C"
