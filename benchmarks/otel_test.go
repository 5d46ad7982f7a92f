package benchmarks

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/redact"
)

// discardSpans is a span exporter that drops what it is given.
type discardSpans struct{}

func (discardSpans) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardSpans) Shutdown(context.Context) error                             { return nil }

// discardLogs is a log exporter that drops what it is given.
type discardLogs struct{}

func (discardLogs) Export(context.Context, []sdklog.Record) error { return nil }
func (discardLogs) Shutdown(context.Context) error                { return nil }
func (discardLogs) ForceFlush(context.Context) error              { return nil }

// spanAttrs are ten attributes of a typical server span, nothing to redact.
var spanAttrs = []attribute.KeyValue{
	attribute.String("http.request.method", "GET"),
	attribute.String("http.route", "/api/v2/orders/{id}"),
	attribute.String("url.path", "/api/v2/orders/48213377"),
	attribute.String("url.scheme", "https"),
	attribute.String("server.address", "api.example.com"),
	attribute.Int("server.port", 443),
	attribute.Int("http.response.status_code", 200),
	attribute.String("network.protocol.version", "1.1"),
	attribute.String("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"),
	attribute.Int64("http.response.body.size", 5821),
}

// spanPIIAttrs are ten attributes of which three carry personal data.
var spanPIIAttrs = []attribute.KeyValue{
	attribute.String("http.request.method", "POST"),
	attribute.String("http.route", "/api/v2/login"),
	attribute.String("url.full", "https://api.example.com/api/v2/login?email="+canaryEmail+"&next=/home"),
	attribute.String("db.query.text", "SELECT id FROM users WHERE email = '"+canaryEmail+"'"),
	attribute.String("enduser.email", canaryEmail),
	attribute.Int("server.port", 443),
	attribute.Int("http.response.status_code", 401),
	attribute.String("network.protocol.version", "1.1"),
	attribute.String("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"),
	attribute.Int64("http.response.body.size", 12),
}

// tracerSides are the bare SDK pipeline (SimpleSpanProcessor → exporter) and
// the same pipeline behind veil's SpanProcessor.
func tracerSides(tb testing.TB, exp sdktrace.SpanExporter) map[string]trace.Tracer {
	r, err := redact.New()
	if err != nil {
		tb.Fatal(err)
	}
	bare := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)))
	veil := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
	tb.Cleanup(func() {
		_ = bare.Shutdown(context.Background())
		_ = veil.Shutdown(context.Background())
	})
	return map[string]trace.Tracer{"bare": bare.Tracer("bench"), "veil": veil.Tracer("bench")}
}

// BenchmarkSpan starts and ends a span with ten attributes through a
// SimpleSpanProcessor and an exporter that discards, bare and with veil.
func BenchmarkSpan(b *testing.B) {
	tracers := tracerSides(b, discardSpans{})
	for _, in := range []struct {
		name  string
		attrs []attribute.KeyValue
	}{{"clean", spanAttrs}, {"pii", spanPIIAttrs}} {
		for _, side := range []string{"bare", "veil"} {
			b.Run("span="+in.name+"/side="+side, func(b *testing.B) {
				tr := tracers[side]
				opt := trace.WithAttributes(in.attrs...)
				b.ReportAllocs()
				for b.Loop() {
					_, span := tr.Start(ctx, "GET /api/v2/orders/{id}", opt)
					span.End()
				}
			})
		}
	}
}

// loggerSides are the bare sdk/log pipeline (SimpleProcessor → exporter) and
// the same pipeline behind veil's LogProcessor.
func loggerSides(tb testing.TB, exp sdklog.Exporter) map[string]otellog.Logger {
	r, err := redact.New()
	if err != nil {
		tb.Fatal(err)
	}
	bare := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(exp)))
	veil := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
	tb.Cleanup(func() {
		_ = bare.Shutdown(context.Background())
		_ = veil.Shutdown(context.Background())
	})
	return map[string]otellog.Logger{"bare": bare.Logger("bench"), "veil": veil.Logger("bench")}
}

func logRecord(body string, kvs ...attribute.KeyValue) otellog.Record {
	var rec otellog.Record
	rec.SetSeverity(otellog.SeverityInfo)
	rec.SetBody(attribute.StringValue(body))
	rec.AddAttributes(kvs...)
	return rec
}

var (
	cleanLogRecord = logRecord("request handled",
		attribute.String("http.request.method", "GET"), attribute.String("url.path", "/api/v2/orders/48213377"),
		attribute.Int("http.response.status_code", 200), attribute.Int64("http.response.body.size", 5821),
		attribute.String("request_id", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c"))
	piiLogRecord = logRecord("login failed for "+canaryEmail,
		attribute.String("http.request.method", "POST"), attribute.String("url.path", "/api/v2/login"),
		attribute.Int("http.response.status_code", 401), attribute.String("password", canaryPassword),
		attribute.String("request_id", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c"))
)

// BenchmarkLogRecord emits one record with five attributes through sdk/log
// with a SimpleProcessor and an exporter that discards, bare and with veil's
// LogProcessor.
func BenchmarkLogRecord(b *testing.B) {
	loggers := loggerSides(b, discardLogs{})
	for _, in := range []struct {
		name string
		rec  otellog.Record
	}{{"clean", cleanLogRecord}, {"pii", piiLogRecord}} {
		for _, side := range []string{"bare", "veil"} {
			b.Run("rec="+in.name+"/side="+side, func(b *testing.B) {
				l := loggers[side]
				b.ReportAllocs()
				for b.Loop() {
					l.Emit(ctx, in.rec)
				}
			})
		}
	}
}
