// Package sanitize cleans well-known fields: SQL statements, URLs and HTTP headers.
//
// STUB: signatures fixed for other packages; the sanitize helper replaces the bodies.
package sanitize

// SQL returns q with every literal replaced by "?".
func SQL(q string) string { return q }

// URL returns u with userinfo replaced by REDACTED:REDACTED and the values of
// query parameters for which sensitive(name) is true replaced by REDACTED.
// A nil sensitive uses DefaultSensitiveParam.
func URL(u string, sensitive func(name string) bool) string { return u }

// DefaultSensitiveParam reports whether a query parameter name is sensitive by default.
func DefaultSensitiveParam(name string) bool { return false }

// DefaultHeaderDenied reports whether an HTTP header is removed by default
// (Authorization, Cookie, Set-Cookie, Proxy-Authorization, ...).
func DefaultHeaderDenied(name string) bool { return false }
