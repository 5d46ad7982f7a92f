package token

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// MinSecretLen is the shortest accepted key secret, in bytes.
const MinSecretLen = 32

// maxKeyIDLen is the longest key id, in bytes.
const maxKeyIDLen = 16

// Key is one named tokenization key. ID appears in every token made with the
// key ("tok_<id>_…"); Secret is the HMAC key and must stay secret.
//
// Key is meant to be handed to [NewKeyring] and dropped. Its String, Format,
// GoString, MarshalJSON, MarshalText and LogValue methods never reveal the
// secret; only [Key.ExportSecret] does. Because Secret is an exported field,
// fmt can still print it when a Key sits in an unexported field of another
// struct (fmt cannot call methods there): keep Keys in a Keyring, which
// never exposes its secrets that way.
type Key struct {
	// ID names the key: 1 to 16 characters of [a-z0-9-].
	ID string
	// Secret is the HMAC-SHA-256 key: at least MinSecretLen (32) bytes,
	// ideally from GenerateKey.
	Secret []byte
}

// GenerateKey returns a new Key named id with 32 random bytes from
// crypto/rand. It fails only if id is not a valid key id.
func GenerateKey(id string) (Key, error) {
	if err := checkKeyID(id); err != nil {
		return Key{}, err
	}
	s := make([]byte, MinSecretLen)
	if _, err := rand.Read(s); err != nil { // never fails since Go 1.24; kept for clarity
		return Key{}, fmt.Errorf("token: reading random key material: %w", err)
	}
	return Key{ID: id, Secret: s}, nil
}

// ExportSecret returns the key in the form ParseKeyring reads, "id:<base64>",
// with the secret in standard base64. It deliberately reveals key material:
// use it only to hand a new key to a secret store (e.g. "veil keygen").
func (k Key) ExportSecret() string {
	return k.ID + ":" + base64.StdEncoding.EncodeToString(k.Secret)
}

// String returns the id and the secret's length, never the secret itself.
func (k Key) String() string {
	return "token.Key{ID:" + strconv.Quote(k.ID) + ", Secret:[REDACTED " + strconv.Itoa(len(k.Secret)) + " bytes]}"
}

// GoString is like String; it makes %#v safe.
func (k Key) GoString() string { return k.String() }

// Format writes String for every verb (%v %+v %#v %s %q %x …), so no fmt
// verb can print the secret.
func (k Key) Format(f fmt.State, verb rune) { formatSafe(f, verb, k.String()) }

// MarshalText returns String: keys cannot be serialized with their secret.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalJSON returns {"id":…,"secret":"[REDACTED]"}.
func (k Key) MarshalJSON() ([]byte, error) {
	return []byte(`{"id":` + strconv.Quote(k.ID) + `,"secret":"[REDACTED]"}`), nil
}

// LogValue logs the id only.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", k.ID), slog.String("secret", "[REDACTED]"))
}

// formatSafe writes s for any verb; %q quotes it. Width, flags and the
// verb's usual meaning are ignored on purpose.
func formatSafe(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// Keyring is an immutable set of named keys: one primary key that makes new
// tokens, and older keys kept so tokens made before a rotation can still be
// found (see [Tokenizer.Candidates]). It is safe for concurrent use.
//
// A Keyring's String, Format, GoString, MarshalJSON, MarshalText and LogValue
// list key ids only; [Keyring.ExportSecrets] is the one method that reveals
// key material.
type Keyring struct {
	// keys holds pointers so that even reflection-based printing of a
	// Keyring value shows addresses, not secrets.
	keys []*ringKey
}

// ringKey is one key of a Keyring with its precomputed HMAC pad states.
//
// The secret and the pad states (equivalent to it) are reachable only
// through closures: fmt prints funcs as addresses, so no reflection-based
// printer can reach the key material, whatever the verb or nesting.
type ringKey struct {
	id     string
	prefix string            // "tok_<id>_"
	secret func() []byte     // returns the ring's private copy; callers must not modify it
	pads   func() *padStates // the secret's HMAC pad states; read-only
}

// NewKeyring returns a Keyring holding keys, the first one primary. Secrets
// are copied: later changes to the callers' slices do not affect the ring.
//
// It fails if no key is given, if an id is not 1 to 16 characters of
// [a-z0-9-], if two keys share an id, or if a secret is shorter than 32 bytes.
// Errors name the key by id or position, never by its secret.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("token: keyring needs at least one key; create one with GenerateKey")
	}
	kr := &Keyring{keys: make([]*ringKey, 0, len(keys))}
	seen := make(map[string]bool, len(keys))
	for i, k := range keys {
		if err := checkKeyID(k.ID); err != nil {
			return nil, fmt.Errorf("token: key %d: %w", i+1, err)
		}
		if seen[k.ID] {
			return nil, fmt.Errorf("token: key %d: duplicate key id %q; every key needs its own id", i+1, k.ID)
		}
		seen[k.ID] = true
		if len(k.Secret) < MinSecretLen {
			return nil, fmt.Errorf("token: key %q: secret is %d bytes, shorter than the minimum of %d; generate a new one with GenerateKey",
				k.ID, len(k.Secret), MinSecretLen)
		}
		secret := append([]byte(nil), k.Secret...)
		pads, err := newPadStates(secret)
		if err != nil {
			return nil, err
		}
		kr.keys = append(kr.keys, &ringKey{
			id:     k.ID,
			prefix: "tok_" + k.ID + "_",
			secret: func() []byte { return secret },
			pads:   func() *padStates { return pads },
		})
	}
	return kr, nil
}

// checkKeyID reports whether id is 1 to 16 characters of [a-z0-9-]. The
// error never quotes a rejected id: it may be misplaced key material.
func checkKeyID(id string) error {
	if len(id) == 0 || len(id) > maxKeyIDLen {
		return fmt.Errorf("key id must be 1 to %d characters of [a-z0-9-], got %d bytes", maxKeyIDLen, len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return fmt.Errorf("key id must use only [a-z0-9-]; byte %d is not allowed", i+1)
		}
	}
	return nil
}

// PrimaryID returns the id of the primary key, the one new tokens are made
// with. It returns "" for a nil Keyring.
func (kr *Keyring) PrimaryID() string {
	if kr == nil || len(kr.keys) == 0 {
		return ""
	}
	return kr.keys[0].id
}

// IDs returns the key ids, primary first.
func (kr *Keyring) IDs() []string {
	if kr == nil {
		return nil
	}
	ids := make([]string, len(kr.keys))
	for i, k := range kr.keys {
		ids[i] = k.id
	}
	return ids
}

// ExportSecrets returns the keyring in the form ParseKeyring reads,
// "k2:<base64>,k1:<base64>", primary first. It deliberately reveals all key
// material: use it only to write a secret store or environment variable,
// never a log.
func (kr *Keyring) ExportSecrets() string {
	if kr == nil {
		return ""
	}
	var b strings.Builder
	for i, k := range kr.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(Key{ID: k.id, Secret: k.secret()}.ExportSecret())
	}
	return b.String()
}

// String lists the key ids, primary first, never the secrets.
func (kr *Keyring) String() string {
	if kr == nil {
		return "token.Keyring(nil)"
	}
	return "token.Keyring{primary:" + kr.PrimaryID() + " keys:[" + strings.Join(kr.IDs(), " ") + "]}"
}

// GoString is like String; it makes %#v safe.
func (kr *Keyring) GoString() string { return kr.String() }

// Format writes String for every verb, so no fmt verb can print key material.
func (kr *Keyring) Format(f fmt.State, verb rune) { formatSafe(f, verb, kr.String()) }

// MarshalText returns String.
func (kr *Keyring) MarshalText() ([]byte, error) { return []byte(kr.String()), nil }

// MarshalJSON returns {"primary":…,"keys":[…ids…]}.
func (kr *Keyring) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteString(`{"primary":`)
	b.WriteString(strconv.Quote(kr.PrimaryID()))
	b.WriteString(`,"keys":[`)
	for i, id := range kr.IDs() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(id))
	}
	b.WriteString("]}")
	return []byte(b.String()), nil
}

// LogValue logs the primary id and the list of ids.
func (kr *Keyring) LogValue() slog.Value {
	return slog.GroupValue(slog.String("primary", kr.PrimaryID()), slog.Any("keys", kr.IDs()))
}
