// Package redact removes secrets and tokenizes identifiers in everything a
// service logs, before the bytes leave the process.
//
// A [Redactor] is a compiled policy, built once with [New] and shared. Its
// [Redactor.Handler] wraps any log/slog handler:
//
//	r, err := redact.New(redact.WithTokenizer(t))
//	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, nil)))
//	logger.Info("login failed for alice@example.com", "password", pw)
//	// {"msg":"login failed for tok_k1_…","password":"[REDACTED]"}
//
// # Defaults
//
// With no options:
//
//   - Values under sensitive keys are replaced by "[REDACTED]". A key is
//     normalized once (lower-cased; "-", "_", "." and spaces removed, so
//     "API-Key", "api_key" and "apiKey" are the same key) and its last path
//     segment compared with: password, passwd, pwd, secret, token,
//     access_token, refresh_token, api_key, authorization, auth, cookie,
//     set-cookie, session, session_id, ssn, card, card_number, cvv, cvc, pin,
//     private_key, client_secret, credentials, passphrase, otp, iban; keys
//     ending in password, secret, api_key, access_token, private_key,
//     credentials, cookie, … ("db_password", "stripeApiKey") too. A
//     sensitive key holding a group or struct is replaced whole.
//   - Every built-in detector runs over the message, every string value and
//     every key. Only the matched span is rewritten:
//     "login failed for [EMAIL] from [IP]".
//   - Identifiers (email, phone, IP) become tokens when a tokenizer is
//     configured with [WithTokenizer], typed placeholders otherwise.
//     Secrets (keys, JWTs, passwords in URLs), payment data (cards, IBANs) and
//     government ids are always replaced by a placeholder, never tokenized.
//   - Well-known OpenTelemetry keys are sanitized: db.query.text and
//     db.statement literals become "?", url.full/http.url/url.query lose
//     userinfo and sensitive parameters, and http.request.header.* /
//     http.response.header.* values of sensitive headers are replaced.
//   - Strings that already are veil tokens or placeholders are left alone, so
//     redacting twice changes nothing.
//
// # Rules
//
// [WithRule] pairs a [Matcher] with an [Action]. [Key] matches attribute keys
// (case-insensitive; last segment, full group path such as "user.email", or
// globs such as "*.card" and "http.**.cookie"). [Detector] overrides the
// replacement of one detector's matches. Actions are [Drop], [Mask],
// [Replace], [Tokenize], [Truncate] and [Keep]. [WithDetectors] and
// [WithoutDetectors] choose detectors by name; [WithLimits] bounds the work
// per record; [WithStrict] switches to an allowlist.
//
// # Struct tags
//
// Structs and maps are emitted as groups, walked through a plan built once per
// type. Fields are named as encoding/json names them (json:"name",
// json:"-"); unexported fields are skipped. The veil tag sets the action of a
// field:
//
//	Password string `veil:"drop"`        // or "-": never emitted
//	Card     string `veil:"mask=4"`      // "****4242"; "mask" hides all
//	Email    string `veil:"token=email"` // tokenized (placeholder without tokenizer)
//	Count    int    `veil:"keep"`        // exempt from key rules; detectors still run
//
// An unknown tag value replaces the field by "[REDACTED]" (fail closed).
//
// # Precedence
//
// For each value, the first that applies wins:
//
//  1. an explicit Drop rule on the key, and strict mode's allowlist, remove it;
//  2. type markers: token.Of values, [Secret], typed IPs (net.IP, netip.Addr)
//     and veil struct tags;
//  3. explicit key rules, the most specific first: exact path > path glob >
//     exact last segment > last-segment glob; longer patterns first, then the
//     order given;
//  4. the default sensitive keys;
//  5. sanitizers of well-known keys, then the detectors.
//
// Drop, Mask, Replace and Tokenize are final; after Truncate and Keep the
// detectors still run.
//
// # Strict mode
//
// [WithStrict] drops every attribute whose key path does not match an allow
// pattern (or carry an explicit rule other than Drop). Allowing a group
// allows everything inside it. Allowed values are still redacted as above;
// the message is kept and scanned. Dropped attributes leave no marker.
//
// # What is never emitted
//
// Values that cannot be inspected are replaced by a marker, never passed on:
// panicking LogValue, Error, String or MarshalJSON methods (whose panic
// text is not shown either), chains of LogValuers longer than 32, cyclic or
// too deep values ("[TRUNCATED: too deep]"), channels, functions, complex
// numbers and unsafe pointers ("[UNSUPPORTED chan]"), bytes that are not
// UTF-8 ("[BINARY n bytes]"). Strings longer than Limits.MaxString are cut at
// a word boundary; groups, maps and slices beyond Limits.MaxAttrs are cut with
// a "veil.omitted_attrs" count; past Limits.MaxRecord bytes per record,
// strings become "[TRUNCATED: record too large]".
//
// Errors, fmt.Stringers, json.Marshalers and encoding.TextMarshalers are
// formatted by the redactor and their text scanned; url.URL values are
// sanitized; time.Time and time.Duration pass unchanged.
//
// # Handlers
//
// Attributes given to WithAttrs are redacted once, when WithAttrs is called.
// WithGroup names are part of the key path that rules see. A record with
// nothing to redact is passed on as is, without allocation; otherwise a new
// record with the same time, level, message and PC is passed on, and the
// caller's record is never modified.
//
// # Pseudonymization
//
// Tokens are pseudonyms, not anonymous data: whoever holds the tokenization
// key can recompute them from a guess, and low-entropy identifiers (IPv4
// addresses, phone numbers) can be enumerated. Under the GDPR tokens remain
// personal data (Art. 4(5), Recital 26). Keep keys out of logs, rotate them,
// and treat tokenized logs as personal data.
package redact
