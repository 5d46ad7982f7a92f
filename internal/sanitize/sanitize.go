// Package sanitize cleans OpenTelemetry semantic-convention fields that carry
// user data inside otherwise useful structure: SQL statements (db.query.text,
// db.statement), URLs (url.full, url.query, http.url) and HTTP headers
// (http.request.header.*, http.response.header.*). [SQLParams] says which
// bind arguments of a statement stand for a given kind of column.
//
// Every function fails closed: input that cannot be understood well enough to
// keep its structure is replaced by a marker ([SQLMarker], [URLMarker]) rather
// than passed through. All functions are safe for concurrent use and need no
// setup.
package sanitize

// Markers returned in place of a value that cannot be sanitized safely.
const (
	// SQLMarker replaces a statement whose literals cannot be located with
	// confidence (too large, or lexed differently by the dialects it may be
	// written in). Passing the database system to [SQLFor] avoids the latter.
	SQLMarker = "[SQL]"
	// URLMarker replaces a URL that is too large to sanitize.
	URLMarker = "[URL]"
	// Redacted replaces userinfo parts and sensitive parameter values in URLs.
	Redacted = "REDACTED"
)

// MaxLen is the largest input, in bytes, that [SQL], [SQLFor] and [URL] will
// sanitize; longer input is replaced by its marker. Truncate long statements
// before sanitizing them if a shape is still wanted.
const MaxLen = 1 << 20
