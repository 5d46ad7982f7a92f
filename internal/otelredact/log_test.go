package otelredact

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/log/logtest"

	"github.com/veilhq/veil/internal/oteltest"
)

// logRecords returns records carrying the canary in every position a log
// record has, and one clean record.
func logRecords() []log.Record {
	var rs []log.Record
	add := func(f func(r *log.Record)) {
		var r log.Record
		r.SetSeverity(log.SeverityInfo)
		f(&r)
		rs = append(rs, r)
	}
	add(func(r *log.Record) { r.SetBody(attribute.StringValue("login by " + canary)) })
	add(func(r *log.Record) {
		r.SetBody(attribute.MapValue(attribute.String("user", canary), attribute.Map("nested", attribute.String(canary, "k"))))
	})
	add(func(r *log.Record) {
		r.SetBody(attribute.SliceValue(attribute.StringValue("ok"), attribute.StringValue(canary)))
	})
	add(func(r *log.Record) {
		r.SetBody(attribute.StringValue("attrs"))
		r.AddAttributes(attribute.String("user.email", canary), attribute.StringSlice("list", []string{canary}),
			attribute.Map("m", attribute.String("k", canary)), attribute.ByteSlice("b", []byte(canary)),
			attribute.Int("n", 1), attribute.String("a", "1"), attribute.String("b2", "2"), attribute.String("c", "3"))
	})
	add(func(r *log.Record) {
		r.SetBody(attribute.StringValue("failed"))
		r.SetErr(errors.New("lookup " + canary + " failed"))
	})
	add(func(r *log.Record) {
		r.SetEventName("user." + canary)
		r.SetBody(attribute.StringValue("event"))
	})
	add(func(r *log.Record) {
		r.SetBody(attribute.StringValue("clean"))
		r.AddAttributes(attribute.String("k", "v"))
	})
	return rs
}

func emitLogs(lp *sdklog.LoggerProvider) {
	l := lp.Logger("veil.test")
	for _, r := range logRecords() {
		l.Emit(context.Background(), r)
	}
}

func TestLogCanary(t *testing.T) {
	for _, tt := range []struct {
		name string
		proc func(exp sdklog.Exporter) sdklog.Processor
	}{
		{"simple", func(exp sdklog.Exporter) sdklog.Processor { return sdklog.NewSimpleProcessor(exp) }},
		{"batch", func(exp sdklog.Exporter) sdklog.Processor { return sdklog.NewBatchProcessor(exp) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			exp := &oteltest.LogExporter{}
			lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(NewLogProcessor(&canaryPolicy{}, tt.proc(exp))))
			emitLogs(lp)
			if err := lp.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
			checkRecords(t, exp.Records())
		})
	}
}

func checkRecords(t *testing.T, records []sdklog.Record) {
	t.Helper()
	if len(records) != len(logRecords()) {
		t.Fatalf("got %d records, want %d", len(records), len(logRecords()))
	}
	var markers int
	for i := range records {
		r := &records[i]
		d := oteltest.DumpRecord(r)
		if strings.Contains(d, canary) {
			t.Errorf("canary leaked: %s", d)
		}
		markers += strings.Count(d, marker) + strings.Count(d, markerKey)
	}
	// body string, map (value and key), slice, 4 attributes, exception.message, event name
	if markers != 10 {
		t.Errorf("found %d markers, want 10", markers)
	}
	exc := records[4]
	var msg, typ string
	exc.WalkAttributes(func(kv attribute.KeyValue) bool {
		switch kv.Key {
		case "exception.message":
			msg = kv.Value.AsString()
		case "exception.type":
			typ = kv.Value.AsString()
		}
		return true
	})
	if msg != marker || typ == "" {
		t.Errorf("error-derived attributes: message %q type %q", msg, typ)
	}
	if got := records[3].AttributesLen(); got != 8 {
		t.Errorf("record with 8 attributes has %d after redaction", got)
	}
	if got := records[6].Body().AsString(); got != "clean" {
		t.Errorf("clean body = %q", got)
	}
}

func TestLogControl(t *testing.T) {
	exp := &oteltest.LogExporter{}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(exp)))
	emitLogs(lp)
	_ = lp.Shutdown(context.Background())
	for i := range exp.Records()[:len(exp.Records())-1] {
		if d := oteltest.DumpRecord(&exp.Records()[i]); !strings.Contains(d, canary) {
			t.Errorf("control record %d has no canary: %s", i, d)
		}
	}
}

func TestLogProcessorPanickingPolicy(t *testing.T) {
	var reported []error
	exp := &oteltest.LogExporter{}
	p := NewLogProcessor(&canaryPolicy{panicOn: LogRecord}, sdklog.NewSimpleProcessor(exp),
		WithErrorHandler(func(err error) { reported = append(reported, err) }))
	r := logtest.RecordFactory{Body: attribute.StringValue(canary)}.NewRecord()
	err := p.OnEmit(context.Background(), &r)
	if err == nil || len(reported) != 1 || len(exp.Records()) != 0 {
		t.Fatalf("err %v, reported %v, exported %d", err, reported, len(exp.Records()))
	}
}

func TestLogProcessorForwards(t *testing.T) {
	ctx := context.Background()
	exp := &oteltest.LogExporter{}
	p := NewLogProcessor(&canaryPolicy{}, sdklog.NewSimpleProcessor(exp))
	if !p.Enabled(ctx, sdklog.EnabledParameters{Severity: log.SeverityInfo}) {
		t.Error("Enabled not forwarded")
	}
	if err := p.OnEmit(ctx, nil); err != nil {
		t.Errorf("OnEmit(nil): %v", err)
	}
	if p.ForceFlush(ctx) != nil || p.Shutdown(ctx) != nil {
		t.Error("ForceFlush/Shutdown")
	}
	n := NewLogProcessor(&canaryPolicy{}, nil)
	r := logtest.RecordFactory{Body: attribute.StringValue(canary)}.NewRecord()
	if n.Enabled(ctx, sdklog.EnabledParameters{}) || n.OnEmit(ctx, &r) != nil || n.Shutdown(ctx) != nil || n.ForceFlush(ctx) != nil {
		t.Error("nil next")
	}
}

func TestLogCleanRecordNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	p := NewLogProcessor(&canaryPolicy{}, nopLogProcessor{})
	r := logtest.RecordFactory{Body: attribute.StringValue("clean"),
		Attributes: []attribute.KeyValue{attribute.String("a", "b"), attribute.Int("n", 1)}}.NewRecord()
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { _ = p.OnEmit(ctx, &r) }); n != 0 {
		t.Errorf("clean record: %v allocations, want 0", n)
	}
}

type nopLogProcessor struct{}

func (nopLogProcessor) OnEmit(context.Context, *sdklog.Record) error           { return nil }
func (nopLogProcessor) Enabled(context.Context, sdklog.EnabledParameters) bool { return true }
func (nopLogProcessor) Shutdown(context.Context) error                         { return nil }
func (nopLogProcessor) ForceFlush(context.Context) error                       { return nil }
