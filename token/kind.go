package token

// Well-known kinds. Any other kind matching [a-z0-9_.-]{1,32} is accepted and
// normalized generically (surrounding white space trimmed). Kinds outside that
// alphabet are still tokenized, never rejected; see the package documentation,
// "Kinds".
const (
	Email  = "email"
	Phone  = "phone"
	IP     = "ip"
	UserID = "user_id"
)

// maxKindLen is the longest valid kind, in bytes.
const maxKindLen = 32

// validKind reports whether kind matches [a-z0-9_.-]{1,32}.
func validKind(kind string) bool {
	if len(kind) == 0 || len(kind) > maxKindLen {
		return false
	}
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}

// invalidPlaceholder is the placeholder for kinds outside the kind alphabet.
// The kind itself is not echoed: a misused kind argument may hold user data.
const invalidPlaceholder = "[REDACTED]"

// Placeholder returns the fixed placeholder for kind: the kind in upper case
// between brackets, e.g. "[EMAIL]", "[USER_ID]". For a kind outside the
// alphabet [a-z0-9_.-]{1,32} it returns "[REDACTED]" and never echoes the kind.
//
// Placeholder is what a [Value] renders as outside veil's redactor, and what
// the redactor emits for an identifier when no [Tokenizer] is configured.
func Placeholder(kind string) string {
	switch kind {
	case Email:
		return "[EMAIL]"
	case Phone:
		return "[PHONE]"
	case IP:
		return "[IP]"
	case UserID:
		return "[USER_ID]"
	}
	if !validKind(kind) {
		return invalidPlaceholder
	}
	var b [maxKindLen + 2]byte
	n := 0
	b[n] = '['
	n++
	for i := 0; i < len(kind); i++ {
		c := kind[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[n] = c
		n++
	}
	b[n] = ']'
	n++
	return string(b[:n])
}
