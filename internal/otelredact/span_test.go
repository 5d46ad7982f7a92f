package otelredact

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/veilhq/veil/internal/oteltest"
)

// testResource carries the canary in a resource attribute.
func testResource() *resource.Resource {
	return resource.NewWithAttributes("", attribute.String("service.name", "svc"), attribute.String("host.name", "h-"+canary))
}

// recordErrorZq7canary records err with a stack trace; its name puts the
// canary into exception.stacktrace.
//
//go:noinline
func recordErrorZq7canary(span trace.Span, err error) {
	span.RecordError(err, trace.WithStackTrace(true))
}

// emitSpans produces spans that carry the canary in every position a span
// has: name, attributes (plain, slices, nested maps, bytes, keys), event
// names and attributes, exception.message and exception.stacktrace (from
// RecordError and from a recovered panic), link attributes, status
// description, resource (via tp) and scope attributes.
func emitSpans(tp trace.TracerProvider) {
	ctx := context.Background()
	tr := tp.Tracer("veil.test", trace.WithInstrumentationAttributes(attribute.String("scope.owner", canary)))

	_, other := tr.Start(ctx, "other")
	other.End()

	_, span := tr.Start(ctx, "GET /users/"+canary,
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithLinks(trace.Link{SpanContext: other.SpanContext(), Attributes: []attribute.KeyValue{
			attribute.String("link.reason", canary), attribute.String("link.ok", "fine")}}),
		trace.WithAttributes(
			attribute.String("user.email", canary+"@example.com"),
			attribute.String("clean", "value"),
			attribute.StringSlice("tags", []string{"a", canary}),
			attribute.ByteSlice("raw", []byte("bytes "+canary)),
			attribute.String(canary, "key carries the secret"),
			attribute.Map("user", attribute.String("id", "7"), attribute.Map("contact", attribute.String("phone", canary))),
			attribute.Slice("items", attribute.IntValue(1), attribute.MapValue(attribute.String("note", canary))),
		))
	span.AddEvent("lookup "+canary, trace.WithAttributes(attribute.String("query", canary), attribute.Int("rows", 2)))
	span.AddEvent("clean event", trace.WithAttributes(attribute.String("k", "v")))
	recordErrorZq7canary(span, errors.New("no user "+canary))
	span.SetStatus(codes.Error, "failed for "+canary)
	span.End()

	func() {
		defer func() { _ = recover() }()
		_, span := tr.Start(ctx, "panics")
		defer span.End(trace.WithStackTrace(true))
		panic("boom " + canary)
	}()

	_, clean := tr.Start(ctx, "clean", trace.WithAttributes(attribute.String("k", "v")))
	clean.End()
}

func TestSpanCanaryInMemory(t *testing.T) {
	for _, tt := range []struct {
		name string
		wrap func(s *Spans, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption
	}{
		{"simple processor", func(s *Spans, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
			return sdktrace.WithSpanProcessor(s.Processor(sdktrace.NewSimpleSpanProcessor(exp)))
		}},
		{"batch processor", func(s *Spans, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
			return sdktrace.WithSpanProcessor(s.Processor(sdktrace.NewBatchSpanProcessor(exp)))
		}},
		{"exporter in batch", func(s *Spans, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
			return sdktrace.WithBatcher(s.Exporter(exp))
		}},
		{"exporter in simple", func(s *Spans, exp sdktrace.SpanExporter) sdktrace.TracerProviderOption {
			return sdktrace.WithSyncer(s.Exporter(exp))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exp := tracetest.NewInMemoryExporter()
			s := NewSpans(&canaryPolicy{})
			tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()), tt.wrap(s, exp))
			emitSpans(tp)
			// ForceFlush, not Shutdown: the in-memory exporter forgets its
			// spans when shut down.
			if err := tp.ForceFlush(context.Background()); err != nil {
				t.Fatal(err)
			}
			spans := exp.GetSpans().Snapshots()
			checkSpans(t, spans)
		})
	}
}

// checkSpans asserts that spans are the ones emitSpans produces, with the
// canary gone from every position and the markers in its place.
func checkSpans(t *testing.T, spans []sdktrace.ReadOnlySpan) {
	t.Helper()
	if len(spans) != 4 {
		t.Fatalf("got %d spans, want 4", len(spans))
	}
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		if d := oteltest.DumpSpan(s); strings.Contains(d, canary) {
			t.Errorf("canary leaked: %s", d)
		}
		byName[s.Name()] = s
	}
	main := byName[marker]
	if main == nil {
		t.Fatalf("span name not redacted; names: %v", keys(byName))
	}
	if main.SpanKind() != trace.SpanKindServer || !main.SpanContext().IsSampled() || main.EndTime().IsZero() {
		t.Errorf("span identity changed: kind %v sampled %v", main.SpanKind(), main.SpanContext().IsSampled())
	}
	attrs := map[attribute.Key]attribute.Value{}
	for _, kv := range main.Attributes() {
		attrs[kv.Key] = kv.Value
	}
	for k, want := range map[attribute.Key]string{"user.email": marker, "clean": "value", "raw": marker, markerKey: "key carries the secret"} {
		if got := attrs[k].String(); got != want {
			t.Errorf("attribute %s = %q, want %q", k, got, want)
		}
	}
	if got := attrs["tags"].AsStringSlice(); !reflect.DeepEqual(got, []string{"a", marker}) {
		t.Errorf("tags = %v", got)
	}
	ev := main.Events()
	if len(ev) != 3 || ev[0].Name != marker || ev[1].Name != "clean event" || ev[2].Name != "exception" {
		t.Fatalf("events %+v", ev)
	}
	exc := map[attribute.Key]string{}
	for _, kv := range ev[2].Attributes {
		exc[kv.Key] = kv.Value.String()
	}
	if exc["exception.message"] != marker || exc["exception.stacktrace"] != marker || exc["exception.type"] == "" {
		t.Errorf("exception attributes %v", exc)
	}
	if l := main.Links(); len(l) != 1 || !l[0].SpanContext.IsValid() || len(l[0].Attributes) != 2 {
		t.Errorf("links %+v", l)
	}
	if st := main.Status(); st.Code != codes.Error || st.Description != marker {
		t.Errorf("status %+v", st)
	}
	if v, _ := main.Resource().Set().Value("host.name"); v.AsString() != marker {
		t.Errorf("resource %v", main.Resource())
	}
	if v, _ := main.Resource().Set().Value("service.name"); v.AsString() != "svc" {
		t.Errorf("resource lost service.name: %v", main.Resource())
	}
	if sc := main.InstrumentationScope(); sc.Name != "veil.test" || sc.Attributes.Len() != 1 {
		t.Errorf("scope %+v", sc)
	}
	p := byName["panics"]
	if p == nil || len(p.Events()) != 1 {
		t.Fatalf("panic span missing or without its exception event")
	}
	pexc := map[attribute.Key]string{}
	for _, kv := range p.Events()[0].Attributes {
		pexc[kv.Key] = kv.Value.String()
	}
	if pexc["exception.message"] != marker || pexc["exception.stacktrace"] == "" {
		t.Errorf("panic exception attributes %v", pexc)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSpanControl shows the test can fail: without veil, the canary is in
// every position checkSpans looks at.
func TestSpanControl(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()), sdktrace.WithSyncer(exp))
	emitSpans(tp)
	_ = tp.ForceFlush(context.Background())
	for _, s := range exp.GetSpans().Snapshots() {
		if s.Name() == "clean" {
			continue
		}
		if d := oteltest.DumpSpan(s); !strings.Contains(d, canary) {
			t.Errorf("control span %q has no canary: %s", s.Name(), d)
		}
	}
}

// capture is a span processor that keeps what it is given.
type capture struct {
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
	dumps []string // rendered at OnEnd
}

func (c *capture) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (c *capture) OnEnd(s sdktrace.ReadOnlySpan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.spans = append(c.spans, s)
	c.dumps = append(c.dumps, oteltest.DumpSpan(s))
}
func (c *capture) Shutdown(context.Context) error   { return nil }
func (c *capture) ForceFlush(context.Context) error { return nil }

// TestSiblingSeesOriginal registers a processor on each side of veil: both
// must see the span exactly as the application made it, before and after
// veil ran, while veil's exporter gets the redacted view.
func TestSiblingSeesOriginal(t *testing.T) {
	before, after := &capture{}, &capture{}
	exp := tracetest.NewInMemoryExporter()
	s := NewSpans(&canaryPolicy{})
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()),
		sdktrace.WithSpanProcessor(before),
		sdktrace.WithSpanProcessor(s.Processor(sdktrace.NewSimpleSpanProcessor(exp))),
		sdktrace.WithSpanProcessor(after))
	emitSpans(tp)
	_ = tp.ForceFlush(context.Background())
	checkSpans(t, exp.GetSpans().Snapshots())
	for i, sp := range before.spans {
		if now := oteltest.DumpSpan(sp); now != before.dumps[i] {
			t.Errorf("span %q changed after veil ran:\nbefore %s\nafter  %s", sp.Name(), before.dumps[i], now)
		}
		if after.dumps[i] != before.dumps[i] {
			t.Errorf("processor after veil saw %s, want %s", after.dumps[i], before.dumps[i])
		}
		if sp.Name() != "clean" && !strings.Contains(before.dumps[i], canary) {
			t.Errorf("sibling did not see the original span %q", sp.Name())
		}
	}
}

func TestCleanSpanPassesThrough(t *testing.T) {
	p := &canaryPolicy{}
	s := NewSpans(p)
	stub := tracetest.SpanStub{Name: "clean", Attributes: []attribute.KeyValue{attribute.String("k", "v")},
		Resource: resource.NewWithAttributes("", attribute.String("service.name", "svc"))}
	in := stub.Snapshot()
	out, err := s.Redact(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, isView := out.(*view); isView || !reflect.DeepEqual(out, in) {
		t.Fatalf("clean span was wrapped: %T", out)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = s.Redact(in) }); n != 0 {
		t.Errorf("clean span: %v allocations, want 0", n)
	}
}

func TestResourceAndScopeRedactedOnce(t *testing.T) {
	p := &canaryPolicy{}
	exp := tracetest.NewInMemoryExporter()
	s := NewSpans(p)
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()),
		sdktrace.WithSyncer(s.Exporter(exp)))
	for range 3 {
		emitSpans(tp)
	}
	_ = tp.ForceFlush(context.Background())
	if n := p.calls[Resource].Load(); n != 1 {
		t.Errorf("resource redacted %d times, want 1", n)
	}
	if n := p.calls[Scope].Load(); n != 1 {
		t.Errorf("scope redacted %d times, want 1", n)
	}
	spans := exp.GetSpans().Snapshots()
	if len(spans) != 12 || spans[0].Resource() != spans[11].Resource() {
		t.Errorf("redacted resource not shared across spans")
	}
}

func TestPanickingPolicyDropsSpan(t *testing.T) {
	for _, sig := range []Signal{Span, Event, Link, Resource, Scope} {
		t.Run(sig.String(), func(t *testing.T) {
			var errs []error
			exp := tracetest.NewInMemoryExporter()
			s := NewSpans(&canaryPolicy{panicOn: sig}, WithErrorHandler(func(err error) { errs = append(errs, err) }))
			tp := sdktrace.NewTracerProvider(sdktrace.WithResource(testResource()),
				sdktrace.WithSpanProcessor(s.Processor(sdktrace.NewSimpleSpanProcessor(exp))))
			emitSpans(tp)
			_ = tp.ForceFlush(context.Background())
			for _, sp := range exp.GetSpans().Snapshots() {
				if d := oteltest.DumpSpan(sp); strings.Contains(d, canary) {
					t.Errorf("canary leaked: %s", d)
				}
			}
			if len(errs) == 0 || !strings.Contains(errs[0].Error(), "policy panicked") {
				t.Fatalf("errors %v", errs)
			}
		})
	}
}

func TestExporterKeepsInput(t *testing.T) {
	s := NewSpans(&canaryPolicy{}, WithErrorHandler(func(error) {}))
	in := tracetest.SpanStubs{{Name: "a"}, {Name: canary}, {Name: "b"}}.Snapshots()
	orig := append([]sdktrace.ReadOnlySpan(nil), in...)
	exp := tracetest.NewInMemoryExporter()
	if err := s.Exporter(exp).ExportSpans(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if in[i].Name() != orig[i].Name() {
			t.Fatalf("input slice modified at %d", i)
		}
	}
	var names []string
	for _, sp := range exp.GetSpans() {
		names = append(names, sp.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", marker, "b"}) {
		t.Fatalf("exported %v", names)
	}
}

func TestNilNext(t *testing.T) {
	s := NewSpans(&canaryPolicy{})
	ctx := context.Background()
	p := s.Processor(nil)
	p.OnEnd(tracetest.SpanStub{Name: canary}.Snapshot())
	if p.Shutdown(ctx) != nil || p.ForceFlush(ctx) != nil {
		t.Error("nil next processor returned an error")
	}
	e := s.Exporter(nil)
	if e.ExportSpans(ctx, nil) != nil || e.Shutdown(ctx) != nil {
		t.Error("nil next exporter returned an error")
	}
	if out, err := s.Redact(nil); out != nil || err != nil {
		t.Error("Redact(nil) != nil, nil")
	}
}

func TestSignalString(t *testing.T) {
	want := map[Signal]string{Span: "span", Event: "event", Link: "link", LogRecord: "log_record",
		Resource: "resource", Scope: "scope", 0: "unknown", 200: "unknown"}
	for s, w := range want {
		if s.String() != w {
			t.Errorf("Signal(%d).String() = %q, want %q", s, s.String(), w)
		}
	}
}
