package token

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// ParseKeyring parses the environment form of a keyring, as produced by
// [Keyring.ExportSecrets]: comma-separated "id:<base64 secret>" entries,
// primary first, e.g. "k2:…,k1:…". White space around entries is ignored;
// empty entries are skipped. The secret may use standard or URL-safe base64,
// padded or not. The result is checked as by [NewKeyring].
//
// Errors locate a bad entry by its position and never echo its content,
// which may be key material.
func ParseKeyring(s string) (*Keyring, error) {
	var keys []Key
	n := 0
	for entry := range strings.SplitSeq(s, ",") {
		n++
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		k, err := parseEntry(entry)
		if err != nil {
			return nil, fmt.Errorf("token: keyring entry %d: %w", n, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New(`token: keyring is empty; expected "id:<base64>" entries separated by commas, e.g. from "veil keygen"`)
	}
	defer wipe(keys)
	return NewKeyring(keys...)
}

// ReadKeyringFile reads a keyring file: one "id:<base64 secret>" entry per
// line, primary first; blank lines and lines starting with '#' are ignored.
//
// On Unix-like systems it refuses a file that group or others may read or
// write (mode & 0o077 != 0): key files must be private to the service's user
// (chmod 600). Files larger than 1 MiB are refused.
func ReadKeyringFile(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("token: opening keyring file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("token: keyring file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("token: keyring file %s is not a regular file", path)
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("token: keyring file %s has mode %v, open to group or others; restrict it with chmod 600 %s",
			path, fi.Mode().Perm(), path)
	}
	const maxFile = 1 << 20
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("token: reading keyring file %s: %w", path, err)
	}
	defer wipeBytes(data)
	if len(data) > maxFile {
		return nil, fmt.Errorf("token: keyring file %s is larger than 1 MiB; it should hold one short line per key", path)
	}
	var keys []Key
	defer func() { wipe(keys) }()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxFile)
	for line := 1; sc.Scan(); line++ {
		entry := strings.TrimSpace(sc.Text())
		if entry == "" || entry[0] == '#' {
			continue
		}
		k, err := parseEntry(entry)
		if err != nil {
			return nil, fmt.Errorf("token: keyring file %s, line %d: %w", path, line, err)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("token: reading keyring file %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf(`token: keyring file %s has no keys; expected one "id:<base64>" line per key`, path)
	}
	return NewKeyring(keys...)
}

// parseEntry parses "id:<base64>". Errors never include the entry's text.
func parseEntry(entry string) (Key, error) {
	id, enc, ok := strings.Cut(entry, ":")
	if !ok {
		return Key{}, errors.New(`missing ':'; expected "id:<base64 secret>"`)
	}
	id, enc = strings.TrimSpace(id), strings.TrimSpace(enc)
	if err := checkKeyID(id); err != nil {
		return Key{}, err
	}
	secret, ok := decodeSecret(enc)
	if !ok {
		return Key{}, fmt.Errorf("key %q: secret is not valid base64 (standard or URL-safe)", id)
	}
	return Key{ID: id, Secret: secret}, nil
}

// decodeSecret decodes standard or URL-safe base64, padded or not.
func decodeSecret(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.Strict().DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// wipe zeroes decoded secrets once NewKeyring has copied them.
func wipe(keys []Key) {
	for _, k := range keys {
		wipeBytes(k.Secret)
	}
}

func wipeBytes(b []byte) { clear(b) }
