package scan_test

import (
	"fmt"
	"strings"

	"github.com/veilhq/veil/internal/scan"
)

func Example() {
	text := "login failed for alice@example.com from 10.1.2.3 password=hunter2xyz"
	s := scan.New(scan.All)
	var b strings.Builder
	last := 0
	for _, m := range s.Scan(nil, text) {
		b.WriteString(text[last:m.Start])
		b.WriteString(m.Kind.Placeholder())
		last = m.End
	}
	b.WriteString(text[last:])
	fmt.Println(b.String())
	// Output: login failed for [EMAIL] from [IP] password=[SECRET]
}

func ExampleScanner_Scan() {
	text := "Authorization: Bearer abc.def, card 4111 1111 1111 1111"
	for _, m := range scan.New(scan.All).Scan(nil, text) {
		fmt.Printf("%d-%d %s %s %q\n", m.Start, m.End, m.Kind, m.Kind.Class(), text[m.Start:m.End])
	}
	// Output:
	// 22-29 bearer_token secret "abc.def"
	// 36-55 card payment "4111 1111 1111 1111"
}

func ExampleSetOf() {
	s := scan.New(scan.SetOf(scan.Email, scan.IPv4, scan.IPv6))
	text := "alice@example.com 4111111111111111 2001:db8::1"
	for _, m := range s.Scan(nil, text) {
		fmt.Println(m.Kind, m.Kind.TokenKind(), text[m.Start:m.End])
	}
	// Output:
	// email email alice@example.com
	// ipv6 ip 2001:db8::1
}

func ExampleParseKind() {
	k, err := scan.ParseKind("aws_access_key")
	fmt.Println(k, k.Class(), k.Placeholder(), err)
	_, err = scan.ParseKind("mail")
	fmt.Println(err != nil)
	// Output:
	// aws_access_key secret [SECRET] <nil>
	// true
}
