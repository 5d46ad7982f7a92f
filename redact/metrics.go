package redact

import (
	"context"
	"errors"
	"fmt"
	"io"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/veilhq/veil/internal/otelredact"
	"github.com/veilhq/veil/internal/scan"
	"github.com/veilhq/veil/redact/noise"
)

// Metric attribute keys of the veil.redactions counter. Their values come
// from the configuration (rule patterns, action and detector names) and from
// the signal, never from the data being redacted.
const (
	attrRule     = attribute.Key("veil.rule")
	attrAction   = attribute.Key("veil.action")
	attrDetector = attribute.Key("veil.detector")
	attrSignal   = attribute.Key("veil.signal")
)

// Values of veil.rule that are not rule patterns.
const (
	ruleDefault  = "default_sensitive_key" // the built-in list of sensitive keys
	ruleSemconv  = "semconv_sanitizer"     // db.query.text, url.full, headers
	ruleTag      = "struct_tag"            // a veil:"..." struct tag
	ruleDetector = "detector"              // a detector match in free text
)

// numSignals counts the signals: 0 (slog records, "log") and the
// OpenTelemetry ones.
const numSignals = int(otelredact.Scope) + 1

func signalName(s otelredact.Signal) string {
	if s == 0 {
		return "log"
	}
	return s.String()
}

// extConfig holds the options of this file.
type extConfig struct {
	mp   metric.MeterProvider
	rand io.Reader
}

// WithMeterProvider counts redactions with the counter veil.redactions
// ({redaction}) of the meter "github.com/veilhq/veil/redact" from mp, so that
// a dashboard shows how much sensitive data the service tried to emit. Its
// attributes are veil.rule (the Key pattern of the rule, or
// "default_sensitive_key", "semconv_sanitizer", "struct_tag", "detector"),
// veil.action ("replace", "mask", "drop", "tokenize", "truncate", "noise",
// "bucket", "round", "ip_prefix", "coarsen", "sanitize"), veil.detector
// ("email", "card", ... or "none") and veil.signal ("log", "span", "event",
// "link", "log_record", "resource", "scope"). No attribute ever carries a
// redacted value. Nothing is recorded for values that need no redaction.
//
// A key found in a key (a map key that is an e-mail address) is counted once
// per distinct key, when the key is first seen, with veil.signal "log".
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) {
		if mp == nil {
			c.errs = append(c.errs, errors.New("WithMeterProvider(nil): pass a metric.MeterProvider such as otel.GetMeterProvider(), or leave the option out"))
			return
		}
		c.ext.mp = mp
	}
}

// WithNoiseRand makes the [Noise] actions read their random bits from r
// instead of crypto/rand. A fixed stream makes noisy values reproducible: use
// it in tests only. Reads from r are serialized.
func WithNoiseRand(r io.Reader) Option {
	return func(c *config) {
		if r == nil {
			c.errs = append(c.errs, errors.New("WithNoiseRand(nil): pass an io.Reader, or leave the option out to use crypto/rand"))
			return
		}
		c.ext.rand = r
	}
}

// extension is the part of a Redactor built by this file's options.
type extension struct {
	counter metric.Int64Counter // nil without WithMeterProvider

	// Precomputed measurement options, indexed by signal, so that counting
	// allocates nothing.
	rules     [][numSignals][]metric.AddOption // by rule.order
	detectors [32][numSignals][]metric.AddOption
	fixed     map[fixedKey]*[numSignals][]metric.AddOption

	noise map[*noiseAction]*mechanisms // built at New with the configured reader
}

type fixedKey struct{ rule, action string }

// newExtension builds the extension of r from c; it is called by New once
// the rules are compiled, and appends what went wrong to errs.
func newExtension(c *config, r *Redactor, errs []error) (*extension, []error) {
	x := &extension{noise: map[*noiseAction]*mechanisms{}}
	var opts []noise.Option
	if c.ext.rand != nil {
		// One lock for all the mechanisms sharing the reader.
		opts = append(opts, noise.WithRand(&lockedReader{r: c.ext.rand}))
	}
	for i := range r.rules {
		if a, ok := r.rules[i].act.(*noiseAction); ok {
			if _, done := x.noise[a]; done {
				continue
			}
			m, err := a.build(opts)
			if err != nil { // checked already: cannot happen
				errs = append(errs, fmt.Errorf("WithRule(Key(%q), %v): %w", r.rules[i].key.raw, a, err))
				continue
			}
			x.noise[a] = m
		}
	}
	if c.ext.mp == nil {
		return x, errs
	}
	counter, err := c.ext.mp.Meter("github.com/veilhq/veil/redact").Int64Counter("veil.redactions",
		metric.WithDescription("Values redacted before leaving the process, by rule, action, detector and signal."),
		metric.WithUnit("{redaction}"))
	if err != nil {
		return x, append(errs, fmt.Errorf("WithMeterProvider: creating the veil.redactions counter: %w", err))
	}
	x.counter = counter
	x.rules = make([][numSignals][]metric.AddOption, len(c.rules))
	for i := range r.rules {
		ru := &r.rules[i]
		x.rules[ru.order] = optionsFor(ru.key.raw, actionName(ru.act), "none")
	}
	for k := scan.Kind(1); k < 32; k++ {
		if name := k.String(); name != "" {
			x.detectors[k] = optionsFor(ruleDetector, detectorAction(r, k), name)
		}
	}
	x.fixed = map[fixedKey]*[numSignals][]metric.AddOption{}
	for _, rule := range []string{ruleDefault, ruleTag} {
		for _, action := range actionNames {
			o := optionsFor(rule, action, "none")
			x.fixed[fixedKey{rule, action}] = &o
		}
	}
	o := optionsFor(ruleSemconv, "sanitize", "none")
	x.fixed[fixedKey{ruleSemconv, "sanitize"}] = &o
	return x, errs
}

func optionsFor(rule, action, detector string) (o [numSignals][]metric.AddOption) {
	for s := range numSignals {
		set := attribute.NewSet(attrRule.String(rule), attrAction.String(action),
			attrDetector.String(detector), attrSignal.String(signalName(otelredact.Signal(s))))
		o[s] = []metric.AddOption{metric.WithAttributeSet(set)}
	}
	return o
}

var actionNames = []string{"replace", "mask", "drop", "tokenize", "truncate", "keep",
	"noise", "bucket", "round", "ip_prefix", "coarsen", "other"}

// actionName is the metric name of an action.
func actionName(a Action) string {
	switch a := a.(type) {
	case dropAction:
		return "drop"
	case maskAction:
		return "mask"
	case replaceAction:
		return "replace"
	case tokenizeAction:
		return "tokenize"
	case truncateAction:
		return "truncate"
	case keepAction:
		return "keep"
	case *noiseAction:
		return "noise"
	case generalizeAction:
		return a.kind.String()
	}
	return "other"
}

// detectorAction is the metric action of a detector match, as replaceSpan
// decides it.
func detectorAction(r *Redactor, k scan.Kind) string {
	switch {
	case r.detRules[k] != nil:
		return actionName(r.detRules[k])
	case k.Class() == scan.Identifier && r.tok != nil && k.TokenKind() != "":
		return "tokenize"
	}
	return "replace"
}

func (x *extension) add(o []metric.AddOption) {
	x.counter.Add(context.Background(), 1, o...)
}

func sigIndex(st *state) int {
	if int(st.sig) < numSignals {
		return int(st.sig)
	}
	return 0
}

// counting returns the extension whose counter counts the redactions of st,
// or nil: none is configured, or st walks values a second time (st.redo),
// whose redactions the first walk counted.
func (r *Redactor) counting(st *state) *extension {
	if x := r.ext; x != nil && x.counter != nil && !st.redo {
		return x
	}
	return nil
}

// countAction counts a value changed by the rule of n, or by override.
func (r *Redactor) countAction(st *state, n *node, override Action) {
	x := r.counting(st)
	if x == nil {
		return
	}
	switch {
	case override != nil:
		if o := x.fixed[fixedKey{ruleTag, actionName(override)}]; o != nil {
			x.add(o[sigIndex(st)])
		}
	case n.rule != nil && n.rule.order < len(x.rules):
		x.add(x.rules[n.rule.order][sigIndex(st)])
	}
}

// countComposite counts a group, map or slice replaced or dropped whole.
func (r *Redactor) countComposite(st *state, n *node, override Action) {
	if override != nil || n.rule != nil {
		r.countAction(st, n, override)
		return
	}
	if n.sensitive {
		r.countSensitive(st)
	}
}

// countSensitive counts a value replaced because of its key.
func (r *Redactor) countSensitive(st *state) {
	if x := r.counting(st); x != nil {
		x.add(x.fixed[fixedKey{ruleDefault, "replace"}][sigIndex(st)])
	}
}

// countIdent counts a value replaced under an identifier key.
func (r *Redactor) countIdent(st *state) {
	if x := r.counting(st); x != nil {
		action := "replace"
		if r.tok != nil {
			action = "tokenize"
		}
		x.add(x.fixed[fixedKey{ruleDefault, action}][sigIndex(st)])
	}
}

// countSanitizer counts a value changed by a semantic-convention sanitizer.
func (r *Redactor) countSanitizer(st *state) {
	if x := r.counting(st); x != nil {
		x.add(x.fixed[fixedKey{ruleSemconv, "sanitize"}][sigIndex(st)])
	}
}

// countDetector counts one detector match replaced in a string.
func (r *Redactor) countDetector(st *state, k scan.Kind) {
	if x := r.counting(st); x != nil && int(k) < len(x.detectors) && x.detectors[k][0] != nil {
		x.add(x.detectors[k][sigIndex(st)])
	}
}

// reportError tells the OpenTelemetry error handler about a failure that
// made veil emit a marker instead of a value.
func reportError(err error) {
	otel.Handle(err)
}
