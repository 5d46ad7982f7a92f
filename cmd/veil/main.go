// Command veil is the investigator's and CI's tool for veil.
//
// Usage:
//
//	veil keygen [-id k1]                     print a new key in the VEIL_TOKEN_KEYS form
//	veil token [-kind email] VALUE...        print the token of each value under every key, primary first
//	veil scan [-check] [FILE...]             redact files (or stdin) with the default policy;
//	                                         identifiers become tokens when keys are given
//
// Keys are read from the VEIL_TOKEN_KEYS environment variable
// ("k2:<base64>,k1:<base64>", primary first) or from the file named by -keys.
// veil never prints key material except the key that keygen was asked to make.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/token"
)

const usage = `veil: privacy tooling for production debugging.

Usage:
  veil keygen [-id ID]                  print a new 32-byte key as ID:<base64>, for VEIL_TOKEN_KEYS
  veil token [-kind KIND] [-keys FILE] VALUE...
                                        print the token of each VALUE under every key, primary first
  veil scan [-check] [-keys FILE] [FILE...]
                                        print FILEs (or stdin) with secrets and identifiers removed;
                                        with -check, print only the places that would change and
                                        exit 1 if there are any (for CI)

Keys come from $VEIL_TOKEN_KEYS ("k2:<base64>,k1:<base64>", primary first) or -keys FILE.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code: 0 success,
// 1 findings (scan -check), 2 usage or input errors.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	code := 0
	switch args[0] {
	case "keygen":
		err = keygen(args[1:], stdout)
	case "token":
		err = tokenCmd(args[1:], stdout)
	case "scan":
		code, err = scanCmd(args[1:], stdin, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("unknown command %q; run 'veil help'", args[0])
	}
	if err != nil {
		fmt.Fprintln(stderr, "veil:", err)
		return 2
	}
	return code
}

func keygen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	id := fs.String("id", "k1", "key id: 1 to 16 characters of [a-z0-9-]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, err := token.GenerateKey(*id)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, k.ExportSecret())
	return err
}

func tokenCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	kind := fs.String("kind", token.Email, "kind of identifier: email, phone, ip, user_id or a custom kind")
	keys := fs.String("keys", "", "keyring file (one id:<base64> per line, primary first); default $VEIL_TOKEN_KEYS")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("token: give at least one value")
	}
	kr, err := loadKeyring(*keys)
	if err != nil {
		return err
	}
	t := token.New(kr)
	for _, v := range fs.Args() {
		// The value itself is not echoed: the output may be pasted into tickets.
		if _, err := fmt.Fprintln(stdout, strings.Join(t.Candidates(*kind, v), " ")); err != nil {
			return err
		}
	}
	return nil
}

func loadKeyring(file string) (*token.Keyring, error) {
	if file != "" {
		return token.ReadKeyringFile(file)
	}
	env := os.Getenv("VEIL_TOKEN_KEYS")
	if env == "" {
		return nil, errors.New("no keys: set VEIL_TOKEN_KEYS (see 'veil keygen') or pass -keys FILE")
	}
	return token.ParseKeyring(env)
}

func scanCmd(args []string, stdin io.Reader, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	check := fs.Bool("check", false, "report lines that would change (redacted) and exit 1 if any")
	keys := fs.String("keys", "", "keyring file; with it or $VEIL_TOKEN_KEYS identifiers become tokens, else placeholders")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	var opts []redact.Option
	if *keys != "" || os.Getenv("VEIL_TOKEN_KEYS") != "" {
		kr, err := loadKeyring(*keys)
		if err != nil {
			return 2, err
		}
		opts = append(opts, redact.WithTokenizer(token.New(kr)))
	}
	r, err := redact.New(opts...)
	if err != nil {
		return 2, err
	}
	findings := 0
	scanOne := func(name string, in io.Reader) error {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		for line := 1; sc.Scan(); line++ {
			s := sc.Text()
			out := r.Redact(s)
			switch {
			case !*check:
				_, err = fmt.Fprintln(stdout, out)
			case out != s:
				findings++
				_, err = fmt.Fprintf(stdout, "%s:%d: %s\n", name, line, out)
			}
			if err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if fs.NArg() == 0 {
		err = scanOne("<stdin>", stdin)
	}
	for _, name := range fs.Args() {
		f, ferr := os.Open(name)
		if ferr != nil {
			return 2, ferr
		}
		err = scanOne(name, f)
		f.Close()
		if err != nil {
			break
		}
	}
	if err != nil {
		return 2, err
	}
	if *check && findings > 0 {
		return 1, nil
	}
	return 0, nil
}
