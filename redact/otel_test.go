package redact

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/internal/oteltest"
)

// spanPositions place value v, under key k where a key exists, in every part
// of a span that can carry user data. detectorOnly positions have no key and
// are skipped for the password canary, which only its key reveals.
var spanPositions = []struct {
	name         string
	detectorOnly bool
	emit         func(tr trace.Tracer, k, v string)
}{
	{"name", true, func(tr trace.Tracer, k, v string) { _, s := tr.Start(ctx0, "lookup "+v); s.End() }},
	{"attr", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.String(k, v)))
		s.End()
	}},
	{"attr in text", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.String("note", "user "+v+" did it")))
		s.End()
	}},
	{"nested map", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.Map("user", attribute.String("id", "7"),
			attribute.Map("contact", attribute.String(k, v)))))
		s.End()
	}},
	{"string slice", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.StringSlice(k, []string{"ok", v})))
		s.End()
	}},
	{"slice of values", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.Slice("items", attribute.IntValue(1),
			attribute.MapValue(attribute.String(k, v)))))
		s.End()
	}},
	{"bytes", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.ByteSlice(k, []byte(v))))
		s.End()
	}},
	{"map key", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op", trace.WithAttributes(attribute.Map("visits", attribute.Int(v, 3))))
		s.End()
	}},
	{"event name", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op")
		s.AddEvent("lookup " + v)
		s.End()
	}},
	{"event attr", false, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op")
		s.AddEvent("lookup", trace.WithAttributes(attribute.String(k, v)))
		s.End()
	}},
	{"RecordError message", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op")
		s.RecordError(errors.New("no user "+v), trace.WithStackTrace(true))
		s.End()
	}},
	{"exception stacktrace", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op")
		s.AddEvent("exception", trace.WithAttributes(attribute.String("exception.stacktrace",
			"goroutine 1 [running]:\nmain.lookup({0x4b, \""+v+"\"})\n\t/app/main.go:12")))
		s.End()
	}},
	{"recovered panic", true, func(tr trace.Tracer, k, v string) {
		defer func() { _ = recover() }()
		_, s := tr.Start(ctx0, "op")
		defer s.End(trace.WithStackTrace(true))
		panic("boom " + v)
	}},
	{"link attr", false, func(tr trace.Tracer, k, v string) {
		_, other := tr.Start(ctx0, "other")
		other.End()
		_, s := tr.Start(ctx0, "op", trace.WithLinks(trace.Link{SpanContext: other.SpanContext(),
			Attributes: []attribute.KeyValue{attribute.String(k, v)}}))
		s.End()
	}},
	{"status description", true, func(tr trace.Tracer, k, v string) {
		_, s := tr.Start(ctx0, "op")
		s.SetStatus(codes.Error, "failed for "+v)
		s.End()
	}},
}

var ctx0 = context.Background()

// spanSetups wire a Redactor into a tracer provider.
var spanSetups = []struct {
	name string
	opt  func(r *Redactor, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption
}{
	{"simple", func(r *Redactor, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
		return sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)))
	}},
	{"batch", func(r *Redactor, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
		return sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewBatchSpanProcessor(exp)))
	}},
	{"exporter", func(r *Redactor, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
		return sdktrace.WithSyncer(r.SpanExporter(exp))
	}},
}

func TestSpanCanaries(t *testing.T) {
	n := 0
	for _, cfg := range []struct {
		name string
		opts []Option
	}{{"defaults", nil}, {"tokenizer", []Option{WithTokenizer(testTokenizer(t))}}} {
		r := mustNew(t, cfg.opts...)
		for _, setup := range spanSetups {
			for _, c := range canaries {
				// Resource and scope carry the canary in every run.
				res := resource.NewWithAttributes("", attribute.String("service.name", "svc"), attribute.String(c.key, c.value))
				for _, p := range spanPositions {
					if p.detectorOnly && c.key == "password" {
						continue
					}
					n++
					exp := tracetest.NewInMemoryExporter()
					tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), setup.opt(r, exp))
					tr := tp.Tracer("veil.test", trace.WithInstrumentationAttributes(attribute.String(c.key, c.value)))
					p.emit(tr, c.key, c.value)
					_ = tp.ForceFlush(ctx0)
					spans := exp.GetSpans().Snapshots()
					if len(spans) == 0 {
						t.Fatalf("%s/%s/%s/%s: no span", cfg.name, setup.name, c.name, p.name)
					}
					for _, s := range spans {
						if l := leaked(oteltest.DumpSpan(s), c.value); l != nil {
							t.Errorf("%s/%s/%s/%s: leaked %q in %s", cfg.name, setup.name, c.name, p.name, l, oteltest.DumpSpan(s))
						}
					}
					_ = tp.Shutdown(ctx0)
				}
			}
		}
	}
	t.Logf("%d span canary cases ran", n)
}

// TestSpanCanariesControl proves the dump finds every canary when veil is
// not in the pipeline.
func TestSpanCanariesControl(t *testing.T) {
	for _, c := range canaries {
		for _, p := range spanPositions {
			if p.detectorOnly && c.key == "password" {
				continue
			}
			exp := tracetest.NewInMemoryExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
			p.emit(tp.Tracer("t"), c.key, c.value)
			var all strings.Builder
			for _, s := range exp.GetSpans().Snapshots() {
				all.WriteString(oteltest.DumpSpan(s))
			}
			if leaked(all.String(), c.value) == nil {
				t.Errorf("%s/%s: control has no canary: %s", c.name, p.name, all.String())
			}
		}
	}
}

// logPositions place value v in every part of a log record.
var logPositions = []struct {
	name         string
	detectorOnly bool
	set          func(r *log.Record, k, v string)
}{
	{"body string", true, func(r *log.Record, k, v string) { r.SetBody(attribute.StringValue("login by " + v)) }},
	{"body map", false, func(r *log.Record, k, v string) {
		r.SetBody(attribute.MapValue(attribute.Map("user", attribute.String(k, v))))
	}},
	{"body slice", true, func(r *log.Record, k, v string) {
		r.SetBody(attribute.SliceValue(attribute.StringValue("ok"), attribute.StringValue(v)))
	}},
	{"attr", false, func(r *log.Record, k, v string) { r.AddAttributes(attribute.String(k, v)) }},
	{"nested attr", false, func(r *log.Record, k, v string) {
		r.AddAttributes(attribute.Map("req", attribute.Slice("items", attribute.MapValue(attribute.String(k, v)))))
	}},
	{"error", true, func(r *log.Record, k, v string) { r.SetErr(fmt.Errorf("lookup %s: not found", v)) }},
	{"event name", true, func(r *log.Record, k, v string) { r.SetEventName("user " + v) }},
}

func TestLogRecordCanaries(t *testing.T) {
	for _, cfg := range []struct {
		name string
		opts []Option
	}{{"defaults", nil}, {"tokenizer", []Option{WithTokenizer(testTokenizer(t))}}} {
		r := mustNew(t, cfg.opts...)
		for _, c := range canaries {
			for _, p := range logPositions {
				if p.detectorOnly && c.key == "password" {
					continue
				}
				exp := &oteltest.LogExporter{}
				lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
				var rec log.Record
				p.set(&rec, c.key, c.value)
				lp.Logger("t").Emit(ctx0, rec)
				if len(exp.Records()) != 1 {
					t.Fatalf("%s/%s/%s: %d records", cfg.name, c.name, p.name, len(exp.Records()))
				}
				if d := oteltest.DumpRecord(&exp.Records()[0]); leaked(d, c.value) != nil {
					t.Errorf("%s/%s/%s: leaked in %s", cfg.name, c.name, p.name, d)
				}
			}
		}
	}
}

func TestLogRecordCanariesControl(t *testing.T) {
	for _, c := range canaries {
		for _, p := range logPositions {
			exp := &oteltest.LogExporter{}
			lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(exp)))
			var rec log.Record
			p.set(&rec, c.key, c.value)
			lp.Logger("t").Emit(ctx0, rec)
			if d := oteltest.DumpRecord(&exp.Records()[0]); leaked(d, c.value) == nil {
				t.Errorf("%s/%s: control has no canary: %s", c.name, p.name, d)
			}
		}
	}
}

// TestSlogAndOTelAgree checks that a key/value pair is redacted the same way
// as a slog attribute, as a span attribute and as a log record attribute.
func TestSlogAndOTelAgree(t *testing.T) {
	cases := []struct{ k, v string }{
		{"user.email", "alice@example.com"},
		{"note", "mail canary.alice@example.com or call +1 415 555 0100"},
		{"password", "hunter2"},
		{"api_key", "abc"},
		{"db.query.text", "SELECT * FROM users WHERE email = 'alice@example.com' AND id = 42"},
		{"url.full", "https://bob:pw@example.com/reset?token=abc&page=2"},
		{"http.request.header.authorization", "Bearer abc.def"},
		{"http.request.header.accept", "text/html"},
		{"card", "4111 1111 1111 1111"},
		{"plain", "nothing to see"},
		{"aws", "key AKIAIOSFODNN7EXAMPLE here"},
	}
	for _, opts := range [][]Option{nil, {WithTokenizer(testTokenizer(t))},
		{WithRule(Key("plain"), Mask(2)), WithRule(Key("note"), Truncate(8))}} {
		r := mustNew(t, opts...)
		for _, c := range cases {
			want, _ := logOne(t, r, "m", c.k, c.v)[c.k].(string)
			kvs, _ := otelPolicy{r}.Attrs(0, []attribute.KeyValue{attribute.String(c.k, c.v)})
			if len(kvs) != 1 || kvs[0].Value.AsString() != want {
				t.Errorf("%s=%q: slog %q, OTel %v", c.k, c.v, want, kvs)
			}
		}
	}
}

// TestSiblingProcessorSeesOriginal registers a recorder beside veil: it must
// see the original span, unchanged after veil ran.
func TestSiblingProcessorSeesOriginal(t *testing.T) {
	r := mustNew(t)
	rec := tracetest.NewSpanRecorder()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))),
		sdktrace.WithSpanProcessor(rec))
	_, s := tp.Tracer("t").Start(ctx0, "op", trace.WithAttributes(attribute.String("user.email", "alice@example.com")))
	s.End()
	orig := rec.Ended()[0]
	if got := orig.Attributes()[0].Value.AsString(); got != "alice@example.com" {
		t.Errorf("sibling saw %q", got)
	}
	if got := exp.GetSpans()[0].Attributes[0].Value.AsString(); got != "[EMAIL]" {
		t.Errorf("exporter saw %q", got)
	}
}

// TestChainSlogToOTel runs slog → veil handler → otelslog bridge → sdk/log
// → veil log processor → exporter.
func TestChainSlogToOTel(t *testing.T) {
	r := mustNew(t)
	exp := &oteltest.LogExporter{}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
	logger := slog.New(r.Handler(otelslog.NewHandler("chain", otelslog.WithLoggerProvider(lp))))
	for _, c := range canaries {
		if c.key == "password" { // only its key reveals it
			logger.Info("login", c.key, c.value, slog.Group("req", slog.String(c.key, c.value)))
			continue
		}
		logger.Info("login by "+c.value, c.key, c.value, "err", errors.New("no user "+c.value),
			slog.Group("req", slog.String(c.key, c.value)))
	}
	if len(exp.Records()) != len(canaries) {
		t.Fatalf("%d records", len(exp.Records()))
	}
	for i, c := range canaries {
		if d := oteltest.DumpRecord(&exp.Records()[i]); leaked(d, c.value) != nil {
			t.Errorf("%s leaked in %s", c.name, d)
		}
	}

	// Without the veil handler in front, the bridge turns an error into
	// the record's error, from which the SDK derives exception.message: the
	// log processor alone must catch it.
	exp.Reset()
	bare := slog.New(otelslog.NewHandler("chain", otelslog.WithLoggerProvider(lp)))
	bare.Error("lookup failed", "err", errors.New("no user canary.alice@example.com"))
	if len(exp.Records()) != 1 {
		t.Fatalf("%d records", len(exp.Records()))
	}
	var msg string
	exp.Records()[0].WalkAttributes(func(kv attribute.KeyValue) bool {
		if kv.Key == "exception.message" {
			msg = kv.Value.AsString()
		}
		return true
	})
	if msg != "no user [EMAIL]" {
		t.Errorf("exception.message = %q (record %s)", msg, oteltest.DumpRecord(&exp.Records()[0]))
	}
}

// receiver is a local OTLP/HTTP endpoint keeping raw, gunzipped request bytes.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	raw bytes.Buffer
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body io.Reader = req.Body
		if req.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(req.Body)
			if err != nil {
				t.Errorf("receiver: %v", err)
				return
			}
			body = zr
		}
		b, _ := io.ReadAll(body)
		rc.mu.Lock()
		rc.raw.Write(b)
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(rc.Close)
	return rc
}

func TestOTLPHTTPCanaries(t *testing.T) {
	for _, veil := range []bool{true, false} {
		t.Run(fmt.Sprintf("veil=%v", veil), func(t *testing.T) {
			r := mustNew(t)
			traces, logs := newReceiver(t), newReceiver(t)
			texp, err := otlptracehttp.New(ctx0, otlptracehttp.WithEndpointURL(traces.URL+"/v1/traces"),
				otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
			if err != nil {
				t.Fatal(err)
			}
			lexp, err := otlploghttp.New(ctx0, otlploghttp.WithEndpointURL(logs.URL+"/v1/logs"),
				otlploghttp.WithCompression(otlploghttp.GzipCompression))
			if err != nil {
				t.Fatal(err)
			}
			var sp sdktrace.SpanProcessor = sdktrace.NewBatchSpanProcessor(texp)
			var lpr sdklog.Processor = sdklog.NewBatchProcessor(lexp)
			if veil {
				sp, lpr = r.SpanProcessor(sp), r.LogProcessor(lpr)
			}
			for _, c := range canaries {
				res := resource.NewWithAttributes("", attribute.String(c.key, c.value))
				tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSpanProcessor(sp))
				tr := tp.Tracer("t", trace.WithInstrumentationAttributes(attribute.String(c.key, c.value)))
				for _, p := range spanPositions {
					if !p.detectorOnly || c.key != "password" {
						p.emit(tr, c.key, c.value)
					}
				}
				_ = tp.ForceFlush(ctx0)
				lres := res // the log SDK's records keep their provider's resource
				if veil {
					lres = r.Resource(res)
				}
				lp := sdklog.NewLoggerProvider(sdklog.WithResource(lres), sdklog.WithProcessor(lpr))
				for _, p := range logPositions {
					if p.detectorOnly && c.key == "password" {
						continue
					}
					var rec log.Record
					p.set(&rec, c.key, c.value)
					lp.Logger("t").Emit(ctx0, rec)
				}
				_ = lp.ForceFlush(ctx0)
			}
			_ = sp.Shutdown(ctx0)
			_ = lpr.Shutdown(ctx0)
			for name, rc := range map[string]*receiver{"traces": traces, "logs": logs} {
				raw := rc.raw.String()
				if len(raw) == 0 {
					t.Fatalf("%s: receiver got nothing", name)
				}
				for _, c := range canaries {
					l := leaked(raw, c.value)
					if veil && l != nil {
						t.Errorf("%s: %s leaked in OTLP bytes", name, c.name)
					}
					if !veil && l == nil {
						t.Errorf("%s: control: %s not found in OTLP bytes", name, c.name)
					}
				}
			}
		})
	}
}

// TestResource: a resource detected from the process carries its command
// line; redacted by Redactor.Resource it reaches no log record with a
// password or an address, and a resource with nothing to redact is returned
// as is.
func TestResource(t *testing.T) {
	const secret = "Canary-Res-Pw4"
	r := mustNew(t)
	res := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0",
		attribute.StringSlice("process.command_args", []string{"./server", "-db-password", secret, "-v"}),
		attribute.String("process.command_line", "./server -db-password "+secret+" -v"),
		attribute.String("service.owner", "alice@example.com"),
		attribute.String("service.name", "checkout"))
	exp := &oteltest.LogExporter{}
	lp := sdklog.NewLoggerProvider(sdklog.WithResource(r.Resource(res)), sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
	var rec log.Record
	rec.SetBody(attribute.StringValue("started"))
	lp.Logger("t").Emit(ctx0, rec)
	if len(exp.Records()) != 1 {
		t.Fatalf("%d records", len(exp.Records()))
	}
	got := exp.Records()[0].Resource()
	var b strings.Builder
	oteltest.DumpAttrs(&b, got.Attributes())
	d := b.String()
	for _, leak := range []string{secret, "alice@example.com"} {
		if strings.Contains(d, leak) {
			t.Errorf("%s in the records' resource: %s", leak, d)
		}
	}
	for _, want := range []string{"checkout", "./server", "-db-password", "[EMAIL]"} {
		if !strings.Contains(d, want) {
			t.Errorf("%s missing from the records' resource: %s", want, d)
		}
	}
	if got.SchemaURL() != res.SchemaURL() {
		t.Errorf("schema URL %q, want %q", got.SchemaURL(), res.SchemaURL())
	}
	clean := resource.NewWithAttributes("", attribute.String("service.name", "checkout"))
	if r.Resource(clean) != clean {
		t.Error("a resource with nothing to redact was copied")
	}
	if r.Resource(nil) != nil {
		t.Error("nil resource")
	}
}

// otelSpanOutput ends one span with attrs through r's SpanProcessor and an
// in-memory exporter, and returns the dump of what was exported.
func otelSpanOutput(t *testing.T, r *Redactor, attrs ...attribute.KeyValue) string {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	_, s := tp.Tracer("t").Start(context.Background(), "exec", trace.WithAttributes(attrs...))
	s.End()
	var out strings.Builder
	for _, sp := range exp.GetSpans().Snapshots() {
		out.WriteString(oteltest.DumpSpan(sp))
	}
	if out.Len() == 0 {
		t.Fatal("no span exported")
	}
	return out.String()
}
