package redact

import "sync/atomic"

// keyCacheSize is the number of slots of a keyCache (a power of two).
const keyCacheSize = 512

// keyCache holds the nodes of top-level attribute keys, which repeat from
// span to span, in a direct-mapped table: a hit costs a few loads and one
// comparison of the key with the node's (equal pointers when the key is a
// constant), less than the lookup in the root's children. A slot holds a
// node the Redactor already made, so a miss allocates nothing; the node of a
// key is the same whichever way it is found. It is safe for concurrent use.
type keyCache struct {
	slots [keyCacheSize]atomic.Pointer[node]
}

// get returns the node of the top-level key.
func (c *keyCache) get(r *Redactor, key string) *node {
	if key != "" {
		if n := c.slots[keySlot(key)].Load(); n != nil && n.key == key {
			return n
		}
	}
	return c.miss(r, key)
}

// miss is get when key is not in the cache.
func (c *keyCache) miss(r *Redactor, key string) *node {
	n := r.child(r.root, key)
	if key != "" {
		c.slots[keySlot(key)].Store(n)
	}
	return n
}

// keySlot hashes the length and three bytes of key (not empty): cheap, and
// enough to tell apart the keys of one program.
func keySlot(key string) uint32 {
	h := uint32(len(key))*0x9e3779b1 ^ uint32(key[0])<<16 ^ uint32(key[len(key)/2])<<8 ^ uint32(key[len(key)-1])
	h *= 0x85ebca6b
	return (h ^ h>>15) & (keyCacheSize - 1)
}
