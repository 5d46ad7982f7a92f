// Package sampling decides what veil captures, so that only what is needed to
// diagnose leaves a service: few records in the steady state, full context
// around an error, and more detail only for a bounded time and scope.
//
// It has four parts:
//
//   - [Handler] ([NewHandler]) is a rate-limiting slog.Handler: per level and
//     message, the first N records of each tick, then every M-th. The
//     decision allocates nothing and takes no lock. Loss is visible as
//     periodic "dropped N records like …" summaries and exact [Stats].
//   - [FlightRecorder] ([NewFlightRecorder]) holds the records of each trace
//     below a trigger level (Error) in bounded ring buffers and emits them,
//     in order, only when the trace logs an error; otherwise they expire
//     unseen. A flush can also be kept as a capture through a [Sink].
//   - [NewUserSampler] is an OpenTelemetry sampler that keeps or drops all
//     the traces of a user together, across services, from the user token
//     carried in baggage.
//   - [Windows] is a registry of debug windows: an operator raises the log
//     level and trace sampling for one route, tenant, user or span attribute,
//     for at most a configured time (one hour by default). Windows are never
//     indefinite, opening and closing them is reported to a hook for the
//     audit log, and the HTTP API ([Windows.AdminHandler]) refuses every
//     request unless the application supplies an authorizer.
//
// # The recommended chain
//
// Cheap decisions come first, so that a dropped record costs nothing;
// redaction comes last, just before bytes leave the process, so that every
// record that is emitted — including those a flight recorder held for a
// while — is redacted exactly once:
//
//	sink := slog.NewJSONHandler(os.Stdout, nil)       // or otelslog
//	red := redactor.Handler(sink)                     // redact: always the last step
//	rec := sampling.NewFlightRecorder(red,             // full context around errors
//		sampling.WithCaptureLevel(slog.LevelDebug))
//	h := sampling.NewHandler(windows.Handler(rec))    // rate limit first
//	logger := slog.New(h)
//
// With debug windows, put [Windows.Handler] where the level is decided, in
// front of the handler whose level it should lower. A [FlightRecorder]
// behind it does not hold the records of a request a window selected: they
// pass through live, marked with [WindowAttrKey].
//
// On the tracing side:
//
//	sampler := windows.Sampler(sdktrace.ParentBased(sampling.NewUserSampler(0.1)))
//	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), ...)
//
// # Data that stays in memory
//
// A [FlightRecorder] keeps clones of records that have not been redacted yet
// (redaction happens after it), bounded in number, bytes and age. Records it
// hands to a [Sink] are also unredacted: a Sink that persists them must
// redact them ([github.com/veilhq/veil/redact.Redactor.Record] does it as
// the handler would), and should encrypt them.
// A [Handler] keeps the message (never the attributes) of one record per
// counter bucket, to write its summaries.
//
// # Goroutines
//
// [Handler] and [Windows] start none ([WithExpiryTimers] uses time.AfterFunc
// timers, stopped when a window ends). A [FlightRecorder] with [WithSink] or
// [WithJanitor] runs one goroutine each; [FlightRecorder.Close] stops them.
package sampling
