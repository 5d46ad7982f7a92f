package otelredact

import (
	"fmt"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// maxCached bounds each cache of redacted resources and scopes. Programs
// have a handful of each; past the bound, results are computed per span.
const maxCached = 256

// Spans redacts ended spans with a [Policy]. It keeps the redacted resources
// and instrumentation scopes it has seen, so one Spans should serve all the
// processors and exporters of a policy. It is safe for concurrent use.
type Spans struct {
	policy Policy
	cfg    config

	lastRes   atomic.Pointer[resEntry]
	resources sync.Map // *resource.Resource → *resource.Resource
	nRes      atomic.Int32

	scopes sync.Map // instrumentation.Scope → instrumentation.Scope
	nScope atomic.Int32
}

type resEntry struct{ in, out *resource.Resource }

// NewSpans returns a Spans applying p.
func NewSpans(p Policy, opts ...Option) *Spans {
	return &Spans{policy: p, cfg: newConfig(opts)}
}

// Redact returns span redacted: span itself when the policy changes nothing,
// a read-only view of it otherwise. It never modifies span. When the policy
// fails (panics), Redact returns nil and an error that says so; the span must
// then be dropped.
func (s *Spans) Redact(span sdktrace.ReadOnlySpan) (sdktrace.ReadOnlySpan, error) {
	out, _, err := s.apply(span)
	return out, err
}

// apply is Redact that also reports whether out differs from span. (Spans
// cannot be compared: some implementations are not comparable.)
func (s *Spans) apply(span sdktrace.ReadOnlySpan) (out sdktrace.ReadOnlySpan, changed bool, err error) {
	if span == nil {
		return nil, false, nil
	}
	if _, ok := span.(*view); ok {
		return span, false, nil // already redacted
	}
	defer func() {
		if r := recover(); r != nil {
			out, changed = nil, true
			err = fmt.Errorf("veil: span %s dropped: redaction policy panicked: %v", span.SpanContext().SpanID(), r)
		}
	}()
	if v := s.redact(span); v != nil {
		return v, true, nil
	}
	return span, false, nil
}

// redact returns the redacted view of span, or nil when nothing changed.
func (s *Spans) redact(span sdktrace.ReadOnlySpan) *view {
	var v *view
	get := func() *view {
		if v == nil {
			v = newView(span)
		}
		return v
	}
	p := s.policy
	if name, ok := p.Text(Span, span.Name()); ok {
		get().name = name
	}
	if attrs, ok := p.Attrs(Span, span.Attributes()); ok {
		get().attrs = attrs
	}
	if events, ok := s.events(span.Events()); ok {
		get().events = events
	}
	if links, ok := s.links(span.Links()); ok {
		get().links = links
	}
	if st := span.Status(); st.Description != "" {
		if d, ok := p.Text(Span, st.Description); ok {
			st.Description = d
			get().status = st
		}
	}
	if res := span.Resource(); res != nil {
		if r := s.resource(res); r != res {
			get().res = r
		}
	}
	if sc := span.InstrumentationScope(); sc.Attributes.Len() > 0 {
		if r, ok := s.scope(sc); ok {
			get().scope = r
		}
	}
	return v
}

func (s *Spans) events(events []sdktrace.Event) ([]sdktrace.Event, bool) {
	var out []sdktrace.Event
	for i, e := range events {
		name, nameChanged := s.policy.Text(Event, e.Name)
		attrs, attrsChanged := s.policy.Attrs(Event, e.Attributes)
		if !nameChanged && !attrsChanged {
			continue
		}
		if out == nil {
			out = make([]sdktrace.Event, len(events))
			copy(out, events)
		}
		out[i].Name, out[i].Attributes = name, attrs
	}
	return out, out != nil
}

func (s *Spans) links(links []sdktrace.Link) ([]sdktrace.Link, bool) {
	var out []sdktrace.Link
	for i, l := range links {
		attrs, ok := s.policy.Attrs(Link, l.Attributes)
		if !ok {
			continue
		}
		if out == nil {
			out = make([]sdktrace.Link, len(links))
			copy(out, links)
		}
		out[i].Attributes = attrs
	}
	return out, out != nil
}

// resource returns res redacted, from the cache when possible. It returns
// res itself when the policy changes nothing.
func (s *Spans) resource(res *resource.Resource) *resource.Resource {
	if e := s.lastRes.Load(); e != nil && e.in == res {
		return e.out
	}
	if out, ok := s.resources.Load(res); ok {
		return out.(*resource.Resource)
	}
	out := RedactResource(s.policy, res)
	s.lastRes.Store(&resEntry{in: res, out: out})
	if s.nRes.Load() < maxCached {
		if _, loaded := s.resources.LoadOrStore(res, out); !loaded {
			s.nRes.Add(1)
		}
	}
	return out
}

// RedactResource returns res with its attributes redacted by p, or res
// itself when p changes nothing (and for nil).
func RedactResource(p Policy, res *resource.Resource) *resource.Resource {
	if res == nil {
		return nil
	}
	if attrs, ok := p.Attrs(Resource, res.Attributes()); ok {
		// The attributes come from a resource, so they are valid and
		// NewWithAttributes cannot fail.
		return resource.NewWithAttributes(res.SchemaURL(), attrs...)
	}
	return res
}

// scope returns sc with its attributes redacted, from the cache when possible.
func (s *Spans) scope(sc instrumentation.Scope) (instrumentation.Scope, bool) {
	type entry struct {
		sc      instrumentation.Scope
		changed bool
	}
	if e, ok := s.scopes.Load(sc); ok {
		e := e.(entry)
		return e.sc, e.changed
	}
	out := sc
	attrs, changed := s.policy.Attrs(Scope, sc.Attributes.ToSlice())
	if changed {
		out.Attributes = attribute.NewSet(attrs...)
	}
	if s.nScope.Load() < maxCached {
		if _, loaded := s.scopes.LoadOrStore(sc, entry{out, changed}); !loaded {
			s.nScope.Add(1)
		}
	}
	return out, changed
}
