// Package oteltest holds what veil's tests of OpenTelemetry paths share: an
// in-memory log exporter, and dumps of every span and log-record field that
// can carry user data, so that a canary search sees all of them. Only tests
// import it.
package oteltest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// LogExporter is an sdklog.Exporter that keeps clones of the records it
// exports. It is safe for concurrent use.
type LogExporter struct {
	mu      sync.Mutex
	records []sdklog.Record
}

// Export keeps clones of rs.
func (e *LogExporter) Export(_ context.Context, rs []sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range rs {
		e.records = append(e.records, r.Clone())
	}
	return nil
}

// Records returns the records exported so far.
func (e *LogExporter) Records() []sdklog.Record {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.records[:len(e.records):len(e.records)]
}

// Reset forgets the records exported so far.
func (e *LogExporter) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.records = nil
}

// Shutdown does nothing.
func (e *LogExporter) Shutdown(context.Context) error { return nil }

// ForceFlush does nothing.
func (e *LogExporter) ForceFlush(context.Context) error { return nil }

// DumpValue renders v into b with byte slices as raw text, so that a canary
// hidden in bytes is visible to strings.Contains.
func DumpValue(b *strings.Builder, v attribute.Value) {
	switch v.Type() {
	case attribute.BYTESLICE:
		b.Write(v.AsByteSlice())
	case attribute.MAP:
		DumpAttrs(b, v.AsMap())
	case attribute.SLICE:
		for _, e := range v.AsSlice() {
			DumpValue(b, e)
			b.WriteByte(',')
		}
	default:
		b.WriteString(v.String())
	}
}

// DumpAttrs renders kvs into b, keys and values.
func DumpAttrs(b *strings.Builder, kvs []attribute.KeyValue) {
	b.WriteByte('{')
	for _, kv := range kvs {
		b.WriteString(string(kv.Key))
		b.WriteByte('=')
		DumpValue(b, kv.Value)
		b.WriteByte(' ')
	}
	b.WriteByte('}')
}

func dumpScope(b *strings.Builder, s instrumentation.Scope) {
	fmt.Fprintf(b, " scope=%s %s ", s.Name, s.Version)
	DumpAttrs(b, s.Attributes.ToSlice())
}

// DumpSpan renders every field of s that can carry user data.
func DumpSpan(s sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name=%s attrs=", s.Name())
	DumpAttrs(&b, s.Attributes())
	for _, e := range s.Events() {
		fmt.Fprintf(&b, " event=%s ", e.Name)
		DumpAttrs(&b, e.Attributes)
	}
	for _, l := range s.Links() {
		b.WriteString(" link=")
		DumpAttrs(&b, l.Attributes)
	}
	fmt.Fprintf(&b, " status=%s resource=", s.Status().Description)
	if r := s.Resource(); r != nil {
		DumpAttrs(&b, r.Attributes())
	}
	dumpScope(&b, s.InstrumentationScope())
	//lint:ignore SA1019 exporters may still call it.
	dumpScope(&b, s.InstrumentationLibrary())
	return b.String()
}

// DumpRecord renders every field of r that can carry user data.
func DumpRecord(r *sdklog.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "event=%s body=", r.EventName())
	DumpValue(&b, r.Body())
	b.WriteString(" attrs=")
	var kvs []attribute.KeyValue
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		kvs = append(kvs, kv)
		return true
	})
	DumpAttrs(&b, kvs)
	return b.String()
}
