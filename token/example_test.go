package token_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"

	"github.com/veilhq/veil/token"
)

// exampleKeyring returns a fixed keyring so the examples' output is stable.
// Real keyrings come from GenerateKey, ParseKeyring or ReadKeyringFile.
func exampleKeyring() *token.Keyring {
	kr, err := token.NewKeyring(
		token.Key{ID: "k2", Secret: []byte("veil-test-key-two-0123456789abcdef")},
		token.Key{ID: "k1", Secret: []byte("veil-test-key-one-0123456789abcdef")},
	)
	if err != nil {
		panic(err)
	}
	return kr
}

func ExampleNew() {
	t := token.New(exampleKeyring())
	fmt.Println(t.Token(token.Email, "alice@example.com"))
	fmt.Println(t.Token(token.Email, "  Alice@EXAMPLE.com ")) // normalized: same person, same token
	fmt.Println(t.Token(token.UserID, "alice@example.com"))   // other kind, unrelated token
	// Output:
	// tok_k2_4vmwtoylhv6kw7b6urtkpf7xza
	// tok_k2_4vmwtoylhv6kw7b6urtkpf7xza
	// tok_k2_6gmysekyi3z2zkphclgm6xyv5i
}

func ExampleOf() {
	// Without veil's redactor in the pipeline, a marked value prints as a
	// placeholder; it never reaches the output raw.
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	user := token.Of(token.Email, "alice@example.com")
	logger.Info("login", "user", user)
	fmt.Print(buf.String())
	fmt.Printf("%v %+v %#v\n", user, user, user)

	// veil's redactor turns it into the token.
	fmt.Println(user.TokenWith(token.New(exampleKeyring())))
	// Output:
	// level=INFO msg=login user=[EMAIL]
	// [EMAIL] [EMAIL] [EMAIL]
	// tok_k2_4vmwtoylhv6kw7b6urtkpf7xza
}

func ExampleParseKeyring() {
	// In production: token.ParseKeyring(os.Getenv("VEIL_TOKEN_KEYS")).
	env := "k2:dmVpbC10ZXN0LWtleS10d28tMDEyMzQ1Njc4OWFiY2RlZg==,k1:dmVpbC10ZXN0LWtleS1vbmUtMDEyMzQ1Njc4OWFiY2RlZg=="
	kr, err := token.ParseKeyring(env)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(kr.PrimaryID(), kr.IDs())
	fmt.Println(kr) // key ids only, never secrets

	_, err = token.ParseKeyring("k1:c2hvcnQ=")
	fmt.Println(err)
	// Output:
	// k2 [k2 k1]
	// token.Keyring{primary:k2 keys:[k2 k1]}
	// token: key "k1": secret is 5 bytes, shorter than the minimum of 32; generate a new one with GenerateKey
}

func ExampleTokenizer_Candidates() {
	// A token stored before the rotation from k1 to k2 ...
	before, err := token.NewKeyring(token.Key{ID: "k1", Secret: []byte("veil-test-key-one-0123456789abcdef")})
	if err != nil {
		panic(err)
	}
	stored := token.New(before).Token(token.Email, "alice@example.com")

	// ... is still found after it: Candidates has one token per key, primary first.
	t := token.New(exampleKeyring())
	for _, c := range t.Candidates(token.Email, "Alice@example.com") {
		id, _ := token.ParseToken(c)
		fmt.Println(id, c, c == stored)
	}
	// Output:
	// k2 tok_k2_4vmwtoylhv6kw7b6urtkpf7xza false
	// k1 tok_k1_m66vxmccz7dfms2f7ao3dxq52m true
}

func ExampleGenerateKey() {
	k, err := token.GenerateKey("k3")
	if err != nil {
		panic(err)
	}
	fmt.Println(k) // safe to print: the secret is redacted
	// k.ExportSecret() gives "k3:<base64>" for the secret store.
	// Output:
	// token.Key{ID:"k3", Secret:[REDACTED 32 bytes]}
}
