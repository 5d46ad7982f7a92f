package sampling

import (
	"context"
	"log/slog"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Option configures the constructors of this package: [NewHandler],
// [NewFlightRecorder], [NewUserSampler] and [NewWindows]. Each option says
// which constructors read it; the others ignore it.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults used when no option overrides them.
const (
	DefaultTick              = time.Second
	DefaultFirst             = 100
	DefaultThereafter        = 100
	DefaultMaxRecords        = 64
	DefaultMaxBytes          = 4 << 20
	DefaultMaxAge            = time.Minute
	DefaultBaggageKey        = "veil.user_token"
	DefaultTenantBaggageKey  = "veil.tenant_token"
	DefaultMaxWindowDuration = time.Hour
)

type config struct {
	clock func() time.Time

	// rate limiter
	tick       time.Duration
	first      uint64
	thereafter uint64
	neverDrop  slog.Level

	// flight recorder
	trigger      slog.Level
	captureLevel slog.Level
	captureSet   bool
	keyFunc      func(context.Context) (string, bool)
	maxRecords   int
	maxBytes     int
	maxAge       time.Duration
	dropUntraced bool
	sink         Sink
	sinkTimeout  time.Duration
	sinkQueue    int
	onError      func(error)
	janitor      time.Duration

	// samplers
	baggageKey string
	tenantKey  string
	fallback   sdktrace.Sampler

	// debug windows
	maxWindow time.Duration
	hook      func(Event)
	timers    bool
}

func newConfig(opts []Option) config {
	c := config{
		tick:        DefaultTick,
		first:       DefaultFirst,
		thereafter:  DefaultThereafter,
		neverDrop:   slog.LevelError,
		trigger:     slog.LevelError,
		maxRecords:  DefaultMaxRecords,
		maxBytes:    DefaultMaxBytes,
		maxAge:      DefaultMaxAge,
		sinkTimeout: 5 * time.Second,
		sinkQueue:   64,
		onError:     func(error) {},
		baggageKey:  DefaultBaggageKey,
		tenantKey:   DefaultTenantBaggageKey,
		maxWindow:   DefaultMaxWindowDuration,
	}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// now returns the configured clock's time, or time.Now.
func (c *config) now() time.Time {
	if c.clock != nil {
		return c.clock()
	}
	return time.Now()
}

// WithClock replaces time.Now as the source of time, for tests and
// simulations. The function must be safe for concurrent use.
// Read by all constructors.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.clock = now })
}

// WithTick sets the length of the rate limiter's counting interval and the
// period of its "dropped N records" summaries (default [DefaultTick]).
// Values ≤ 0 keep the default. Read by [NewHandler].
func WithTick(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.tick = d
		}
	})
}

// WithFirst sets how many records with the same level and message are
// accepted in each tick before sampling starts (default [DefaultFirst]).
// Negative values are treated as 0. Read by [NewHandler].
func WithFirst(n int) Option {
	return optionFunc(func(c *config) { c.first = uint64(max(n, 0)) })
}

// WithThereafter sets the sampling period after the first records of a tick:
// every m-th record is accepted (default [DefaultThereafter]). 0 drops every
// record after the first ones; negative values are treated as 0.
// Read by [NewHandler].
func WithThereafter(m int) Option {
	return optionFunc(func(c *config) { c.thereafter = uint64(max(m, 0)) })
}

// WithNeverDrop sets the level at or above which the rate limiter accepts
// every record (default slog.LevelError). Read by [NewHandler].
func WithNeverDrop(l slog.Level) Option {
	return optionFunc(func(c *config) { c.neverDrop = l })
}

// WithTrigger sets the level at or above which a record flushes the records
// held for its trace; records below it are held (default slog.LevelError).
// Read by [NewFlightRecorder].
func WithTrigger(l slog.Level) Option {
	return optionFunc(func(c *config) { c.trigger = l })
}

// WithCaptureLevel lets the flight recorder hold records down to level l for
// traced contexts even when the next handler is not enabled for them, so
// Debug detail is kept (and shown only if an error follows). By default the
// recorder is enabled exactly when the next handler is. Read by
// [NewFlightRecorder].
func WithCaptureLevel(l slog.Level) Option {
	return optionFunc(func(c *config) { c.captureLevel, c.captureSet = l, true })
}

// WithKeyFunc replaces the trace key of the flight recorder. By default the
// key is the trace ID of the OpenTelemetry span context in the context
// (trace.SpanContextFromContext); f returns false for contexts that belong to
// no trace. f must be cheap and safe for concurrent use. Read by
// [NewFlightRecorder].
func WithKeyFunc(f func(context.Context) (string, bool)) Option {
	return optionFunc(func(c *config) {
		if f != nil {
			c.keyFunc = f
		}
	})
}

// WithMaxRecords bounds the records held per trace (default
// [DefaultMaxRecords]); when full, the oldest record of the trace is evicted.
// Values ≤ 0 keep the default. Read by [NewFlightRecorder].
func WithMaxRecords(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxRecords = n
		}
	})
}

// WithMaxBytes bounds the estimated memory of all held records together
// (default [DefaultMaxBytes]); when exceeded, whole traces are evicted, least
// recently written first. Values ≤ 0 keep the default. Read by
// [NewFlightRecorder].
func WithMaxBytes(n int) Option {
	return optionFunc(func(c *config) {
		if n > 0 {
			c.maxBytes = n
		}
	})
}

// WithMaxAge bounds how long a record is held (default [DefaultMaxAge]);
// older records expire unseen. Values ≤ 0 keep the default. Read by
// [NewFlightRecorder].
func WithMaxAge(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.maxAge = d
		}
	})
}

// WithDropUntraced makes the flight recorder drop records below the trigger
// level that belong to no trace. The default (false) passes them through to
// the next handler. Read by [NewFlightRecorder].
func WithDropUntraced(drop bool) Option {
	return optionFunc(func(c *config) { c.dropUntraced = drop })
}

// WithSink makes every flush of the flight recorder also a capture: the held
// records and the trigger are handed to s, asynchronously, by one background
// goroutine (stop it with [FlightRecorder.Close]). Read by
// [NewFlightRecorder].
func WithSink(s Sink) Option {
	return optionFunc(func(c *config) { c.sink = s })
}

// WithSinkTimeout bounds each [Sink.Capture] call through its context
// (default 5s). Values ≤ 0 keep the default. Read by [NewFlightRecorder].
func WithSinkTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.sinkTimeout = d
		}
	})
}

// WithErrorHandler receives errors that cannot be returned to a caller:
// failed or skipped sink captures, and errors from emitting summaries and
// flushed records in the background. f must be safe for concurrent use and
// must not log through the handler that reports to it. The default discards
// them. Read by [NewFlightRecorder].
func WithErrorHandler(f func(error)) Option {
	return optionFunc(func(c *config) {
		if f != nil {
			c.onError = f
		}
	})
}

// WithJanitor starts a goroutine that expires old held records every
// interval, so memory is released even when no record arrives. Without it,
// expiry happens lazily on calls. Stop it with [FlightRecorder.Close].
// Read by [NewFlightRecorder].
func WithJanitor(interval time.Duration) Option {
	return optionFunc(func(c *config) {
		if interval > 0 {
			c.janitor = interval
		}
	})
}

// WithBaggageKey sets the baggage member that carries the user token
// (default [DefaultBaggageKey]). Read by [NewUserSampler] and by
// [Windows.Sampler].
func WithBaggageKey(key string) Option {
	return optionFunc(func(c *config) {
		if key != "" {
			c.baggageKey = key
		}
	})
}

// WithTenantBaggageKey sets the baggage member that carries the tenant token
// (default [DefaultTenantBaggageKey]). Read by [Windows.Sampler].
func WithTenantBaggageKey(key string) Option {
	return optionFunc(func(c *config) {
		if key != "" {
			c.tenantKey = key
		}
	})
}

// WithFallback sets the sampler used when a context carries no user token
// (default sdktrace.TraceIDRatioBased with the same ratio). Read by
// [NewUserSampler].
func WithFallback(s sdktrace.Sampler) Option {
	return optionFunc(func(c *config) {
		if s != nil {
			c.fallback = s
		}
	})
}

// WithMaxWindowDuration caps the duration of a debug window (default
// [DefaultMaxWindowDuration]). Values ≤ 0 keep the default. Read by
// [NewWindows].
func WithMaxWindowDuration(d time.Duration) Option {
	return optionFunc(func(c *config) {
		if d > 0 {
			c.maxWindow = d
		}
	})
}

// WithHook receives every Opened, Closed and Expired event of debug windows,
// for an audit log. It is called synchronously, without locks held, possibly
// from a logging call: it must be quick and must not log through a handler
// that consults the same windows. Read by [NewWindows].
func WithHook(f func(Event)) Option {
	return optionFunc(func(c *config) { c.hook = f })
}

// WithExpiryTimers arms a timer per window so that it expires (and its
// Expired event fires) on time even when no request consults it. Timers are
// stopped when a window is closed; they start no goroutine until they fire.
// Read by [NewWindows].
func WithExpiryTimers() Option {
	return optionFunc(func(c *config) { c.timers = true })
}
