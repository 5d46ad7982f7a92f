package otelredact

import (
	"context"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// NewLogProcessor returns a log processor that redacts every record in place
// (event name, body, attributes) and then hands it to next. Enabled,
// ForceFlush and Shutdown are forwarded. Register it in front of the
// processor that exports, e.g.
//
//	sdklog.WithProcessor(NewLogProcessor(p, sdklog.NewBatchProcessor(exp)))
//
// Processors registered after it beside it see the redacted record too;
// processors registered before it see the original.
//
// A record whose attributes change loses its count of attributes dropped by
// the SDK's limits: sdklog.Record offers no way to keep it. A record on which
// the policy fails is not passed on; the failure is returned (the SDK hands
// it to otel.Handle) and reported to the error handler. A nil next discards
// everything.
func NewLogProcessor(p Policy, next sdklog.Processor, opts ...Option) sdklog.Processor {
	return &logProcessor{policy: p, next: next, cfg: newConfig(opts)}
}

type logProcessor struct {
	policy Policy
	next   sdklog.Processor
	cfg    config
}

// attrBufs holds the buffers attributes are gathered in, so that a record
// costs no allocation.
var attrBufs = sync.Pool{New: func() any { return new([]attribute.KeyValue) }}

// maxPooledAttrs keeps huge buffers out of the pool.
const maxPooledAttrs = 256

func (p *logProcessor) OnEmit(ctx context.Context, r *sdklog.Record) error {
	if p.next == nil || r == nil {
		return nil
	}
	if err := p.redact(r); err != nil {
		p.cfg.onError(err)
		return err
	}
	return p.next.OnEmit(ctx, r)
}

func (p *logProcessor) redact(r *sdklog.Record) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("veil: log record dropped: redaction policy panicked: %v", v)
		}
	}()
	if name := r.EventName(); name != "" {
		if n, ok := p.policy.Text(LogRecord, name); ok {
			r.SetEventName(n)
		}
	}
	if body := r.Body(); body.Type() != attribute.EMPTY {
		if v, ok := p.policy.Value(LogRecord, body); ok {
			r.SetBody(v)
		}
	}
	if r.AttributesLen() == 0 {
		return nil
	}
	buf := attrBufs.Get().(*[]attribute.KeyValue)
	kvs := (*buf)[:0]
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		kvs = append(kvs, kv)
		return true
	})
	if out, ok := p.policy.Attrs(LogRecord, kvs); ok {
		r.SetAttributes(out...) // copies out
	}
	if cap(kvs) <= maxPooledAttrs {
		clear(kvs)
		*buf = kvs[:0]
		attrBufs.Put(buf)
	}
	return nil
}

func (p *logProcessor) Enabled(ctx context.Context, param sdklog.EnabledParameters) bool {
	return p.next != nil && p.next.Enabled(ctx, param)
}

func (p *logProcessor) Shutdown(ctx context.Context) error {
	if p.next == nil {
		return nil
	}
	return p.next.Shutdown(ctx)
}

func (p *logProcessor) ForceFlush(ctx context.Context) error {
	if p.next == nil {
		return nil
	}
	return p.next.ForceFlush(ctx)
}
