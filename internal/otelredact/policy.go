package otelredact

import "go.opentelemetry.io/otel/attribute"

// Signal names the place a value was found in. Policies use it to label what
// they redacted and may apply different rules per signal.
type Signal uint8

// Signals.
const (
	Span      Signal = iota + 1 // span name, attributes and status description
	Event                       // span event name and attributes
	Link                        // span link attributes
	LogRecord                   // log record event name, body and attributes
	Resource                    // resource attributes
	Scope                       // instrumentation-scope attributes
)

var signalNames = [...]string{
	Span:      "span",
	Event:     "event",
	Link:      "link",
	LogRecord: "log_record",
	Resource:  "resource",
	Scope:     "scope",
}

// String returns the signal's lower-case name, e.g. "span" or "log_record",
// suitable as a metric attribute value.
func (s Signal) String() string {
	if int(s) < len(signalNames) && signalNames[s] != "" {
		return signalNames[s]
	}
	return "unknown"
}

// Policy decides what values become. Implementations must be safe for
// concurrent use and must never modify the slices and values they are given.
//
// Every method reports whether it changed anything; when it did not, it
// returns its input itself so that a clean span or record costs no copy.
type Policy interface {
	// Attrs returns kvs redacted. Nested MAP and SLICE values are part of
	// the attribute.
	Attrs(sig Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool)
	// Value returns v redacted. v has no key: it is a log record body.
	Value(sig Signal, v attribute.Value) (attribute.Value, bool)
	// Text returns s redacted. s is a span name, an event name, a status
	// description or a log record's event name.
	Text(sig Signal, s string) (string, bool)
}
