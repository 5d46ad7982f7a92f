package token

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

const (
	// maxCacheSize caps WithCache.
	maxCacheSize = 1 << 20
	// maxCachedValue is the longest value the cache keeps; longer values are
	// rarely hot and would make the table's memory depend on input size.
	maxCachedValue = 128
)

// cache is a fixed-size, direct-mapped table of recent tokens. Each slot holds
// a pointer to an immutable entry, read and replaced atomically, so lookups
// take no lock and do not allocate. A lookup compares kind and value in full;
// the hash only picks the slot. Colliding pairs evict each other.
type cache struct {
	seed  maphash.Seed
	mask  uint64
	slots []atomic.Pointer[cacheEntry]
}

type cacheEntry struct {
	kind, value, tok string
}

func newCache(size int) *cache {
	return &cache{
		seed:  maphash.MakeSeed(),
		mask:  uint64(size - 1),
		slots: make([]atomic.Pointer[cacheEntry], size),
	}
}

func (c *cache) slot(kind, value string) *atomic.Pointer[cacheEntry] {
	h := maphash.String(c.seed, value) ^ maphash.String(c.seed, kind)*0x9e3779b97f4a7c15
	return &c.slots[h&c.mask]
}

func (c *cache) get(kind, value string) (string, bool) {
	if len(value) > maxCachedValue {
		return "", false
	}
	e := c.slot(kind, value).Load()
	if e == nil || e.value != value || e.kind != kind {
		return "", false
	}
	return e.tok, true
}

func (c *cache) put(kind, value, tok string) {
	if len(value) > maxCachedValue || len(kind) > maxKindLen {
		return
	}
	// Clone so a cached substring does not pin a caller's large buffer.
	c.slot(kind, value).Store(&cacheEntry{
		kind:  strings.Clone(kind),
		value: strings.Clone(value),
		tok:   tok,
	})
}
