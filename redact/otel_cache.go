package redact

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

// textCacheSize is the number of slots of a textCache (a power of two).
const textCacheSize = 256

// textCache remembers texts the detectors found nothing in: span names,
// event names and status descriptions, which OpenTelemetry asks to be of
// low cardinality (span names above all) and which repeat from span to span.
// The scanner is a pure function of the text, so a text found clean once is
// clean again and needs no scan. It is a direct-mapped table indexed by a
// seeded hash; a text is stored (as a copy, so that it pins no larger
// buffer) the second time in a row its slot sees it, so that texts seen once
// (a high-cardinality status description) cost no allocation. Only clean
// texts within the string limit are stored. It is safe for concurrent use.
type textCache struct {
	seed  maphash.Seed
	slots [textCacheSize]textSlot
}

type textSlot struct {
	text atomic.Pointer[string] // a clean text
	hint atomic.Uint64          // hash of the last text missed in this slot
}

func newTextCache() *textCache { return &textCache{seed: maphash.MakeSeed()} }

// lookup reports whether s is known clean; h is the hash of s, for add.
func (c *textCache) lookup(s string) (h uint64, clean bool) {
	h = maphash.String(c.seed, s)
	if t := c.slots[h&(textCacheSize-1)].text.Load(); t != nil && *t == s {
		return h, true
	}
	return h, false
}

// add records that s, whose hash is h, is clean.
func (c *textCache) add(s string, h uint64) {
	sl := &c.slots[h&(textCacheSize-1)]
	if sl.hint.Load() != h {
		sl.hint.Store(h)
		return
	}
	t := strings.Clone(s)
	sl.text.Store(&t)
}
