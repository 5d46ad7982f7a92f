package redact

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/log/logtest"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// benchSpanAttrs are 10 typical span attributes; dirty ones carry an e-mail
// address and a password.
func benchSpanAttrs(dirty bool) []attribute.KeyValue {
	kvs := []attribute.KeyValue{
		attribute.String("http.request.method", "GET"),
		attribute.String("url.path", "/api/v1/orders"),
		attribute.Int("http.response.status_code", 200),
		attribute.String("server.address", "api.internal"),
		attribute.Int("server.port", 8443),
		attribute.String("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"),
		attribute.String("network.protocol.version", "1.1"),
		attribute.Int64("order.count", 3),
		attribute.Bool("cache.hit", true),
		attribute.String("app.region", "eu-west-1"),
	}
	if dirty {
		kvs[5] = attribute.String("user.email", "alice@example.com")
		kvs[9] = attribute.String("password", "hunter2")
	}
	return kvs
}

// BenchmarkSpan is span start+end with 10 attributes through a
// SimpleSpanProcessor and a no-op exporter: bare, and behind
// Redactor.SpanProcessor with clean and dirty attributes.
func BenchmarkSpan(b *testing.B) {
	r := mustNew(b)
	res := resource.NewWithAttributes("", attribute.String("service.name", "bench"))
	for _, bc := range []struct {
		name        string
		veil, dirty bool
	}{{"bare", false, false}, {"veil/clean", true, false}, {"veil/dirty", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var sp sdktrace.SpanProcessor = sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())
			if bc.veil {
				sp = r.SpanProcessor(sp)
			}
			tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSpanProcessor(sp))
			defer func() { _ = tp.Shutdown(context.Background()) }()
			tr := tp.Tracer("bench")
			opt := trace.WithAttributes(benchSpanAttrs(bc.dirty)...)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				_, s := tr.Start(ctx, "GET /api/v1/orders", opt)
				s.End()
			}
		})
	}
}

// nopProcessor is the end of the log pipeline in benchmarks.
type nopProcessor struct{}

func (nopProcessor) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (nopProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (nopProcessor) Shutdown(context.Context) error                         { return nil }
func (nopProcessor) ForceFlush(context.Context) error                       { return nil }

// BenchmarkLogRecord is OnEmit of a log record with a body and 10
// attributes: bare (the next processor alone) and behind
// Redactor.LogProcessor.
func BenchmarkLogRecord(b *testing.B) {
	r := mustNew(b)
	for _, bc := range []struct {
		name        string
		veil, dirty bool
	}{{"bare", false, false}, {"veil/clean", true, false}, {"veil/dirty", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var p sdklog.Processor = nopProcessor{}
			if bc.veil {
				p = r.LogProcessor(p)
			}
			rec := logtest.RecordFactory{Body: attribute.StringValue("order served in 12ms"),
				Attributes: benchSpanAttrs(bc.dirty)}.NewRecord()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				rc := rec // a fresh record each time, as the SDK makes one per Emit
				_ = p.OnEmit(ctx, &rc)
			}
		})
	}
}

// BenchmarkOTelAttrs is the policy alone on the 10 span attributes.
func BenchmarkOTelAttrs(b *testing.B) {
	for _, dirty := range []bool{false, true} {
		name := "clean"
		if dirty {
			name = "dirty"
		}
		b.Run(name, func(b *testing.B) {
			p := mustNew(b).otelPolicy()
			kvs := benchSpanAttrs(dirty)
			b.ReportAllocs()
			for b.Loop() {
				p.Attrs(1, kvs)
			}
		})
	}
}

// BenchmarkSpanRedact is the redaction of an ended span alone (what
// SpanProcessor adds to the pipeline in BenchmarkSpan), on a snapshot with
// the same name, attributes and resource.
func BenchmarkSpanRedact(b *testing.B) {
	res := resource.NewWithAttributes("", attribute.String("service.name", "bench"))
	for _, dirty := range []bool{false, true} {
		name := "clean"
		if dirty {
			name = "dirty"
		}
		b.Run(name, func(b *testing.B) {
			s := mustNew(b).spans()
			span := tracetest.SpanStub{Name: "GET /api/v1/orders", Attributes: benchSpanAttrs(dirty),
				Resource: res}.Snapshot()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Redact(span); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
