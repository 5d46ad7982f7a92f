package otelredact

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// view is a redacted, read-only view of an ended span. It embeds the
// original span for everything redaction leaves alone (span context, parent,
// kind, times, dropped counts, child count) and holds its own copies of what
// the policy changed. The original span is never written to.
type view struct {
	sdktrace.ReadOnlySpan

	name   string
	attrs  []attribute.KeyValue
	events []sdktrace.Event
	links  []sdktrace.Link
	status sdktrace.Status
	res    *resource.Resource
	scope  instrumentation.Scope
}

// newView returns a view showing exactly what span shows.
func newView(span sdktrace.ReadOnlySpan) *view {
	return &view{
		ReadOnlySpan: span,
		name:         span.Name(),
		attrs:        span.Attributes(),
		events:       span.Events(),
		links:        span.Links(),
		status:       span.Status(),
		res:          span.Resource(),
		scope:        span.InstrumentationScope(),
	}
}

func (v *view) Name() string                                { return v.name }
func (v *view) Attributes() []attribute.KeyValue            { return v.attrs }
func (v *view) Events() []sdktrace.Event                    { return v.events }
func (v *view) Links() []sdktrace.Link                      { return v.links }
func (v *view) Status() sdktrace.Status                     { return v.status }
func (v *view) Resource() *resource.Resource                { return v.res }
func (v *view) InstrumentationScope() instrumentation.Scope { return v.scope }

// InstrumentationLibrary returns the same as InstrumentationScope: exporters
// that still call it must see the redacted scope too.
//
//lint:ignore SA1019 the deprecated method is part of sdktrace.ReadOnlySpan.
func (v *view) InstrumentationLibrary() instrumentation.Library { return v.scope }
