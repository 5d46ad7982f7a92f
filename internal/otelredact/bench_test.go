package otelredact

import (
	"context"
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/log/logtest"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func benchAttrs(dirty bool) []attribute.KeyValue {
	kvs := make([]attribute.KeyValue, 10)
	for i := range kvs {
		kvs[i] = attribute.String("attr."+strconv.Itoa(i), "value-"+strconv.Itoa(i))
	}
	if dirty {
		kvs[3] = attribute.String("user.email", canary)
	}
	return kvs
}

func cleanResource() *resource.Resource {
	return resource.NewWithAttributes("", attribute.String("service.name", "bench"))
}

// BenchmarkSpan measures span start+end with 10 attributes through a
// SimpleSpanProcessor and a no-op exporter, bare and behind Spans.
func BenchmarkSpan(b *testing.B) {
	for _, bc := range []struct {
		name        string
		veil, dirty bool
	}{{"bare", false, false}, {"veil/clean", true, false}, {"veil/dirty", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var proc sdktrace.SpanProcessor = sdktrace.NewSimpleSpanProcessor(tracetest.NewNoopExporter())
			if bc.veil {
				proc = NewSpans(&canaryPolicy{}).Processor(proc)
			}
			tp := sdktrace.NewTracerProvider(sdktrace.WithResource(cleanResource()), sdktrace.WithSpanProcessor(proc))
			defer func() { _ = tp.Shutdown(context.Background()) }()
			tr := tp.Tracer("bench")
			attrs := trace.WithAttributes(benchAttrs(bc.dirty)...)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				_, s := tr.Start(ctx, "op", attrs)
				s.End()
			}
		})
	}
}

// BenchmarkSpansRedact measures the redaction of an ended span alone.
func BenchmarkSpansRedact(b *testing.B) {
	for _, dirty := range []bool{false, true} {
		name := "clean"
		if dirty {
			name = "dirty"
		}
		b.Run(name, func(b *testing.B) {
			s := NewSpans(&canaryPolicy{})
			span := tracetest.SpanStub{Name: "op", Attributes: benchAttrs(dirty), Resource: cleanResource(),
				Events: []sdktrace.Event{{Name: "e", Attributes: benchAttrs(false)[:2]}}}.Snapshot()
			b.ReportAllocs()
			for b.Loop() {
				_, _ = s.Redact(span)
			}
		})
	}
}

// BenchmarkLogRecord measures OnEmit of a record with 10 attributes, bare
// (the next processor alone) and behind the log processor.
func BenchmarkLogRecord(b *testing.B) {
	for _, bc := range []struct {
		name        string
		veil, dirty bool
	}{{"bare", false, false}, {"veil/clean", true, false}, {"veil/dirty", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			var p sdklog.Processor = nopLogProcessor{}
			if bc.veil {
				p = NewLogProcessor(&canaryPolicy{}, p)
			}
			rec := logtest.RecordFactory{Body: attribute.StringValue("request served"), Attributes: benchAttrs(bc.dirty)}.NewRecord()
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				r := rec // a fresh record each time, as the SDK does
				_ = p.OnEmit(ctx, &r)
			}
		})
	}
}
