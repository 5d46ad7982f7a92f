package noise

import (
	"fmt"
	"net/netip"
	"time"
	"unicode/utf8"
)

// Default prefix lengths for [IPPrefix]: a /24 leaves the last octet of an
// IPv4 address unknown; a /48 keeps the site prefix of an IPv6 address and
// drops the subnet and interface bits.
const (
	DefaultIPv4Bits = 24
	DefaultIPv6Bits = 48
)

// IPPrefix returns the network of addr truncated to v4Bits (IPv4) or v6Bits
// (IPv6) leading bits, as a prefix string such as "10.1.2.0/24" or
// "2001:db8:1::/48"; netip.ParsePrefix reads it back and its Addr is the
// masked address. addr may carry a port ("10.1.2.3:443", "[2001:db8::1]:443")
// or an IPv6 zone, which are dropped. IPv4-mapped IPv6 addresses
// ("::ffff:10.1.2.3") are treated as IPv4. The error is non-nil when addr is
// not an IP address or a prefix length is out of range (0..32, 0..128).
func IPPrefix(addr string, v4Bits, v6Bits int) (string, error) {
	if v4Bits < 0 || v4Bits > 32 || v6Bits < 0 || v6Bits > 128 {
		return "", fmt.Errorf("noise: prefix lengths /%d (IPv4) and /%d (IPv6) are out of range 0..32 and 0..128", v4Bits, v6Bits)
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		ap, err2 := netip.ParseAddrPort(addr)
		if err2 != nil {
			return "", fmt.Errorf("noise: %q is not an IP address (with or without a port)", truncateForError(addr))
		}
		ip = ap.Addr()
	}
	ip = ip.Unmap().WithZone("")
	bits := v6Bits
	if ip.Is4() {
		bits = v4Bits
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return "", fmt.Errorf("noise: cannot truncate %s to /%d: %w", ip, bits, err)
	}
	return p.String(), nil
}

// truncateForError keeps error messages short and free of most of a bad
// input, which may be personal data.
func truncateForError(s string) string {
	return KeepPrefix(s, 8) + "…"
}

// TruncateTime returns t converted to UTC and truncated to a multiple of unit
// since the zero time: time.Hour gives the start of the UTC hour, 24*time.Hour
// the start of the UTC day (not the local day). The monotonic clock reading
// is dropped. The error is non-nil when unit <= 0.
func TruncateTime(t time.Time, unit time.Duration) (time.Time, error) {
	if unit <= 0 {
		return time.Time{}, fmt.Errorf("noise: time unit %v is invalid: it must be greater than 0", unit)
	}
	return t.UTC().Truncate(unit), nil
}

// KeepPrefix returns the first n characters (runes) of s. Each byte of
// invalid UTF-8 counts as one character and is replaced by U+FFFD, so the
// result is always valid UTF-8. n <= 0 gives "". It allocates only when the
// kept part holds invalid UTF-8.
func KeepPrefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i, count, valid := 0, 0, true
	for i < len(s) && count < n {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			valid = false
		}
		i += size
		count++
	}
	if valid {
		return s[:i]
	}
	b := make([]byte, 0, i+8)
	for j := 0; j < i; {
		r, size := utf8.DecodeRuneInString(s[j:])
		b = utf8.AppendRune(b, r) // RuneError for an invalid byte
		j += size
	}
	return string(b)
}
