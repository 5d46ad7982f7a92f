package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/veilhq/veil/internal/oteltest"
)

// envVar is shaped as Kubernetes' corev1.EnvVar.
type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

// tag is shaped as an AWS tag.
type tag struct {
	Key   string
	Value *string
}

// TestEntries asserts that the value member of an entry whose name member
// is a sensitive key name never reaches the output, in every shape slog and
// OpenTelemetry can carry an entry, and that entries naming anything else
// pass untouched.
func TestEntries(t *testing.T) {
	const secret = "Entry-Canary-9q7"
	s := secret
	r := mustNew(t)
	for _, c := range []struct {
		name string
		args []any
	}{
		{"attrs", []any{"name", "DB_PASSWORD", "value", secret}},
		{"group", []any{slog.Group("env", "name", "api_key", "value", secret)}},
		{"group with a member between", []any{slog.Group("env", "name", "api_key", "type", "string", "value", secret)}},
		{"struct", []any{"env", envVar{"STRIPE_SECRET", secret}}},
		{"struct pointer field", []any{"tag", tag{"auth_token", &s}}},
		{"slice of structs", []any{"env", []envVar{{"PORT", "8080"}, {"DB_PASSWORD", secret}}}},
		{"map", []any{"param", map[string]string{"Name": "/prod/db/password", "Value": secret}}},
		{"map of any", []any{"param", map[string]any{"ParameterKey": "DbPassword", "ParameterValue": secret}}},
		{"logvaluer", []any{"env", slog.GroupValue(slog.String("key", "Authorization"), slog.String("value", secret))}},
		{"text", []any{"body", `{"env":[{"name":"DB_PASSWORD","value":"` + secret + `"}]}`}},
		{"error", []any{"err", fmt.Errorf("apply %s", `- name: DB_PASSWORD`+"\n"+`  value: `+secret)}},
	} {
		for _, h := range []func(r *Redactor, b *bytes.Buffer) *slog.Logger{jsonLogger, textLogger} {
			var buf bytes.Buffer
			h(r, &buf).Info("config", c.args...)
			if out := buf.String(); strings.Contains(out, secret) || !strings.Contains(out, Redacted) && !strings.Contains(out, "[SECRET]") {
				t.Errorf("%s: %s", c.name, out)
			}
		}
	}

	// Entries naming no secret, and values that are not an entry's.
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"plain name", []any{"name", "LOG_LEVEL", "value", "debug-Entry-7"}, "debug-Entry-7"},
		{"value first", []any{"value", "kept-Entry-1", "name", "DB_PASSWORD"}, "kept-Entry-1"},
		{"another group", []any{slog.Group("a", "name", "DB_PASSWORD"), slog.Group("b", "value", "kept-Entry-2")}, "kept-Entry-2"},
		{"outer value", []any{slog.Group("a", "name", "DB_PASSWORD"), "value", "kept-Entry-3"}, "kept-Entry-3"},
		{"renamed", []any{"name", "DB_PASSWORD", "name", "PORT", "value", "kept-Entry-4"}, "kept-Entry-4"},
		{"struct", []any{"env", []envVar{{"DB_PASSWORD", ""}, {"PORT", "kept-Entry-5"}}}, "kept-Entry-5"},
	} {
		var buf bytes.Buffer
		jsonLogger(r, &buf).Info("config", c.args...)
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("%s: %q over-redacted: %s", c.name, c.want, buf.String())
		}
	}

	// A rule on the value key still comes first.
	rk := mustNew(t, WithRule(Key("value"), Mask(4)))
	var buf bytes.Buffer
	jsonLogger(rk, &buf).Info("config", "name", "DB_PASSWORD", "value", secret)
	if got := lastLine(t, &buf)["value"]; got != "****-9q7" {
		t.Errorf("rule on value: %v", got)
	}
}

// TestEntriesOTel covers entries in span attributes and in log bodies and
// attributes (maps, and maps in slices).
func TestEntriesOTel(t *testing.T) {
	const secret = "Entry-Canary-4k2"
	r := mustNew(t)
	if out := otelSpanOutput(t, r, attribute.String("name", "DB_PASSWORD"), attribute.String("value", secret)); strings.Contains(out, secret) {
		t.Errorf("span: %s", out)
	}
	if out := otelSpanOutput(t, r, attribute.String("name", "PORT"), attribute.String("value", "8080-Entry")); !strings.Contains(out, "8080-Entry") {
		t.Errorf("span over-redacted: %s", out)
	}
	entry := attribute.MapValue(attribute.String("name", "DB_PASSWORD"), attribute.String("value", secret))
	for _, c := range []struct {
		name string
		set  func(*log.Record)
	}{
		{"body", func(rec *log.Record) { rec.SetBody(entry) }},
		{"attribute", func(rec *log.Record) { rec.AddAttributes(attribute.KeyValue{Key: "env", Value: entry}) }},
		{"slice", func(rec *log.Record) {
			rec.AddAttributes(attribute.KeyValue{Key: "env", Value: attribute.SliceValue(attribute.MapValue(attribute.String("name", "PORT"), attribute.String("value", "80")), entry)})
		}},
	} {
		exp := &oteltest.LogExporter{}
		lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
		var rec log.Record
		c.set(&rec)
		lp.Logger("t").Emit(ctx0, rec)
		if d := oteltest.DumpRecord(&exp.Records()[0]); strings.Contains(d, secret) || !strings.Contains(d, Redacted) {
			t.Errorf("%s: %s", c.name, d)
		}
	}
}

// TestEntriesNoAlloc asserts that an entry member costs a clean record no
// allocation.
func TestEntriesNoAlloc(t *testing.T) {
	r := mustNew(t)
	h := r.Handler(slog.NewJSONHandler(discard{}, nil))
	l := slog.New(h)
	attrs := []slog.Attr{slog.String("name", "LOG_LEVEL"), slog.String("value", "debug"), slog.String("key", "orders:42")}
	l.LogAttrs(ctx0, slog.LevelInfo, "m", attrs...)
	bare := testing.AllocsPerRun(100, func() { slog.New(slog.NewJSONHandler(discard{}, nil)).LogAttrs(ctx0, slog.LevelInfo, "m", attrs...) })
	got := testing.AllocsPerRun(100, func() { l.LogAttrs(ctx0, slog.LevelInfo, "m", attrs...) })
	if got > bare {
		t.Errorf("%v allocations per record, bare handler %v", got, bare)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
