package otelredact

import (
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
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
