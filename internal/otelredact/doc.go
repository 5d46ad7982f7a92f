// Package otelredact applies a redaction [Policy] to OpenTelemetry traces and
// logs before any exporter sees them.
//
// It is the signal plumbing behind the SpanProcessor, SpanExporter and
// LogProcessor methods of veil's redact.Redactor: the Redactor decides what a
// value becomes (it implements [Policy]); this package decides where values
// are found and how they are replaced without disturbing the SDK.
//
// # Spans
//
// The OpenTelemetry trace SDK hands every span processor the same read-only
// snapshot of an ended span, and the attribute slice of that snapshot is
// shared with the span itself. Redaction therefore never writes to what the
// SDK hands out. [Spans.Redact] returns the span unchanged when the policy
// changes nothing (no copy, no allocation) and otherwise a view that embeds
// the original span and overrides only Name, Attributes, Events, Links,
// Status, Resource and InstrumentationScope. The span context, parent, kind,
// times and dropped counts come from the original, so samplers and the batch
// processor treat the view exactly like the span.
//
// Resource and instrumentation-scope attributes are redacted once per
// resource (by pointer) and per scope, not once per span.
//
// # Logs
//
// A log processor receives a *sdklog.Record that later processors see in turn,
// so [NewLogProcessor] redacts the record in place (event name, body and
// attributes, including the exception.* attributes the SDK derives from an
// error) and then calls the next processor. Register it in front of the batch
// processor that exports the records.
//
// The log SDK offers no way to replace a record's resource; redact a
// resource before giving it to the LoggerProvider.
//
// # Nested values
//
// Attribute values may be maps and slices of values: a Policy walks them
// itself (redact's policy walks them with its slog decisions, key paths
// included) and rebuilds only the parts that change.
package otelredact
