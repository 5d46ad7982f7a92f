package otelredact

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Processor returns a span processor that hands next the redacted view of
// every ended span. OnStart, ForceFlush and Shutdown are forwarded as they
// are. A span on which the policy fails is dropped and reported to the error
// handler. A nil next discards everything.
func (s *Spans) Processor(next sdktrace.SpanProcessor) sdktrace.SpanProcessor {
	return &spanProcessor{spans: s, next: next}
}

type spanProcessor struct {
	spans *Spans
	next  sdktrace.SpanProcessor
}

func (p *spanProcessor) OnStart(parent context.Context, s sdktrace.ReadWriteSpan) {
	if p.next != nil {
		p.next.OnStart(parent, s)
	}
}

func (p *spanProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	if p.next == nil {
		return
	}
	out, err := p.spans.Redact(s)
	if err != nil {
		p.spans.cfg.onError(err)
		return
	}
	if out != nil {
		p.next.OnEnd(out)
	}
}

func (p *spanProcessor) Shutdown(ctx context.Context) error {
	if p.next == nil {
		return nil
	}
	return p.next.Shutdown(ctx)
}

func (p *spanProcessor) ForceFlush(ctx context.Context) error {
	if p.next == nil {
		return nil
	}
	return p.next.ForceFlush(ctx)
}

// Exporter returns a span exporter that exports the redacted views of the
// spans it is given through next; Shutdown is forwarded. Spans on which the
// policy fails are left out of the batch and reported to the error handler.
// The slice given to ExportSpans is never modified. A nil next discards
// everything.
func (s *Spans) Exporter(next sdktrace.SpanExporter) sdktrace.SpanExporter {
	return &spanExporter{spans: s, next: next}
}

type spanExporter struct {
	spans *Spans
	next  sdktrace.SpanExporter
}

func (e *spanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.next == nil {
		return nil
	}
	var out []sdktrace.ReadOnlySpan // allocated on the first change
	for i, s := range spans {
		r, changed, err := e.spans.apply(s)
		if err != nil {
			e.spans.cfg.onError(err)
		}
		if !changed && out == nil {
			continue
		}
		if out == nil {
			out = make([]sdktrace.ReadOnlySpan, i, len(spans))
			copy(out, spans[:i])
		}
		if r != nil {
			out = append(out, r)
		}
	}
	if out == nil {
		out = spans
	}
	return e.next.ExportSpans(ctx, out)
}

func (e *spanExporter) Shutdown(ctx context.Context) error {
	if e.next == nil {
		return nil
	}
	return e.next.Shutdown(ctx)
}
