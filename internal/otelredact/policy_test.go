package otelredact

import (
	"fmt"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// canary is the secret the tests plant everywhere; it must never come out.
const canary = "Zq7canary"

const (
	marker    = "[REDACTED]"
	markerKey = "redacted_key"
)

// canaryPolicy replaces every string, byte slice and key containing the
// canary. It counts calls per signal and can be told to panic.
type canaryPolicy struct {
	calls   [Scope + 1]atomic.Int64
	panicOn Signal
}

func contains(s string) bool { return strings.Contains(s, canary) }

func (p *canaryPolicy) walker() Walker {
	return Walker{
		Key: func(k string, _ int) (string, bool) {
			if contains(k) {
				return markerKey, true
			}
			return k, false
		},
		Value: func(_ string, _ int, v attribute.Value) (attribute.Value, bool) {
			switch v.Type() {
			case attribute.STRING:
				if contains(v.AsString()) {
					return attribute.StringValue(marker), true
				}
			case attribute.BYTESLICE:
				if contains(string(v.AsByteSlice())) {
					return attribute.StringValue(marker), true
				}
			}
			return v, false
		},
	}
}

func (p *canaryPolicy) enter(sig Signal) {
	p.calls[sig].Add(1)
	if sig == p.panicOn {
		panic("policy failed on " + sig.String())
	}
}

func (p *canaryPolicy) Attrs(sig Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	p.enter(sig)
	return p.walker().Attrs("", 0, kvs)
}

func (p *canaryPolicy) Value(sig Signal, v attribute.Value) (attribute.Value, bool) {
	p.enter(sig)
	return p.walker().Walk("", 0, v)
}

func (p *canaryPolicy) Text(sig Signal, s string) (string, bool) {
	p.enter(sig)
	if contains(s) {
		return marker, true
	}
	return s, false
}

// dumpValue renders v with byte slices as raw text, so that a canary hidden in
// bytes is visible to strings.Contains.
func dumpValue(b *strings.Builder, v attribute.Value) {
	switch v.Type() {
	case attribute.BYTESLICE:
		b.Write(v.AsByteSlice())
	case attribute.MAP:
		dumpAttrs(b, v.AsMap())
	case attribute.SLICE:
		for _, e := range v.AsSlice() {
			dumpValue(b, e)
			b.WriteByte(',')
		}
	default:
		b.WriteString(v.String())
	}
}

func dumpAttrs(b *strings.Builder, kvs []attribute.KeyValue) {
	b.WriteByte('{')
	for _, kv := range kvs {
		b.WriteString(string(kv.Key))
		b.WriteByte('=')
		dumpValue(b, kv.Value)
		b.WriteByte(' ')
	}
	b.WriteByte('}')
}

func dumpResource(b *strings.Builder, r *resource.Resource) {
	if r != nil {
		dumpAttrs(b, r.Attributes())
	}
}

func dumpScope(b *strings.Builder, s instrumentation.Scope) {
	fmt.Fprintf(b, "scope %s %s ", s.Name, s.Version)
	dumpAttrs(b, s.Attributes.ToSlice())
}

// dumpSpan renders every field of s that can carry user data.
func dumpSpan(s sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name=%s attrs=", s.Name())
	dumpAttrs(&b, s.Attributes())
	for _, e := range s.Events() {
		fmt.Fprintf(&b, " event=%s ", e.Name)
		dumpAttrs(&b, e.Attributes)
	}
	for _, l := range s.Links() {
		b.WriteString(" link=")
		dumpAttrs(&b, l.Attributes)
	}
	fmt.Fprintf(&b, " status=%s ", s.Status().Description)
	dumpResource(&b, s.Resource())
	dumpScope(&b, s.InstrumentationScope())
	//lint:ignore SA1019 exporters may still call it.
	dumpScope(&b, s.InstrumentationLibrary())
	return b.String()
}

// dumpRecord renders every field of r that can carry user data.
func dumpRecord(r *sdklog.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "event=%s body=", r.EventName())
	dumpValue(&b, r.Body())
	b.WriteString(" attrs=")
	var kvs []attribute.KeyValue
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		kvs = append(kvs, kv)
		return true
	})
	dumpAttrs(&b, kvs)
	return b.String()
}
