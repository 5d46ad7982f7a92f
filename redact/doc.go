// Package redact removes secrets and tokenizes identifiers in everything a
// service logs, before the bytes leave the process.
//
// A [Redactor] is a compiled policy, built once with [New] and shared. The
// same policy is applied to every signal by its adapters:
// [Redactor.Handler] wraps any log/slog handler, [Redactor.SpanProcessor] and
// [Redactor.SpanExporter] redact OpenTelemetry spans, and
// [Redactor.LogProcessor] OpenTelemetry log records (see OpenTelemetry below).
//
//	r, err := redact.New(redact.WithTokenizer(t))
//	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, nil)))
//	logger.Info("login failed for alice@example.com", "password", pw)
//	// {"msg":"login failed for tok_k1_…","password":"[REDACTED]"}
//
// [Redactor.JSONHandler] is Handler and slog's JSON handler in one: it
// writes the bytes r.Handler(slog.NewJSONHandler(w, opts)) writes, encoding
// the record itself, in less time than slog's JSON handler alone takes.
//
// [Redactor.Redact] applies the detectors to a single string, as to a
// message.
//
// # Defaults
//
// With no options:
//
//   - Values under sensitive keys are replaced by "[REDACTED]". A key is
//     normalized once (lower-cased; "-", "_", "." and spaces removed, so
//     "API-Key", "api_key" and "apiKey" are the same key) and its last path
//     segment compared with: password, passwd, pwd, secret, token,
//     access_token, refresh_token, api_key, authorization, auth, cookie, cookies,
//     set-cookie, session, session_id, ssn, card, card_number, cvv, cvc, pin,
//     private_key, client_secret, credentials, passphrase, otp, iban, and
//     passcode, pin_code, security_code, secret_key_base, one-time codes
//     (mfa_code, otp_code, totp, verification_code, recovery_codes,
//     backup_codes, …); keys
//     ending in password, secret, token, api_key, access_key, secret_key,
//     signing_key, encryption_key, account_key, master_key, hmac_key,
//     private_key, credentials, cookie, password_hash, password_digest,
//     subscription_key, license_key, application_key, …
//     ("db_password", "stripeApiKey", "x-auth-token",
//     "aws_secret_access_key") too. A
//     sensitive key holding a group or struct is replaced whole.
//   - Every built-in detector runs over the message, every string value and
//     every key. Only the matched span is rewritten:
//     "login failed for [EMAIL] from [IP]".
//   - Identifiers (email, phone, IP) become tokens when a tokenizer is
//     configured with [WithTokenizer], typed placeholders otherwise.
//     Secrets (keys, JWTs, passwords in URLs), payment data (cards, IBANs) and
//     government ids are always replaced by a placeholder, never tokenized.
//     A string or integer under a phone or e-mail key name (phone,
//     phone_number, mobile, msisdn, tel, telephone, cellphone, email,
//     email_address; any case and separator, last path segment) that no
//     detector matches is such an identifier all the same ("phone":
//     "4155550132"). With a tokenizer a value they match is rewritten by
//     them, so its tokens are those of the same identifier anywhere else;
//     without one the whole value is the key's placeholder ("[PHONE]").
//   - Well-known OpenTelemetry keys are sanitized: db.query.text and
//     db.statement literals become "?" (the arguments of Redis commands
//     that carry a password too), url.full/url.original/http.url/
//     http.target/url.query lose userinfo, sensitive parameters and the
//     tokens of password-reset, confirmation, invitation and magic-link
//     paths ("/reset/<token>"), and
//     http.request.header.* / http.response.header.* values of sensitive
//     headers are replaced.
//   - Strings that already are veil tokens or placeholders are left alone, so
//     redacting twice changes nothing.
//
// # Rules
//
// [WithRule] pairs a [Matcher] with an [Action]. [Key] matches attribute keys
// (case-insensitive; last segment, full group path such as "user.email", or
// globs such as "*.card" and "http.**.cookie"). [Detector] overrides the
// replacement of one detector's matches; it takes [Replace], [Mask] or
// [Tokenize] only. Actions are [Drop], [Mask], [Replace], [Tokenize],
// [Truncate] and [Keep], and the generalization and noise actions below.
// [WithDetectors] and [WithoutDetectors] choose detectors by name;
// [WithLimits] bounds the work per record; [WithStrict] switches to an
// allowlist. [New] reports every invalid option at once.
//
// # Generalization and noise
//
// Some values are useful coarse: a key rule can keep an approximation instead
// of removing the value.
//
//   - [Bucket](width) turns a number into the bucket holding it ("30-39").
//   - [Round](step) rounds a number to a multiple of step (1234 → 1200).
//   - [IPPrefix](v4Bits, v6Bits) keeps an address's network prefix
//     ("203.0.113.0/24").
//   - [Coarsen](unit) truncates a timestamp (time values, RFC 3339 strings,
//     Unix timestamps) or a duration to a multiple of unit.
//   - [Noise](epsilon, lo, hi) adds random noise to numbers clamped to
//     [lo, hi]: discrete Laplace noise to integers, the snapping mechanism to
//     floats (see package noise for what that does and does not protect).
//     Randomness comes from crypto/rand; [WithNoiseRand] fixes it for tests.
//     A value whose noise cannot be drawn is replaced by a marker.
//
// Numeric strings are parsed; a value of the wrong kind under such a rule is
// replaced by "[REDACTED]", and so is a group or struct. Bucket, Round,
// IPPrefix and Coarsen give the same result when applied twice, so a value
// that crosses two veil adapters (the slog handler, then the log processor
// of an otelslog bridge) is unchanged by the second. Noise is not: each
// adapter draws fresh noise, which adds up and spends the privacy budget
// twice. Apply a Noise rule in one place only, with a separate [Redactor]
// (without that rule) for the other adapter.
//
// # Struct tags
//
// Structs and maps are emitted as groups, walked through a plan built once per
// type. Fields are named as encoding/json names them (json:"name",
// json:"-"); unexported fields are skipped. A field whose Go name is a
// sensitive key stays sensitive under a json name that is not
// (Password string `json:"pw"` is "[REDACTED]"). The veil tag sets the action
// of a field:
//
//	Password string `veil:"drop"`        // or "-": never emitted
//	Card     string `veil:"mask=4"`      // "****4242"; "mask" hides all
//	Email    string `veil:"token=email"` // tokenized (placeholder without tokenizer)
//	Count    int    `veil:"keep"`        // exempt from key rules; detectors still run
//
// An unknown tag value replaces the field by "[REDACTED]" (fail closed).
//
// Slices and arrays are emitted as lists; their elements share the slice's
// key path. A list of interfaces may be key-value pairs, as a wrapper that
// logs its ...any arguments as one value passes them
// ([]any{"user", "bob", "password", "x"}): the element after a sensitive key
// at an even index is "[REDACTED]". A list of strings that is a command line
// (exec.Cmd.Args) has the values of its secret options replaced.
//
// An entry is a group, struct or map that names a setting in one member and
// holds its value in another, as Kubernetes' EnvVar, AWS tags and parameters
// and HAR headers are shaped: when its name member (name, key, field,
// ParameterKey, ParameterName, in any case) is a string that is a sensitive
// key name, the value member after it (value, ParameterValue) is
// "[REDACTED]" as under that key: {Name: "DB_PASSWORD", Value: "x"}. This
// holds among a record's attributes too ("name", "DB_PASSWORD", "value",
// "x"), in OpenTelemetry maps, and in text in JSON, YAML and XML
// attributes (see the detectors).
//
// A query logger writes a statement's bind arguments beside it, as pgx's
// tracer does: "sql", "INSERT INTO users (name, password) VALUES ($1, $2)",
// "args", []any{"bob", "x"}. Each argument alone shows nothing; the
// argument bound in the place of a sensitive column (an INSERT's value in
// that column, or compared with or assigned to it: "password = $2") is
// "[REDACTED]". The statement is a string under sql, query, statement,
// stmt, db.statement or db.query.text, its arguments a list under args,
// arguments, params, parameters, binds, bindvars or bindargs, in the same
// record (in any order), group, struct, map or list of OpenTelemetry
// attributes; $n, '?' and @pN are counted, named parameters are not. A
// statement given to With serves the argument lists of the records logged
// through that logger, at its group, that have no statement of their own
// (logger.With("sql", q) for one query, then its arguments record by
// record); arguments given to With are redacted then, without the
// statements of later records. A record with an argument list is always
// rebuilt, so that its statement can be read.
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
// Drop, Mask, Replace, Tokenize and the generalization and noise actions
// are final: their result is emitted without running the detectors. After
// Truncate and Keep the detectors still run. A rule on a key that holds a
// group, struct or map applies to it whole (Drop removes it, the others
// replace it), except Truncate and Keep, which let it be walked. [Detector]
// rules only change what a detector's match becomes.
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
// Errors, fmt.Stringers, fmt.Formatters (as %v shows them),
// json.Marshalers and encoding.TextMarshalers are formatted by the redactor
// and their text scanned; url.URL values are sanitized; time.Time and
// time.Duration pass unchanged. Integers and floats of 12 digits or more are
// scanned as text (a card or phone number logged as a number); map keys of
// any type, map[any]any's included, are keys that rules see. A private key of
// the standard library (*rsa.PrivateKey, *ecdsa.PrivateKey,
// ed25519.PrivateKey, *ecdh.PrivateKey) is "[REDACTED]" wherever it is, as a
// Secret is, and so are an http.Cookie and a url.Userinfo; a
// context.Context is not emitted (its String shows the values it carries). A struct logged by value whose
// methods are its pointer's (a String or LogValue on *T) is formatted by them. An http.Header
// or url.Values has the values of sensitive header and parameter names
// replaced, as the sanitizers above do.
//
// # Handlers
//
// Attributes given to WithAttrs are redacted once, when WithAttrs is called.
// WithGroup names are part of the key path that rules see. A record with
// nothing to redact is passed on as is, without allocation; otherwise a new
// record with the same time, level, message and PC is passed on, and the
// caller's record is never modified. The groups made from the struct values
// of a record take one allocation, or none when the next handler is the
// standard library's JSONHandler or TextHandler, or JSONHandler's own
// encoder, which keep nothing of a record after Handle: their memory is
// then cleared and reused.
//
// A Redactor remembers up to 512 texts of at most 256 bytes in which the
// detectors found nothing (messages, span names, values such as HTTP
// methods and routes), each the second time it is seen in a row, and does
// not scan them again: a text's scan depends on nothing but the text. A hit
// compares the whole text with the remembered copy, never its address, so a
// string built over a reused buffer is scanned when its content changes.
// Key rules, sensitive keys and sanitizers are applied as always.
//
// # OpenTelemetry
//
// [Redactor.SpanProcessor] wraps the span processor that exports (usually a
// batch processor) and hands it a redacted, read-only view of each ended
// span; [Redactor.SpanExporter] does the same around an exporter (use one or
// the other). The span name, attributes (nested maps and slices included),
// event names and attributes (exception.message and exception.stacktrace
// among them), link attributes, the status description, and the resource
// and instrumentation-scope attributes are redacted; the span context,
// parent, kind and times are not. The SDK's span is never modified, so other
// processors see the original, and a span with nothing to redact is passed
// on without a copy. Resource and scope attributes are redacted once per
// resource and scope, and are kept (and scanned) in strict mode.
//
// [Redactor.LogProcessor] redacts each OpenTelemetry log record in place —
// event name, body (string, map or slice) and attributes, including the
// exception.* attributes derived from an error — before calling the
// processor it wraps; register it in front of the one that exports. The log
// SDK offers no way to replace a record's resource, so no processor can
// redact it: give the LoggerProvider one redacted by [Redactor.Resource].
//
// Attribute keys are key paths as in slog ("user.email" for the key "email"
// inside the map attribute "user", or for the dotted key itself), so the
// same rules, default sensitive keys and sanitizers apply to every signal.
//
// # Metrics
//
// [WithMeterProvider] counts what is redacted with the counter
// veil.redactions of the meter "github.com/veilhq/veil/redact", by rule
// (veil.rule), action (veil.action), detector (veil.detector) and signal
// (veil.signal: "log" for slog records, "span", "event", "link",
// "log_record", "resource", "scope"). The attributes come from the
// configuration, never from the data, and nothing is counted for values that
// need no redaction. A dashboard on it shows how much sensitive data a
// service tries to emit, and from where.
//
// # Pseudonymization
//
// Tokens are pseudonyms, not anonymous data: whoever holds the tokenization
// key can recompute them from a guess, and low-entropy identifiers (IPv4
// addresses, phone numbers) can be enumerated. Under the GDPR tokens remain
// personal data (Art. 4(5), Recital 26). Keep keys out of logs, rotate them,
// and treat tokenized logs as personal data.
package redact
