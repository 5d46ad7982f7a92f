package redact

import (
	"bytes"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/veilhq/veil/internal/oteltest"
)

// TestStatementArgs: the argument bound in the place of a sensitive column,
// logged beside its statement (pgx's tracer), in any order, in a record or a
// group.
func TestStatementArgs(t *testing.T) {
	const secret = "Args-Canary-5q1"
	const insert = "INSERT INTO users (name, password) VALUES ($1, $2)"
	r := mustNew(t)
	for _, c := range []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"statement first", func(l *slog.Logger) { l.Info("query", "sql", insert, "args", []any{"bob", secret}) }},
		{"arguments first", func(l *slog.Logger) { l.Info("query", "args", []any{"bob", secret}, "sql", insert) }},
		{"after a changed attribute", func(l *slog.Logger) {
			l.Info("query", "email", "bob@example.com", "args", []string{"bob", secret}, "sql", insert)
		}},
		{"before a changed attribute", func(l *slog.Logger) {
			l.Info("query", "args", []string{"bob", secret}, "email", "bob@example.com", "sql", insert)
		}},
		{"update, '?'", func(l *slog.Logger) {
			l.Info("query", "query", "UPDATE users SET reset_token = ? WHERE name = ?", "params", []any{secret, "bob"})
		}},
		{"in a group", func(l *slog.Logger) {
			l.Info("query", slog.Group("db", "statement", insert, "arguments", []any{"bob", secret}))
		}},
		{"in a struct", func(l *slog.Logger) {
			l.Info("query", "q", struct {
				SQL  string
				Args []any
			}{insert, []any{"bob", secret}})
		}},
		{"in a map", func(l *slog.Logger) {
			l.Info("query", "q", map[string]any{"sql": insert, "args": []string{"bob", secret}})
		}},
		{"many attributes", func(l *slog.Logger) {
			l.Info("query", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6, "g", 7, "sql", insert, "args", []any{"bob", secret})
		}},
		{"statement given to With", func(l *slog.Logger) {
			q := l.With("sql", insert, "attempt", 1)
			q.Info("query", "args", []any{"bob", secret})
		}},
		{"statement given to With, then another With", func(l *slog.Logger) {
			l.With("db.statement", insert).With("conn", 3).Info("query", "email", "bob@example.com", "args", []any{"bob", secret})
		}},
		{"statement in the record and in With", func(l *slog.Logger) {
			l.With("sql", "SELECT 1").Info("query", "sql", insert, "args", []any{"bob", secret})
		}},
	} {
		for _, h := range canaryLoggers {
			var buf bytes.Buffer
			c.log(h(r, &buf))
			out := buf.String()
			if strings.Contains(out, secret) || !strings.Contains(out, Redacted) || !strings.Contains(out, "bob") {
				t.Errorf("%s: %s", c.name, out)
			}
		}
	}
	// Arguments in the place of no sensitive column, or with no statement
	// beside them, stay.
	for _, attrs := range [][]any{
		{"sql", "SELECT * FROM users WHERE name = $1", "args", []any{"Args-Kept-1"}},
		{"args", []any{"Args-Kept-1", "x"}},
		{"sql", insert, "args", []any{"Args-Kept-1"}, "rows", 1},
		{"query", "shoes", "params", []any{"Args-Kept-1", "hunter2"}}, // a search, not SQL
	} {
		var buf bytes.Buffer
		jsonLogger(r, &buf).Info("m", attrs...)
		if !strings.Contains(buf.String(), "Args-Kept-1") || strings.Contains(buf.String(), Redacted) {
			t.Errorf("changed: %s", buf.String())
		}
	}
	// A statement given to With is beside the argument lists of its own
	// group only, and the record's own statement comes first.
	for _, log := range []func(l *slog.Logger){
		func(l *slog.Logger) {
			l.With("sql", insert).WithGroup("g").Info("m", "args", []any{"x", "Args-Kept-1"})
		},
		func(l *slog.Logger) {
			l.With("sql", insert).Info("m", "sql", "SELECT $1, $2", "args", []any{"x", "Args-Kept-1"})
		},
		func(l *slog.Logger) { l.With("sql", "SELECT 1").Info("m", "args", []any{"x", "Args-Kept-1"}) },
	} {
		var buf bytes.Buffer
		log(jsonLogger(r, &buf))
		if !strings.Contains(buf.String(), "Args-Kept-1") || strings.Contains(buf.String(), Redacted) {
			t.Errorf("changed: %s", buf.String())
		}
	}
}

// TestStatementArgsOTel: the same beside a span's or a log record's
// statement.
func TestStatementArgsOTel(t *testing.T) {
	const secret = "Args-Canary-6q1"
	r := mustNew(t)
	stmt := attribute.String("db.statement", "INSERT INTO users (name, password) VALUES (?, ?)")
	if out := otelSpanOutput(t, r, stmt, attribute.StringSlice("args", []string{"bob", secret})); strings.Contains(out, secret) || !strings.Contains(out, "bob") {
		t.Errorf("span: %s", out)
	}
	exp := &oteltest.LogExporter{}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(r.LogProcessor(sdklog.NewSimpleProcessor(exp))))
	var rec log.Record
	rec.AddAttributes(attribute.KeyValue{Key: "args", Value: attribute.SliceValue(attribute.StringValue("bob"), attribute.StringValue(secret))},
		attribute.String("sql", "INSERT INTO users (name, password) VALUES ($1, $2)"))
	lp.Logger("t").Emit(ctx0, rec)
	if d := oteltest.DumpRecord(&exp.Records()[0]); strings.Contains(d, secret) || !strings.Contains(d, Redacted) {
		t.Errorf("log record: %s", d)
	}
}

// TestStatementArgsNoAlloc: an argument list with no statement beside it
// costs a record what any list costs (walking a []any allocates its copy).
func TestStatementArgsNoAlloc(t *testing.T) {
	r := mustNew(t)
	l := slog.New(r.Handler(slog.NewJSONHandler(discard{}, nil)))
	allocs := func(key string) float64 {
		attrs := []slog.Attr{slog.String("method", "GET"), slog.Any(key, []any{"a", 1}), slog.String("query", "shoes")}
		l.LogAttrs(ctx0, slog.LevelInfo, "m", attrs...)
		return testing.AllocsPerRun(100, func() { l.LogAttrs(ctx0, slog.LevelInfo, "m", attrs...) })
	}
	if args, list := allocs("args"), allocs("list"); args > list {
		t.Errorf("%v allocations per record with an argument list, %v with another list", args, list)
	}
}

// TestStatementArgsConcurrent: the statement cache shared by goroutines
// logging different statements (run with -race).
func TestStatementArgsConcurrent(t *testing.T) {
	r := mustNew(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				var buf bytes.Buffer
				col := []string{"password", "api_token", "secret", "name"}[(g+i)%4]
				stmt := "INSERT INTO t" + strconv.Itoa(i%80) + " (id, " + col + ") VALUES ($1, $2)"
				jsonLogger(r, &buf).Info("q", "sql", stmt, "args", []any{1, "Args-Conc-7z"})
				if leaked := strings.Contains(buf.String(), "Args-Conc-7z"); leaked != (col == "name") {
					t.Errorf("%s: %s", stmt, buf.String())
					return
				}
			}
		}()
	}
	wg.Wait()
}
