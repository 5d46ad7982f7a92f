package redact

import (
	"strconv"
	"strings"
	"testing"
)

// TestKidTable checks the child cache's open-addressing table: every key
// added is found (by an equal string at another address too), keys not
// added are not, across growth and hash collisions.
func TestKidTable(t *testing.T) {
	var keys []string
	for i := range 300 {
		keys = append(keys, "k"+strconv.Itoa(i), strings.Repeat("x", i%7)+"_"+strconv.Itoa(i%13)+"y")
	}
	keys = append(keys, "", "a", "A", "ab", "ba")
	var tab *kidTable
	seen := map[string]*node{}
	for i, k := range keys {
		if _, ok := seen[k]; ok {
			continue
		}
		n := &node{key: k}
		tab = tab.with(k, n)
		seen[k] = n
		if i%17 == 0 || i == len(keys)-1 {
			for k2, n2 := range seen {
				if got := tab.get(strings.Clone(k2)); got != n2 {
					t.Fatalf("after %d keys: get(%q) = %v, want %v", tab.len(), k2, got, n2)
				}
			}
			for _, miss := range []string{"missing", "k-1", "zz", "_0"} {
				if _, ok := seen[miss]; !ok && tab.get(miss) != nil {
					t.Fatalf("get(%q) found a node", miss)
				}
			}
		}
	}
	if (*kidTable)(nil).get("a") != nil {
		t.Fatal("nil table found a node")
	}
}
