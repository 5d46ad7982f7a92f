package redact_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/token"
)

// noTime removes the time so that the output below is deterministic.
func noTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func ExampleNew() {
	r, err := redact.New() // safe defaults
	if err != nil {
		panic(err)
	}
	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})))
	logger.Info("login failed for alice@example.com", "password", "hunter2", "attempt", 3)
	// Output:
	// {"level":"INFO","msg":"login failed for [EMAIL]","password":"[REDACTED]","attempt":3}
}

// JSONHandler is Handler in front of slog's JSON handler, in one: the same
// bytes, written faster.
func ExampleRedactor_JSONHandler() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	h := r.JSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug})
	// In a service: logger := slog.New(h). Here a record without a time,
	// for an output that does not change.
	rec := slog.NewRecord(time.Time{}, slog.LevelDebug, "login failed for alice@example.com", 0)
	rec.AddAttrs(slog.String("password", "hunter2"), slog.String("from", "10.1.2.3"), slog.Int("attempt", 2))
	_ = h.WithGroup("req").Handle(context.Background(), rec)
	// Output:
	// {"level":"DEBUG","msg":"login failed for [EMAIL]","req":{"password":"[REDACTED]","from":"[IP]","attempt":2}}
}

func ExampleRedactor_Handler() {
	// In production the keys come from token.ParseKeyring(os.Getenv(...)).
	kr, err := token.NewKeyring(token.Key{ID: "k1", Secret: bytes.Repeat([]byte{42}, 32)})
	if err != nil {
		panic(err)
	}
	r, err := redact.New(redact.WithTokenizer(token.New(kr)))
	if err != nil {
		panic(err)
	}
	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})))
	logger = logger.With("api_key", "sk_live_abc") // redacted once, here
	logger.Info("signup", "user", token.Of("email", "Bob@Example.com"))
	// Output:
	// {"level":"INFO","msg":"signup","api_key":"[REDACTED]","user":"tok_k1_5jwb7gzjwlvhftxu6wbeu4mlsm"}
}

// A query logger (here as pgx's tracer writes one) logs a statement and its
// bind arguments side by side: the argument bound to the password column is
// replaced, the others stay.
func ExampleRedactor_Handler_statementArguments() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})))
	logger.Info("Query", "sql", "INSERT INTO users (name, password) VALUES ($1, $2)", "args", []any{"bob", "hunter2"})
	// Output:
	// {"level":"INFO","msg":"Query","sql":"INSERT INTO users (name, password) VALUES ($1, $2)","args":["bob","[REDACTED]"]}
}

func ExampleRedactor_Record() {
	r, err := redact.New()
	if err != nil {
		panic(err)
	}
	// A record held outside a handler chain, as a flight recorder's Sink
	// receives them.
	rec := slog.NewRecord(time.Time{}, slog.LevelError, "login failed for bob@example.com", 0)
	rec.AddAttrs(slog.String("password", "hunter2"), slog.Int("attempt", 3))

	out := r.Record(rec)
	fmt.Println(out.Message)
	out.Attrs(func(a slog.Attr) bool {
		fmt.Println(a.Key, a.Value)
		return true
	})
	// Output:
	// login failed for [EMAIL]
	// password [REDACTED]
	// attempt 3
}

func ExampleWithRule() {
	kr, _ := token.NewKeyring(token.Key{ID: "k1", Secret: bytes.Repeat([]byte{42}, 32)})
	r, err := redact.New(
		redact.WithTokenizer(token.New(kr)),
		redact.WithRule(redact.Key("user.email"), redact.Tokenize("email")),
		redact.WithRule(redact.Key("*.card"), redact.Mask(4)),
		redact.WithRule(redact.Key("debug_blob"), redact.Drop()),
		redact.WithRule(redact.Key("query"), redact.Truncate(8)),
	)
	if err != nil {
		panic(err)
	}
	type payment struct {
		Card   string `json:"card"`
		Amount int    `json:"amount"`
	}
	logger := slog.New(r.Handler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})))
	logger.Info("checkout",
		slog.Group("user", "email", "carol@example.com"),
		"payment", payment{Card: "tok-visa-0000004242", Amount: 1299},
		"debug_blob", "…",
		"query", "select-everything-from-everywhere",
	)
	// Output:
	// {"level":"INFO","msg":"checkout","user":{"email":"tok_k1_rr2pg3o3g7iuvuekf3mdzhoyfu"},"payment":{"card":"****4242","amount":1299},"query":"select-e…"}
}

func ExampleSecret() {
	type config struct {
		User     string
		Password redact.Secret[string]
	}
	c := config{User: "svc", Password: redact.NewSecret("hunter2")}

	fmt.Printf("%v %+v\n", c, c)
	b, _ := json.Marshal(c)
	fmt.Println(string(b))
	slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("config", "c", c)
	fmt.Println(len(c.Password.Reveal()))
	// Output:
	// {svc [REDACTED]} {User:svc Password:[REDACTED]}
	// {"User":"svc","Password":"[REDACTED]"}
	// level=INFO msg=config c="{User:svc Password:[REDACTED]}"
	// 7
}
