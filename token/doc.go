/*
Package token turns identifiers into keyed, deterministic pseudonyms.

A [Tokenizer] maps an identifier such as an email address to a token like

	tok_k2_4vmwtoylhv6kw7b6urtkpf7xza

that is the same every time the same person appears, in every process that
holds the same [Keyring], so records can still be joined and counted while
the identifier itself stays out of logs and traces. The token names the key
that made it ("k2"), which makes key rotation possible.

# Pseudonymization, not anonymization

Tokens are pseudonyms, not anonymous data. Whoever holds a key can recompute
the token of any candidate value and so link a token back to a person; under
the GDPR (Art. 4(5), Recital 26) tokens therefore remain personal data for as
long as the key exists. Treat them accordingly: they may be kept where raw
identifiers may not, but retention and access rules still apply.

Inputs with little entropy are easy to reverse for a key holder: there are
about 2^32 IPv4 addresses and a few billion phone numbers in a country, and
one HMAC per candidate is cheap. The protection rests entirely on the key:

  - use secrets of at least 32 random bytes ([GenerateKey]; shorter secrets
    are rejected);
  - keep them out of logs, traces, source code and crash reports (Key and
    Keyring never print their secrets; only ExportSecret and ExportSecrets
    reveal them, on purpose);
  - rotate them, and delete retired keys once the tokens made with them are
    no longer needed: deleting every key that made a token turns that token
    into data nobody can link back (crypto-shredding).

# Token construction

For a key with id ID and secret K, the token of value v of kind k is

	mac   = HMAC-SHA-256(K, "veil-token-v1" || 0x00 || k || 0x00 || normalize(k, v))
	token = "tok_" || ID || "_" || base32(mac[:bits/8])

where base32 is RFC 4648 base32 with the lower-case alphabet
"abcdefghijklmnopqrstuvwxyz234567" and no padding, and bits is 128 unless set
with [WithBits] (96 to 256, a multiple of 8). With 128 bits the encoded part
is 26 characters. An investigator holding the key can recompute a token with
any HMAC tool, e.g.

	printf 'veil-token-v1\0email\0alice@example.com' |
	  openssl dgst -sha256 -mac HMAC -macopt hexkey:<secret in hex>

and base32-encode the first 16 bytes of the result (Python:
base64.b32encode(mac[:16]).decode().lower().rstrip("=")).

# Kinds

A kind is a short name in the alphabet [a-z0-9_.-]{1,32}: [Email], [Phone],
[IP], [UserID] or any custom kind such as "order_id". The kind is part of the
MAC input, so the same string under two kinds gives unrelated tokens. Kinds
outside the alphabet (empty, upper case, too long, other bytes) are not
rejected and do not panic: k in the construction above becomes "!" followed by
the lower-case hex encoding of the kind's bytes, and the value is normalized
generically. '!' and NUL never occur in a valid kind, so invalid kinds can
collide neither with valid kinds nor with each other. [Placeholder] of an
invalid kind is "[REDACTED]".

# Normalization

Before hashing, values are normalized by kind so that one person yields one
token:

  - email: surrounding white space trimmed; Unicode NFC; split at the last
    '@'; the domain (one trailing dot removed) converted to lower-case ASCII
    by the IDNA lookup profile (so "BÜCHER.de" becomes "xn--bcher-kva.de");
    the local part case-folded (ASCII lower-casing, or NFD + Unicode full
    case folding + NFC for non-ASCII), unless [WithEmailLocalFold](false).
    Plus tags ("alice+news") are kept: they may be how a person is told apart.
  - phone: white space trimmed; NFKC (full-width digits); an optional "tel:"
    prefix and the separators space - . ( ) / removed. A number starting
    with '+' or "00" becomes "+<digits>". A national number (no country code)
    stays bare digits, which never equal an international form, unless
    [WithDefaultCountryCode] is set: then one leading trunk '0' is dropped and
    "+<code>" prepended. 3 to 15 digits in total are required.
  - ip: parsed by net/netip; canonical text form (IPv6 shortest lower-case),
    IPv4-mapped IPv6 ("::ffff:1.2.3.4") folded to IPv4, zone ("%eth0")
    dropped; one pair of brackets ("[::1]") accepted.
  - user_id, custom kinds: generic rule, surrounding Unicode white space
    trimmed, bytes otherwise unchanged.

A value that a kind-specific rule rejects ("not-an-ip" as ip, "12" as phone,
an address without '@' or with a domain IDNA refuses as email) is normalized
by the generic rule instead. This is deterministic; because each rule's output
is accepted by that rule unchanged, a rejected input can never be merged with
the normalized form of a different, accepted one.

Invalid UTF-8 always takes the generic rule and is hashed byte for byte;
bad bytes are never replaced by U+FFFD, so an invalid input cannot share a
token with a valid one. The empty value (after trimming) has a token of its
own per kind. There is no length limit: a 1 MB value is hashed in full.

# Rotation

 1. Generate a new key: k2, err := token.GenerateKey("k2") (or "veil keygen").
 2. Deploy the keyring with the new key first and the old key kept:
    VEIL_TOKEN_KEYS="k2:<base64>,k1:<base64>". New tokens are made with k2.
 3. To find records about a person across the rotation, search for every
    token of [Tokenizer.Candidates]: one per key, primary first.
    [ParseToken] tells which key made a stored token.
 4. When no data tokenized under k1 needs linking any more (for example when
    its retention period has passed), remove k1 from the keyring and destroy
    every copy of it.

Key ids must be unique, 1 to 16 characters of [a-z0-9-]; never reuse an id for
a different secret.

# Performance

Each key's HMAC pad states are computed once, by NewKeyring; a token
restores them into a SHA-256 digest on the stack, so the key is never
re-processed and no state is shared between goroutines. For MAC inputs up
to 119 bytes the SHA-256 padding is written with the message, so that both
hashes end on whole blocks and are read from the digest's state without
Sum's copies (the result is the standard HMAC, checked against crypto/hmac
when the package is initialized). For ASCII input
(and email domains that need no IDNA mapping) [Tokenizer.AppendToken] into
a buffer with room does not allocate,
and [Tokenizer.Token] allocates only the returned string; non-ASCII emails
and phone numbers allocate while normalizing. [WithCache] adds a fixed-size
table for hot identifiers: a hit costs a hash and a compare, no allocation.
*/
package token
