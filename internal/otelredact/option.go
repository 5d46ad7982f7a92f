package otelredact

import "go.opentelemetry.io/otel"

// Option configures [NewSpans] and [NewLogProcessor].
type Option func(*config)

type config struct {
	onError func(error)
}

func newConfig(opts []Option) config {
	c := config{onError: otel.Handle}
	for _, o := range opts {
		o(&c)
	}
	if c.onError == nil {
		c.onError = func(error) {}
	}
	return c
}

// WithErrorHandler sets the function told about spans and records that were
// dropped because the policy failed on them. The default is [otel.Handle].
func WithErrorHandler(f func(error)) Option {
	return func(c *config) { c.onError = f }
}
