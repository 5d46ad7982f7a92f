package redact

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/internal/oteltest"
	"github.com/veilhq/veil/internal/scan"
)

// collectRedactions returns the veil.redactions data points by their attribute sets.
func collectRedactions(t *testing.T, rd *sdkmetric.ManualReader) []metricdata.DataPoint[int64] {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := rd.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var out []metricdata.DataPoint[int64]
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "veil.redactions" {
				t.Errorf("unexpected metric %q", m.Name)
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok || !sum.IsMonotonic {
				t.Fatalf("veil.redactions is %T, want a monotonic Sum[int64]", m.Data)
			}
			out = append(out, sum.DataPoints...)
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	rd := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(rd))
	r := mustNew(t, WithMeterProvider(mp), WithTokenizer(testTokenizer(t)),
		WithRule(Key("user.age"), Bucket(10)), WithRule(Key("order.amount"), Noise(1, 0, 10000)))

	// Clean data records nothing.
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("all good", "status", 200)
	if dps := collectRedactions(t, rd); len(dps) != 0 {
		t.Fatalf("clean record counted: %v", dps)
	}

	// slog
	for _, c := range canaries {
		jsonLogger(r, &buf).Info("login "+c.value, c.key, c.value, "user.age", 34,
			"db.query.text", "SELECT 1 FROM t WHERE a = 'x'")
	}
	// spans
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))),
		sdktrace.WithResource(resource.NewWithAttributes("", attribute.String("owner", canaries[0].value))))
	for _, c := range canaries {
		_, other := tp.Tracer("t").Start(ctx0, "other")
		other.End()
		_, s := tp.Tracer("t").Start(ctx0, "op "+c.value, trace.WithAttributes(attribute.String(c.key, c.value),
			attribute.Int("order.amount", 250)),
			trace.WithLinks(trace.Link{SpanContext: other.SpanContext(), Attributes: []attribute.KeyValue{attribute.String(c.key, c.value)}}))
		s.AddEvent("e", trace.WithAttributes(attribute.String(c.key, c.value)))
		s.End()
	}
	// log records
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(&oteltest.LogExporter{}))))
	for _, c := range canaries {
		var rec log.Record
		rec.SetBody(attribute.StringValue("hello"))
		rec.AddAttributes(attribute.String(c.key, c.value))
		lp.Logger("t").Emit(ctx0, rec)
	}

	allowed := map[attribute.Key]bool{attrRule: true, attrAction: true, attrDetector: true, attrSignal: true}
	type key struct{ rule, action, detector, signal string }
	got := map[key]int64{}
	signals := map[string]bool{}
	for _, dp := range collectRedactions(t, rd) {
		var k key
		for _, kv := range dp.Attributes.ToSlice() {
			if !allowed[kv.Key] {
				t.Errorf("attribute %q is not allowed", kv.Key)
			}
			v := kv.Value.AsString()
			for _, c := range canaries {
				if leaked(v, c.value) != nil || strings.Contains(v, "@") {
					t.Errorf("metric attribute %s=%q carries data", kv.Key, v)
				}
			}
			switch kv.Key {
			case attrRule:
				k.rule = v
			case attrAction:
				k.action = v
			case attrDetector:
				k.detector = v
			case attrSignal:
				k.signal = v
			}
		}
		got[k] += dp.Value
		signals[k.signal] = true
	}
	for _, want := range []key{
		{ruleDetector, "tokenize", "email", "log"},
		{ruleDetector, "replace", "card", "log"},
		{ruleDefault, "replace", "none", "log"},
		{"user.age", "bucket", "none", "log"},
		{ruleSemconv, "sanitize", "none", "log"},
		{ruleDetector, "tokenize", "email", "span"},
		{ruleDefault, "replace", "none", "span"},
		{"order.amount", "noise", "none", "span"},
		{ruleDefault, "replace", "none", "event"},
		{ruleDefault, "replace", "none", "link"},
		{ruleDetector, "tokenize", "email", "resource"},
		{ruleDefault, "replace", "none", "log_record"},
	} {
		if got[want] == 0 {
			t.Errorf("no count for %+v; got %v", want, got)
		}
	}
	// One email per slog message and one per attribute value, for each
	// canary holding an address.
	emails := 0
	for _, c := range canaries {
		emails += len(scan.New(1<<scan.Email).Scan(nil, c.value))
	}
	if n := got[key{ruleDetector, "tokenize", "email", "log"}]; n != int64(2*emails) {
		t.Errorf("email/log counted %d times, want %d", n, 2*emails)
	}
	if n := got[key{"order.amount", "noise", "none", "span"}]; n != int64(len(canaries)) {
		t.Errorf("noise/span counted %d times, want %d", n, len(canaries))
	}
}

func TestMetricsWithoutProvider(t *testing.T) {
	r := mustNew(t)
	var buf bytes.Buffer
	// Nothing to assert but the absence of a panic: counting is off.
	slog.New(r.Handler(slog.NewJSONHandler(&buf, nil))).Info("m", "password", "x", "note", "a@example.com")
	if r.ext == nil || r.ext.counter != nil {
		t.Error("counter created without WithMeterProvider")
	}
}

// TestMetricsStatementArgs: a record, group or span whose argument list is
// walked a second time with its sensitive arguments masked counts each
// redaction once.
func TestMetricsStatementArgs(t *testing.T) {
	const stmt = "INSERT INTO users (name, password) VALUES ($1, $2)"
	args := []any{"bob", "hunter2-Canary"}
	for _, c := range []struct {
		name string
		emit func(r *Redactor)
	}{
		{"record", func(r *Redactor) {
			var buf bytes.Buffer
			jsonLogger(r, &buf).Info("m", "note", "mail a@example.com", "sql", stmt, "args", args)
			if strings.Contains(buf.String(), "hunter2") {
				t.Errorf("leaked: %s", buf.Bytes())
			}
		}},
		{"group", func(r *Redactor) {
			var buf bytes.Buffer
			jsonLogger(r, &buf).Info("m", slog.Group("q", "note", "mail a@example.com", "sql", stmt, "args", args))
			if strings.Contains(buf.String(), "hunter2") {
				t.Errorf("leaked: %s", buf.Bytes())
			}
		}},
		{"span", func(r *Redactor) {
			exp := tracetest.NewInMemoryExporter()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
			_, s := tp.Tracer("t").Start(ctx0, "q", trace.WithAttributes(attribute.String("note", "mail a@example.com"),
				attribute.String("db.query.text", stmt), attribute.StringSlice("args", []string{"bob", "hunter2-Canary"})))
			s.End()
			for _, kv := range exp.GetSpans()[0].Attributes {
				if strings.Contains(kv.Value.String(), "hunter2") {
					t.Errorf("leaked: %v", kv)
				}
			}
		}},
	} {
		rd := sdkmetric.NewManualReader()
		r := mustNew(t, WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(rd))))
		c.emit(r)
		counts := map[string]int64{}
		for _, dp := range collectRedactions(t, rd) {
			var rule, det string
			for _, kv := range dp.Attributes.ToSlice() {
				switch kv.Key {
				case attrRule:
					rule = kv.Value.AsString()
				case attrDetector:
					det = kv.Value.AsString()
				}
			}
			counts[rule+"/"+det] += dp.Value
		}
		if counts[ruleDetector+"/email"] != 1 || counts[ruleDefault+"/none"] != 1 {
			t.Errorf("%s: counts %v, want one email and one sensitive argument", c.name, counts)
		}
	}
}
