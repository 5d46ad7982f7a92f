package redact

import (
	"strings"

	"github.com/veilhq/veil/internal/sanitize"
)

const (
	reqHeader  = "http.request.header."
	respHeader = "http.response.header."
)

// sanitizerFor returns the sanitizer for a well-known OpenTelemetry
// semantic-convention key, given the lower-cased path and last key; nil for
// other keys. Sanitized values still go through the detectors.
func sanitizerFor(path, key string) func(string) string {
	for _, k := range [...]string{path, key} {
		switch k {
		case "db.query.text", "db.statement":
			return sanitize.SQL
		case "url.full", "url.original", "http.url", "http.target":
			return sanitizeURL
		case "url.query":
			return sanitizeQuery
		}
		if name, ok := strings.CutPrefix(k, reqHeader); ok {
			return headerSanitizer(name)
		}
		if name, ok := strings.CutPrefix(k, respHeader); ok {
			return headerSanitizer(name)
		}
	}
	return nil
}

func sanitizeURL(u string) string { return sanitize.URL(u, nil) }

// sanitizeQuery sanitizes a bare query string ("a=1&token=x").
func sanitizeQuery(q string) string {
	out := sanitize.URL("?"+q, nil)
	if s, ok := strings.CutPrefix(out, "?"); ok {
		return s
	}
	return out
}

func headerSanitizer(name string) func(string) string {
	if !sanitize.DefaultHeaderDenied(name) && !isSensitiveKey(name) {
		return nil
	}
	return func(string) string { return Redacted }
}
