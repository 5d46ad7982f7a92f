package scan

import (
	"slices"
	"strings"
	"testing"
)

type detectCase struct {
	text string
	want []string // "kind:span", in order; empty for a near miss
}

func runCases(t *testing.T, cases []detectCase) {
	t.Helper()
	for _, c := range cases {
		got := found(t, c.text)
		want := c.want
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Scan(%q)\n got %q\nwant %q", c.text, got, want)
		}
	}
}

func TestEmail(t *testing.T) {
	runCases(t, []detectCase{
		{"login failed for alice@example.com from x", []string{"email:alice@example.com"}},
		{"to: Bob.O-Neil+tag_1%x@mail.Example.co.uk.", []string{"email:Bob.O-Neil+tag_1%x@mail.Example.co.uk"}},
		{"<carol@sub-domain.example.org>", []string{"email:carol@sub-domain.example.org"}},
		{"mailto:dave@example.io?subject=x", []string{"email:dave@example.io"}},
		{"email:erin@example.com", []string{"email:erin@example.com"}},
		{"a@b.co", []string{"email:a@b.co"}},
		{"..x@example.com", []string{"email:x@example.com"}},
		// internationalized domains, and text that goes on without a space
		{"to alice@exämple.de, bob@例え.jp, carol@пример.рф", []string{"email:alice@exämple.de", "email:bob@例え.jp", "email:carol@пример.рф"}},
		{"jürgen.mü@example.de ålice@example.com", []string{"email:jürgen.mü@example.de", "email:ålice@example.com"}},
		{"联系alice@example.com。谢谢", []string{"email:联系alice@example.com"}}, // no space to end the local part before
		{strings.Repeat("ü", 40) + "@example.com", []string{"email:" + strings.Repeat("ü", 32) + "@example.com"}},
		// a run longer than a local part: its last 64 bytes, no address left whole
		{strings.Repeat("k", 70) + "alice@example.com", []string{"email:" + strings.Repeat("k", 59) + "alice@example.com"}},
		// near misses
		{"user@localhost", nil},
		{"golang.org/x/net@v0.59.0", nil},
		{"image@sha256:e3b0c44298fc", nil},
		{"a@b.c", nil},
		{"x@example.c0m", nil},
		{"x@-example.com", nil},
		{"x.@example.com", nil},
		{"@example.com", nil},
		{"foo@", nil},
		{"@@@@", nil},
	})
}

func TestPhone(t *testing.T) {
	runCases(t, []detectCase{
		{"call +1 415 555 0132 now", []string{"phone:+1 415 555 0132"}},
		{"+14155550132", []string{"phone:+14155550132"}},
		{"tel=+44 20 7946 0958;", []string{"phone:+44 20 7946 0958"}},
		{"+44 (0)20 7946 0958", []string{"phone:+44 (0)20 7946 0958"}},
		{"+1 (415) 555-0132", []string{"phone:+1 (415) 555-0132"}},
		{"+33.1.23.45.67.89", []string{"phone:+33.1.23.45.67.89"}},
		{"(555) 123-4567", []string{"phone:(555) 123-4567"}},
		{"(555)123-4567", []string{"phone:(555)123-4567"}},
		{"555-123-4567", []string{"phone:555-123-4567"}},
		{"555.123.4567.", []string{"phone:555.123.4567"}},
		{"call 1-415-555-0132 now", []string{"phone:1-415-555-0132"}},
		{"+1 415 555 0132 200 OK", []string{"phone:+1 415 555 0132"}},
		// National formats with the trunk prefix 0.
		{"call 020 7946 0958 now", []string{"phone:020 7946 0958"}}, // UK
		{"07700 900123", []string{"phone:07700 900123"}},            // UK mobile
		{"tel=06 12 34 56 78;", []string{"phone:06 12 34 56 78"}},   // FR
		{"01.23.45.67.89", []string{"phone:01.23.45.67.89"}},        // FR, dots
		{"030-1234567", []string{"phone:030-1234567"}},              // DE
		{"0151 1234567", []string{"phone:0151 1234567"}},            // DE mobile
		{"06-12345678", []string{"phone:06-12345678"}},              // NL
		{"090-1234-5678", []string{"phone:090-1234-5678"}},          // JP
		{"0412 345 678", []string{"phone:0412 345 678"}},            // AU
		{"(0412 345 678)", []string{"phone:0412 345 678"}},          // in parentheses
		{"020 7946 0958 12 items", []string{"phone:020 7946 0958"}}, // a count follows
		{"0800 123 4567.", []string{"phone:0800 123 4567"}},         // end of a sentence
		// near misses
		{"4155550132", nil},             // a bare run of digits
		{"+1234567", nil},               // 7 digits
		{"+0123456789", nil},            // no country code 0
		{"+12345678901234567", nil},     // 17 digits in one run
		{"x+14155550132", nil},          // part of a word
		{"+0x1a5", nil},                 // stack-trace offset
		{"+08:00", nil},                 // time-zone offset
		{"123-456-7890", nil},           // area code starting with 1
		{"555-123-45678", nil},          // wrong grouping
		{"ORD-555-123-4567", nil},       // continues an identifier
		{"v2-1-415-555-0132", nil},      // continues an identifier
		{"1-123-456-7890", nil},         // area code starting with 1
		{"1.555.123.4567", nil},         // a dotted number
		{"(123) 456-7890", nil},         // area code starting with 1
		{"+1 (415 555 0132", nil},       // unbalanced parenthesis
		{"version 555.123.4567.8", nil}, // a longer dotted number
		{"0123 4567", nil},              // 8 digits
		{"01-02-2024", nil},             // a date
		{"0001 2345 6789", nil},         // zeros after the trunk 0: a padded number
		{"01 02 03 04", nil},            // 8 digits: a list
		{"0612-3456-7890-12", nil},      // 14 digits with '-': an identifier
		{"ORD-020-7946-0958", nil},      // continues an identifier
		{"1 020 7946 0958", nil},        // the tail of a longer run of groups
		{"v0.21.1200.3456", nil},        // a version
		{"020 7946 0958x", nil},         // part of a word
	})
}

func TestIPv4(t *testing.T) {
	runCases(t, []detectCase{
		{"from 10.1.2.3", []string{"ipv4:10.1.2.3"}},
		{"addr=192.168.100.254:8080", []string{"ipv4:192.168.100.254"}},
		{"[203.0.113.7]", []string{"ipv4:203.0.113.7"}},
		{"cidr 10.0.0.0/8", []string{"ipv4:10.0.0.0"}},
		{"end 8.8.8.8.", []string{"ipv4:8.8.8.8"}},
		{"range 10.0.0.1-10.0.0.9", []string{"ipv4:10.0.0.1", "ipv4:10.0.0.9"}},
		// near misses
		{"256.1.1.1", nil},
		{"1.2.3", nil},
		{"1.2.3.4.5", nil},
		{"v1.2.3.4", nil},
		{"go1.2.3.4", nil},
		{"1.2.3.4-beta", nil},
		{"01.2.3.4", nil},
		{"10.01.2.3", nil},
		{"1.2.3.4a", nil},
		{"0.0.0.0:8080", nil},
		{"127.0.0.1", nil},
		{"255.255.255.255", nil},
		{"1234.1.1.1", nil},
	})
}

func TestIPv6(t *testing.T) {
	runCases(t, []detectCase{
		{"from 2001:db8::8a2e:370:7334 x", []string{"ipv6:2001:db8::8a2e:370:7334"}},
		{"fe80::1%eth0", []string{"ipv6:fe80::1"}},
		{"[2001:db8::1]:443", []string{"ipv6:2001:db8::1"}},
		{"::ffff:10.0.0.1", []string{"ipv6:::ffff:10.0.0.1"}},
		{"2001:0db8:0000:0000:0000:ff00:0042:8329.", []string{"ipv6:2001:0db8:0000:0000:0000:ff00:0042:8329"}},
		{"peer=2a00:1450:4001:82b::200e:", []string{"ipv6:2a00:1450:4001:82b::200e"}},
		// near misses
		{"12:30:45", nil},
		{"12:30:45.123", nil},
		{"de:ad:be:ef:00:01:02:03", nil},
		{"00:1a:2b:3c:4d:5e", nil},
		{"::1", nil},
		{"::", nil},
		{"a::b", nil},
		{"std::vector", nil},
		{"main.go:42:13", nil},
		{"2001:db8::1::2", nil},
		{"2001:db8:0:0:0:0:1", nil},
		{"12345::1", nil},
		{"2001:db8::1g", nil},
	})
}

func TestCard(t *testing.T) {
	runCases(t, []detectCase{
		{"diners 3056 9309 0259 04 ok", []string{"card:3056 9309 0259 04"}},
		{"visa-13 4222-2222-2222-2 ok", []string{"card:4222-2222-2222-2"}},
		{"3056 9309 0259 05, 3056 930 9025 04, 3056 9309 0259 0", nil}, // Luhn; not grouped by fours; 13 digits a Diners card is not
		{"card 4111111111111111 ok", []string{"card:4111111111111111"}},
		{"4111 1111 1111 1111", []string{"card:4111 1111 1111 1111"}},
		{"4111-1111-1111-1111.", []string{"card:4111-1111-1111-1111"}},
		{"amex 378282246310005", []string{"card:378282246310005"}},
		{"amex 3782 822463 10005", []string{"card:3782 822463 10005"}},
		{"mc 5555555555554444", []string{"card:5555555555554444"}},
		{"mc2 2223003122003222", []string{"card:2223003122003222"}},
		{"disc 6011111111111117", []string{"card:6011111111111117"}},
		{"jcb 3530111333300000", []string{"card:3530111333300000"}},
		{"diners 30569309025904", []string{"card:30569309025904"}},
		{"unionpay 6200000000000005", []string{"card:6200000000000005"}},
		{"visa13 4222222222222", []string{"card:4222222222222"}},
		{"pan=5105105105105100;", []string{"card:5105105105105100"}},
		{"4111 1111 1111 1111 2023", []string{"card:4111 1111 1111 1111"}}, // longest valid prefix of groups
		{"1234 4111 1111 1111 1111", []string{"card:4111 1111 1111 1111"}}, // starts at a later group
		// near misses
		{"4111111111111112", nil},     // bad Luhn
		{"4111 1111 1111 1112", nil},  // bad Luhn, grouped
		{"1234567812345670", nil},     // Luhn-valid, no IIN
		{"41111111111111111", nil},    // Visa with 17 digits
		{"5555555555554444000", nil},  // Mastercard with 19 digits
		{"41111111111111110000", nil}, // 20 digits
		{"4111 11 11 1111 1111", nil}, // 2-digit groups
		{"4111 1111-1111 1111", nil},  // mixed separators
		{"ORD-4111111111111111", nil}, // continues an identifier
		{"1.4111111111111111", nil},   // a dotted number
		{"4111111111111111.5", nil},   // a decimal
		{"x4111111111111111", nil},    // part of a word
		{"4111111111111111ms", nil},   // a duration
	})
}

func TestSSN(t *testing.T) {
	runCases(t, []detectCase{
		{"ssn 123-45-6789", []string{"ssn:123-45-6789"}},
		{"ssn=078-05-1120;", []string{"ssn:078-05-1120"}},
		// near misses
		{"000-12-3456", nil},
		{"666-12-3456", nil},
		{"901-12-3456", nil},
		{"123-00-4567", nil},
		{"123-45-0000", nil},
		{"123456789", nil},
		{"123-45-67890", nil},
		{"1123-45-6789", nil},
		{"123-45-6789-1", nil},
		{"ORD-123-45-6789", nil},
	})
}

func TestIBAN(t *testing.T) {
	runCases(t, []detectCase{
		{"iban DE89370400440532013000", []string{"iban:DE89370400440532013000"}},
		{"DE89 3704 0044 0532 0130 00", []string{"iban:DE89 3704 0044 0532 0130 00"}},
		{"GB82WEST12345698765432.", []string{"iban:GB82WEST12345698765432"}},
		{"GB82 WEST 1234 5698 7654 32", []string{"iban:GB82 WEST 1234 5698 7654 32"}},
		{"FR1420041010050500013M02606", []string{"iban:FR1420041010050500013M02606"}},
		{"NO9386011117947", []string{"iban:NO9386011117947"}},
		// near misses
		{"DE89370400440532013001", nil},  // bad mod-97
		{"DE8937040044053201300", nil},   // too short for DE
		{"DE893704004405320130000", nil}, // too long for DE
		{"XX89370400440532013000", nil},  // no such country
		{"de89370400440532013000", nil},  // lower case
		{"DE89 3704 0044 0532 01 3000", nil},
	})
}

func TestJWT(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	const jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7L.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rp.XFBoMYUZodetZdvTiFvSkQ"
	const jweDir = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rp.XFBoMYUZodetZdvTiFvSkQ"
	runCases(t, []detectCase{
		{"jwt " + jwt + " end", []string{"jwt:" + jwt}},
		{"unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", []string{"jwt:eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0"}},
		// encrypted (JWE), and with alg "dir" (no encrypted key)
		{"token " + jwe + " expired", []string{"jwt:" + jwe}},
		{"token " + jweDir + ".", []string{"jwt:" + jweDir}},
		// near misses
		{"eyJub3QiOiJqd3QifQ.eyJzdWIiOiJ4In0.c2ln", nil}, // header without "alg"
		{"eyJhbGciOiJIUzI1NiJ9", nil},                    // one segment
		{"eyJhbGciOiJIUzI1NiJ9.x.sig", nil},              // payload too short
		{"eyJ!!!.eyJ.x", nil},
		{"eyJhbGciOiJIUzI1NiJ9x.eyJzdWIiOiJ4In0.c2ln", nil}, // not base64
	})
}

func TestVendorTokens(t *testing.T) {
	runCases(t, []detectCase{
		{"AKIAIOSFODNN7EXAMPLE", []string{"aws_access_key:AKIAIOSFODNN7EXAMPLE"}},
		{"id=ASIAY34FZKBOKMUTVV7A,", []string{"aws_access_key:ASIAY34FZKBOKMUTVV7A"}},
		{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", []string{"aws_secret_key:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
		{`"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`, []string{"aws_secret_key:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
		{"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", []string{"github_token:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}},
		{"ghs_0123456789abcdefghijABCDEFGHIJ012345", []string{"github_token:ghs_0123456789abcdefghijABCDEFGHIJ012345"}},
		{"github_pat_11ABCDEFG0123456789abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijkl", []string{"github_token:github_pat_11ABCDEFG0123456789abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijkl"}},
		{"glpat-xT9kLm2Qp7Rs4Vw8Yz1B", []string{"gitlab_token:glpat-xT9kLm2Qp7Rs4Vw8Yz1B"}},
		{"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", []string{"slack_token:xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"}},
		{"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", []string{"slack_token:T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"}},
		{"sk_live_4eC39HqLyjWDarjtT1zdp7dc", []string{"stripe_key:sk_live_4eC39HqLyjWDarjtT1zdp7dc"}},
		{"rk_test_51H8aBcDeFgHiJkLmNoPqRsT", []string{"stripe_key:rk_test_51H8aBcDeFgHiJkLmNoPqRsT"}},
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", []string{"stripe_key:whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}},
		{"key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", []string{"google_api_key:AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"}},
		{"using sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5u_Vw8xYz1aBc4dEf7gHi0jKl3mNo6pQr9s now",
			[]string{"vendor_token:sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5u_Vw8xYz1aBc4dEf7gHi0jKl3mNo6pQr9s"}},
		{"sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dEf7gHi0jKl3mNo6-pQr9sTuAA,",
			[]string{"vendor_token:sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dEf7gHi0jKl3mNo6-pQr9sTuAA"}},
		{"key sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l.", []string{"vendor_token:sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"}},
		{"npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", []string{"vendor_token:npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c"}},
		{"HF_TOKEN=hf_AbcdEfghIjklMnopQrstUvwxYzabCdefGh", []string{"vendor_token:hf_AbcdEfghIjklMnopQrstUvwxYzabCdefGh"}},
		{"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", []string{"vendor_token: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"}},
		{"dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", []string{"vendor_token:dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
		{"shpat_0123456789abcdef0123456789abcdef", []string{"vendor_token:shpat_0123456789abcdef0123456789abcdef"}},
		{"pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0AAIqWzMsImFiYyJdAAAGIAbcdEf",
			[]string{"vendor_token:pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0AAIqWzMsImFiYyJdAAAGIAbcdEf"}},
		{"bot 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw started", []string{"vendor_token:110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}},
		{"https://api.telegram.org/bot110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", []string{"vendor_token:110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}},
		{"xai-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dEf7gHi0j",
			[]string{"vendor_token:xai-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dEf7gHi0j"}},
		{"GROQ_API_KEY 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", []string{"vendor_token: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"}},
		{"POST https://discord.com/api/webhooks/123456789012345678/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dE-fG done",
			[]string{"vendor_token:Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1aBc4dE-fG"}},
		{"google access ya29.a0AfH6SMBx3kLq9vN2pR7sT1uW4yZ6bD8fG0hJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hI6jK8 expired",
			[]string{"vendor_token:ya29.a0AfH6SMBx3kLq9vN2pR7sT1uW4yZ6bD8fG0hJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hI6jK8"}},
		{`"client_secret":"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"`, []string{"vendor_token: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"}},
		{"square sq0atp-1a2B3c4D5e6F7g8H9i0J1k and sq0csp-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3", []string{"vendor_token:sq0atp-1a2B3c4D5e6F7g8H9i0J1k", "vendor_token:sq0csp-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3"}},
		{"SQUARE_ACCESS_TOKEN EAAAl2Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt", []string{"vendor_token:EAAAl2Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt"}},
		{"PUT https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=rw&sig=k3Jd8s9QxZ2v%2BfL0pQ7wR4tY6uI8oP1aS3dF5gH7jK0%3D returned 403",
			[]string{"generic_secret:k3Jd8s9QxZ2v%2BfL0pQ7wR4tY6uI8oP1aS3dF5gH7jK0%3D"}},
		// near misses
		{"sq0atp-1a2B3c4D5e6F7g8H9i0J1, sq0atp-1a2B3c4D5e6F7g8H9i0J1k2, sq0csp-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh", nil},                   // 21, 23 and 42 bytes
		{"EAAAl2Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rS, EAAAabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefgh", nil}, // 59 bytes; one case, no digit
		{"signal sig=SIGTERM, config=production, sig=aaaaaaaaaaaa", nil},                                                                           // short, not a sig key, no entropy
		{"ya29.short, ya29.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", nil},                                                             // short; one case, no digit
		{"GOCSPX-1a2B3c4D5e6F7g8H9i0J1k2L3m, 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5", nil},                                                           // 26 and 30 bytes
		{"AKIAIOSFODNN7EXAMPL", nil},   // 19 bytes
		{"AKIAIOSFODNN7EXAMPLEX", nil}, // 21 bytes
		{"AKIAiosfodnn7example", nil},  // lower case
		{"XAKIAIOSFODNN7EXAMPLE", nil}, // inside a word
		{"ghp_tooShort123", nil},       // short
		{"ghx_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", nil},
		{"glpat-short", nil},
		{"xoxb-123", nil},
		{"sk_live_short", nil},
		{"sk_prod_4eC39HqLyjWDarjtT1zdp7dc", nil},
		{"AIzaSyDaGmWKa4JsXZ", nil},
		{"hooks.slack.com/services/", nil},
		{"aws_secret_access_key=", nil},
		{"pip install sk-learn-extra==0.2.0", nil},           // sk- and a short word
		{"sk-abcdefghijklmnopqrstuvwxyzabcdefghijklmn", nil}, // one case, no digit
		{"npm_config_cache=/tmp/npm", nil},                   // an npm setting
		{"npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cX", nil},   // 37 bytes
		{"hf_hub_download(repo_id)", nil},                    // an identifier
		{"hf_abcdefghijklmnopqrstuvwxyzabcdefgh", nil},       // one case
		{"SG.1 and SG.Ab3dEf6hIj9kLm2nOp5qRs.short", nil},    // short parts
		{"dop_v1_0123456789abcdef", nil},                     // short
		{"shpat_0123456789abcdef0123456789abcdeg", nil},      // not hex
		{"pypi-AgEIcHlwaS5vcmc", nil},                        // the prefix alone
		{"done: should python do shop doc SGML", nil},        // common words with the new first letters
		{"xai-grok-2 model, gsk_short, discord.com/api/webhooks/123/abc", nil},
		{"110201543:AAHdq short, 12:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw, 1102015430:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", nil}, // names and short parts
	})
}

func TestPrivateKey(t *testing.T) {
	const block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3\nxfn/ygWyF8PbnGy0AHB7MhgHcTz6\n-----END RSA PRIVATE KEY-----"
	runCases(t, []detectCase{
		{"key:\n" + block + "\nnext line", []string{"private_key:" + block}},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEA\\n-----END OPENSSH PRIVATE KEY-----", []string{"private_key:-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEA\\n-----END OPENSSH PRIVATE KEY-----"}},
		{"x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", []string{"private_key:-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}}, // no END: fail closed
		// near misses
		{"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", nil},
		{"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", nil},
		{"-----BEGIN", nil},
		{"----- BEGIN PRIVATE KEY", nil},
	})
}

func TestAuthSchemes(t *testing.T) {
	runCases(t, []detectCase{
		{"C: AUTH PLAIN AGJvYgBodW50ZXIyeHl6", []string{"generic_secret:AGJvYgBodW50ZXIyeHl6"}}, // SASL's initial response
		{"AUTH XOAUTH2 dXNlcj1ib2IBYXV0aD1CZWFyZXIgeWEyOQEB", []string{"generic_secret:dXNlcj1ib2IBYXV0aD1CZWFyZXIgeWEyOQEB"}},
		{"250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER", nil}, // a server's mechanisms
		{"AUTH LOGIN", nil},
		{"Access denied for user 'root'@'localhost' (using password: YES)", nil},
		{"Authorization: Bearer abc.def", []string{"bearer_token:abc.def"}},
		{"bearer eyJ0eXAi.x-y_z~+/== next", []string{"bearer_token:eyJ0eXAi.x-y_z~+/=="}},
		{"BEARER 0123456789", []string{"bearer_token:0123456789"}},
		{"Authorization: Basic dXNlcjpwYXNz", []string{"basic_auth:dXNlcjpwYXNz"}},
		{"basic YWxhZGRpbjpvcGVuc2VzYW1l,", []string{"basic_auth:YWxhZGRpbjpvcGVuc2VzYW1l"}},
		{`"authorization": "Token 9f8e7d6c5b4a"`, []string{"generic_secret:9f8e7d6c5b4a"}},
		{"Authorization: Digest username=x", []string{"generic_secret:username=x"}},
		// near misses
		{"the bearer of bad news", nil},
		{`WWW-Authenticate: Bearer realm="api"`, nil},
		{"Basic auth failed", nil},
		{"basic dXNlcg==", nil}, // decodes to "user": no password
		{"Bearer [SECRET]", nil},
		{"Basic", nil},
	})
}

func TestURLCredential(t *testing.T) {
	runCases(t, []detectCase{
		// Go database DSNs (the MySQL driver's format)
		{"dsn=app:s3cret@tcp(db.internal:3306)/shop?parseTime=true", []string{"url_credential:app:s3cret"}},
		{"open app:p@ss:w0rd@tcp(127.0.0.1:3306)/x", []string{"url_credential:app:p@ss:w0rd"}},
		{`"dsn":"app:s3cret@unix(/tmp/mysql.sock)/shop"`, []string{"url_credential:app:s3cret"}},
		{"root@tcp(localhost)/db", nil}, // no password
		{"app:@tcp(db)/x", nil},         // empty password
		{"mail bob@tcp.example.com", []string{"email:bob@tcp.example.com"}},
		{"https://bob:pa55@host/x", []string{"url_credential:bob:pa55"}},
		{"postgres://app:s3cret@db.internal:5432/app", []string{"url_credential:app:s3cret"}},
		{"redis://:hunter2@cache:6379", []string{"url_credential::hunter2"}},
		{"https://bob:pa55@example.com/x", []string{"url_credential:bob:pa55"}},
		{"https://x9Kq2LmZ7vP4tR8wY3nB@github.com/o/r.git", []string{"url_credential:x9Kq2LmZ7vP4tR8wY3nB"}},
		// near misses
		{"https://example.com/a@b", nil},
		{"ssh://git@github.com/o/r", nil},
		{"https://user:@host/", nil},
		{"http://[::1]:8080/", nil},
		{"https://[SECRET]@host/", nil},
	})
}

func TestGenericSecret(t *testing.T) {
	runCases(t, []detectCase{
		{"password=hunter2xyz", []string{"generic_secret:hunter2xyz"}},
		{"db_password = hunter2 user=bob", []string{"generic_secret:hunter2"}},
		{"DB_PASSWORD=x", []string{"generic_secret:x"}},
		{"UPDATE users SET password = crypt('hunter2xyz', gen_salt('bf')) WHERE id = 1", []string{"generic_secret:hunter2xyz"}}, // a function call's literals
		{"password=NOW() token=md5('abc')", nil},                                                                                // none, or not random
		{"SET password = EXCLUDED.password, token=new.api_token, pwd = OLD.passwd", nil},                                        // a column the upsert or trigger sees
		{"password = excluded.k3Jd8s9QxZ2v password=new.name", []string{"generic_secret:excluded.k3Jd8s9QxZ2v", "generic_secret:new.name"}},
		{"password: !!binary aHVudGVyMnh5eg==", []string{"generic_secret:aHVudGVyMnh5eg=="}}, // a YAML tag, then the value
		{"api_key: !!str k3Jd8s9QxZ2vfL0pW7mQx", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQx"}},
		{"x `api_key`=\"k3Jd8s9QxZ2vfL0pW7mQ\"", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}}, // a MySQL name
		{`{"password": "s3cr3t pass!", "user": "bob"}`, []string{"generic_secret:s3cr3t pass!"}},
		{`{"clientSecret":"abc\"def"}`, []string{`generic_secret:abc\"def`}},
		{`msg="{\"api_key\":\"abcd1234efgh\"}"`, []string{"generic_secret:abcd1234efgh"}},
		{"X-Api-Key: 0a1b2c3d", []string{"generic_secret:0a1b2c3d"}},
		{"--password=hunter2", []string{"generic_secret:hunter2"}},
		{"-password=hunter2", []string{"generic_secret:hunter2"}},
		{"?access_token=ya29a0AfH6SM&x=1", []string{"generic_secret:ya29a0AfH6SM"}},
		{"token=8f3kQ9zLmW2x", []string{"generic_secret:8f3kQ9zLmW2x"}},
		// query parameters whose names are too common for keys elsewhere
		{"GET /oauth/cb?code=4/0AfJohXkZ9qLm2Np8Rs4Tv6Wy1&scope=email HTTP/1.1", []string{"generic_secret:4/0AfJohXkZ9qLm2Np8Rs4Tv6Wy1"}},
		{"uri=/x?a=1&ticket=ST-1234-aBcDeFgHiJkL9&jwt=Zx9Kq2Lm8Np4Rs6T", []string{"generic_secret:ST-1234-aBcDeFgHiJkL9", "generic_secret:Zx9Kq2Lm8Np4Rs6T"}},
		{"next=https%3A%2F%2Fapp%2Fcb%3Fcode%3D4%2F0AfJohXkZ9qLm2Np8%26state%3Dx", []string{"generic_secret:4%2F0AfJohXkZ9qLm2Np8"}},
		{"?code=200&key=orders&zipcode=94107ab&mode=x, code=4/0AfJohXkZ9qLm2Np8Rs4Tv6Wy1 key=Zx9Kq2Lm8Np4Rs6T", nil},
		{"card [CARD] exp 12/28 cvv=123, CVC: 4321", []string{"generic_secret:123", "generic_secret:4321"}},
		{"body amount=2000&card[number]=[CARD]&card[cvc]=123&user[password]=hunter2x", []string{"generic_secret:123", "generic_secret:hunter2x"}},
		{"[INFO]=x, a[b]=1, list[0]=secret, [password]=, [SECRET]=\"x y\"", nil},                                // not secret-like names, or no value
		{"ssn=078051120 user_ssn: 219099999", []string{"generic_secret:078051120", "generic_secret:219099999"}}, // undashed: no SSN detector match
		{"session_id: 7b1e9c2d4f6a8b0c", []string{"generic_secret:7b1e9c2d4f6a8b0c"}},
		{"secret='it is a secret'", []string{"generic_secret:it is a secret"}},
		{"auth_token=YWJjZGVmZ2hpams=", []string{"generic_secret:YWJjZGVmZ2hpams="}},
		{"private_key: abc", []string{"generic_secret:abc"}},
		{`{"X-Api-Key":["0a1b2c3d"],"Password":["p1", "p2"],"Accept":["*/*"]}`, []string{"generic_secret:0a1b2c3d", "generic_secret:p1", "generic_secret:p2"}},
		{`{"Authorization":["Bearer mF_9.B5f-4.1JqM"]}`, []string{"bearer_token:mF_9.B5f-4.1JqM"}},
		{`"token": ["Zm9vYmFyYmF6cXV4"]`, []string{"generic_secret:Zm9vYmFyYmF6cXV4"}},
		// fmt's %v and %#v of http.Header and url.Values
		{"map[Password:[p1 p2] Q:[x]]", []string{"generic_secret:p1", "generic_secret:p2"}},
		{"map[Cookie:[sid=abc; theme=dark] X-Api-Key:[0a1b2c3d]]", []string{"generic_secret:abc", "generic_secret:dark", "generic_secret:0a1b2c3d"}},
		{"map[Password:[[SECRET] p2]]", []string{"generic_secret:p2"}},
		{"token:[x token:[Zm9vYmFyYmF6cXV4]]", []string{"generic_secret:Zm9vYmFyYmF6cXV4"}},
		{`http.Header{"Cookie":[]string{"sid=abc"}, "X-Api-Key":[]string{"0a1b2c3d"}}`, []string{"generic_secret:abc", "generic_secret:0a1b2c3d"}},
		{"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Ab3dEf6hIj9kLm2n+Op5q==;EndpointSuffix=core.windows.net",
			[]string{"generic_secret:Ab3dEf6hIj9kLm2n+Op5q=="}},
		{"MASTER_KEY=x9", []string{"generic_secret:x9"}},
		{"token=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", []string{"github_token:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}},
		{"password=alice@example.com", []string{"generic_secret:alice@example.com"}},
		// near misses
		{"token=none", nil},
		{"password=", nil},
		{"password= user=bob", nil},
		{"password=***", nil},
		{"password=[SECRET]", nil},
		{`"password": "[SECRET]"`, nil},
		{"password=null", nil},
		{"secret=true", nil},
		{"auth=disabled", nil},
		{"token=abcdefgh", nil},   // weak key, no digit
		{"token=12345678", nil},   // weak key, no letter
		{"token=aaaa1111", nil},   // weak key, low entropy
		{"pwd=/home/alice2", nil}, // a path
		{"max_tokens=4096", nil},
		{"password_hash=x", nil},
		{"keyword=hunter2", nil},
		{"passwordless=true", nil},
		{"password:\n  value", nil},
		{"password=<password>", nil},
		{`"password": []`, nil},
		{`"password": ["[SECRET]"]`, nil},
		{`"token": ["abc"]`, nil}, // weak key, short value
		{`"password": [1, 2]`, nil},
		{"password=[SECRET] x", nil},
		{"map[Password:[[SECRET]] Token:[]]", nil},
		{`"password":[]string{}`, nil},
	})
}

// TestNestedForms: secret-like keys in URL-encoded queries carried inside
// another URL, and XML elements.
func TestNestedForms(t *testing.T) {
	runCases(t, []detectCase{
		{"GET /login?next=https%3A%2F%2Fapp.example%2Fcb%3Faccess_token%3Dya29a0AfH6SM%26state%3D1 HTTP/1.1",
			[]string{"generic_secret:ya29a0AfH6SM"}},
		{"redirect=%2Fx%3Fpassword%3Dhunter2%252Bx%26a%3D1", []string{"generic_secret:hunter2%252Bx"}},
		{"q=secret%3dS3cr3t%2Fv4l", []string{"generic_secret:S3cr3t%2Fv4l"}},
		{"<password>hunter2 x</password>", []string{"generic_secret:hunter2 x"}},
		{"<soap:Body><ApiKey>9f8e7d6c5b4a</ApiKey></soap:Body>", []string{"generic_secret:9f8e7d6c5b4a"}},
		{"<Authorization>Bearer mF_9.B5f-4.1JqM</Authorization>", []string{"bearer_token:mF_9.B5f-4.1JqM"}},
		{`{"x":"\u003cEnvelope\u003e\u003cPassword\u003eP4ss w0rd\u003c/Password\u003e\u003c/Envelope\u003e"}`, []string{"generic_secret:P4ss w0rd"}},
		// near misses
		{"next=%2Fx%3Fpage%3D2", nil},          // not a secret-like key
		{"next=%2Fx%3Ftoken%3Dabc", nil},       // weak key, short value
		{"x%3Fpassword%3D%26a%3D1", nil},       // empty value
		{"<password></password>", nil},         // empty
		{"<password>[SECRET]</password>", nil}, // already redacted
		{"<password>x", nil},                   // not closed
		{"a -> password> b", nil},              // not a tag
		{"<tokens>4096</tokens><token_count>3</token_count>", nil},
		{`\u003cpassword\u003e\u003c/password\u003e`, nil},
		{`x\u003e y`, nil},
	})
}

// TestCookieHeader: every cookie value of a Cookie header, and the cookie
// of a Set-Cookie header (not its attributes), in a header line, a JSON
// header map, and a request dump inside a JSON string.
func TestCookieHeader(t *testing.T) {
	runCases(t, []detectCase{
		{"Cookie: sid=Ab3dEf6hIj9k; theme=dark", []string{"generic_secret:Ab3dEf6hIj9k", "generic_secret:dark"}},
		{"cookie:sid=x1;lang=en\nnext", []string{"generic_secret:x1", "generic_secret:en"}},
		{"Set-Cookie: session=abc123; Path=/; HttpOnly", []string{"generic_secret:abc123"}},
		{`{"Cookie":"sid=abc; x=1","Host":"h"}`, []string{"generic_secret:abc", "generic_secret:1"}},
		{`"dump":"GET / HTTP/1.1\r\nCookie: a=b; c=d\r\nHost: x"`, []string{"generic_secret:b", "generic_secret:d"}},
		{`{"Cookie":["sid=abc", "x=1; y=2"],"Set-Cookie":["s=tok9; Path=/"]}`, []string{"generic_secret:abc", "generic_secret:1", "generic_secret:2", "generic_secret:tok9"}},
		{`{"Cookie":[]}`, nil},
		// near misses
		{"Cookie: sid=[SECRET]; theme=[SECRET]", nil}, // already redacted
		{"cookie: [SECRET]", nil},
		{"Cookie: noequals", nil},
		{"Cookie:", nil},
		{"xCookie: a=b", nil},        // another header
		{"session_cookie: abc", nil}, // a key ending in cookie, weak: a short value passes
	})
}

func TestIdentifiersAroundText(t *testing.T) {
	runCases(t, []detectCase{
		{"login failed for alice@example.com from 10.1.2.3", []string{"email:alice@example.com", "ipv4:10.1.2.3"}},
		{"a@example.com,b@example.org;10.0.0.1", []string{"email:a@example.com", "email:b@example.org", "ipv4:10.0.0.1"}},
	})
}

// TestFlagInText: the value of a secret-like option, with one dash (Go's
// flag package) or two, in one string.
func TestFlagInText(t *testing.T) {
	runCases(t, []detectCase{
		{"mysqldump --password hunter2xyz shop", []string{"generic_secret:hunter2xyz"}},
		{"./server -password hunter2xyz -v", []string{"generic_secret:hunter2xyz"}},
		{"-api-key 9f8e7d6c5b4a39281706", []string{"generic_secret:9f8e7d6c5b4a39281706"}},
		{`run "./migrate" "-db-password" "s3cr3t-pw"`, []string{"generic_secret:s3cr3t-pw"}},
		{`["-secret", "Pa55w0rd!"]`, []string{"generic_secret:Pa55w0rd!"}},
		{"[./server -password hunter2xyz -v]", []string{"generic_secret:hunter2xyz"}}, // fmt's %v of os.Args
		// near misses
		{"./server -password -v", nil},           // the next option
		{"./server -password-file /run/db", nil}, // not a secret-like name
		{"-token abc", nil},                      // weak name, short value
		{"-p hunter2xyz", nil},                   // one letter
		{"x-password hunter2xyz", nil},           // inside a word
		{"2024-05-16 -secret-name prod-db", nil}, // not a secret-like name
		{"go test -run TestPassword ./...", nil}, // not an option's value
	})
}

// TestCommandOptionInText: options that carry a password only for the
// commands that take them, on a command line logged as text.
func TestCommandOptionInText(t *testing.T) {
	runCases(t, []detectCase{
		{"mysql -u root -phunter2xyz shop", []string{"generic_secret:hunter2xyz"}},
		{"exec: /usr/bin/mysqldump -uroot -p'S3cr3t pw' shop: exit status 2", []string{"generic_secret:S3cr3t pw"}},
		{`["mariadb-dump", "-pS3cr3t!", "shop"]`, []string{"generic_secret:S3cr3t!"}},
		{"[mysqladmin -u root -phunter2xyz ping]", []string{"generic_secret:hunter2xyz"}}, // fmt's %v of exec.Cmd.Args
		{"sshpass -p hunter2xyz ssh bob@host", []string{"generic_secret:hunter2xyz"}},
		{"redis-cli -h cache -a hunter2xyz ping", []string{"generic_secret:hunter2xyz"}},
		{"curl -s -u bob:hunter2xyz https://api.example.com", []string{"generic_secret:hunter2xyz"}},
		{"curl --user=bob:hunter2xyz https://x", []string{"generic_secret:hunter2xyz"}},
		{"curl -x proxy:3128 --proxy-user bob:hunter2xyz https://x", []string{"generic_secret:hunter2xyz"}},
		{"docker login -u bob -p hunter2xyz registry.example.com", []string{"generic_secret:hunter2xyz"}},
		{"helm registry login ghcr.io -u bob -phunter2xyz", []string{"generic_secret:hunter2xyz"}},
		{"openssl pkcs12 -export -in c.pem -passout pass:hunter2hunter2 -out c.p12", []string{"generic_secret:hunter2hunter2"}},
		{"openssl rsa -in k.pem -passin 'pass:S3cr3t phrase' -out k2.pem", []string{"generic_secret:S3cr3t phrase"}},
		{"openssl enc -d -aes-256-cbc -k mysecretkey99 -in f.enc", []string{"generic_secret:mysecretkey99"}},
		{"openssl enc -aes-256-cbc -K 00112233445566778899aabbccddeeff -iv 0102030405060708", []string{"generic_secret:00112233445566778899aabbccddeeff"}},
		{`ldapsearch -x -D "cn=admin,dc=example,dc=com" -w adminPass123 -H ldap://ldap`, []string{"generic_secret:adminPass123"}},
		{"ldapmodify -x -wadminPass123 -f a.ldif", []string{"generic_secret:adminPass123"}},
		{"sqlcmd -S db -U sa -P hunter2xyz -Q 'SELECT 1'", []string{"generic_secret:hunter2xyz"}},
		{"mongodump --host db -u admin -p hunter2xyz --out /backup", []string{"generic_secret:hunter2xyz"}},
		{"smbclient //srv/share -U bob%hunter2xyz -c ls", []string{"generic_secret:hunter2xyz"}},
		{`smbclient //srv/share -U CORP\bob%hunter2xyz`, []string{"generic_secret:hunter2xyz"}},
		{"smbclient //srv/share --user=bob%hunter2xyz", []string{"generic_secret:hunter2xyz"}},
		{"ipmitool -I lanplus -H bmc -U admin -P hunter2xyz chassis status", []string{"generic_secret:hunter2xyz"}},
		{"zip -P hunter2xyz export.zip report.csv", []string{"generic_secret:hunter2xyz"}},
		{"unzip -P hunter2xyz export.zip", []string{"generic_secret:hunter2xyz"}},
		// near misses
		{"loginctl show-user bob -p Name; docker run -p 8080:80 img", nil},      // not login; not login's -p
		{"mysql -u root -p shop", nil},                                          // -p alone prompts; shop is a database
		{"mysql -u root -p$MYSQL_PWD shop", nil},                                // a variable
		{"mysql -u root -p[REDACTED] shop", nil},                                // a placeholder
		{"psql -h db -p 5433 -U app", nil},                                      // psql's -p is a port
		{"docker run -p 8080:80 -u 1000:1000 img", nil},                         // not curl
		{"curl -u bob https://x", nil},                                          // curl asks for the password
		{"mysql\n-phunter2xyz", nil},                                            // another line
		{"notmysql -phunter2xyz", nil},                                          // not the command
		{"grep -a hunter2xyz /var/log/redis-cli.log", nil},                      // redis-cli is not the command
		{"openssl pkcs12 -passin env:P12PASS -passout file:/run/pw -in a", nil}, // where the password is, not it
		{"openssl pkcs12 -passout stdin -passin fd:3", nil},
		{"openssl enc -kfile /run/key -in f", nil},                  // a file
		{"ldapsearch -W -D cn=admin -b dc=example", nil},            // -W prompts
		{"smbclient -U bob //srv/share", nil},                       // asks for the password
		{"mongosh -u admin -p --authenticationDatabase admin", nil}, // -p alone prompts
		{"grep -P '^a' x.log | unzip -l a.zip", nil},                // grep's -P, before unzip
		{"tar -czf a.tgz -P /srv; gzip -k a.log", nil},              // not the commands
		{"sqlcmd -S db -E -Q 'SELECT 1'", nil},                      // integrated security
	})
}

// TestSQLValues: an INSERT whose values ORMs log interpolated; the value in
// the place of a secret-like column is that column's.
func TestSQLValues(t *testing.T) {
	runCases(t, []detectCase{
		{"INSERT INTO `users` (`name`,`password`) VALUES ('bob','hunter2xyz')", []string{"generic_secret:hunter2xyz"}},
		{`INSERT INTO "users" ("email","encrypted_password","api_token") VALUES ('alice@example.com','s3cr3t-enc','k3Jd8s9QxZ2vfL0pW7mQ')`,
			[]string{"email:alice@example.com", "generic_secret:s3cr3t-enc", "generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"insert into users(password)values('hunter2xyz')", []string{"generic_secret:hunter2xyz"}},
		{"INSERT INTO t (a, password) VALUES (1, 'x1'), (2, 'x2'),(3,'x''3')", []string{"generic_secret:x1", "generic_secret:x2", "generic_secret:x''3"}},
		{"INSERT INTO [dbo].[Users] ([Email], [Password]) VALUES (N'bob', N'hunter2xyz')", []string{"generic_secret:hunter2xyz"}},
		{"INSERT INTO users (name, password) VALUES ('bob', crypt('hunter2xyz', gen_salt('bf')))", []string{"generic_secret:hunter2xyz"}},
		{"INSERT INTO cards (user_id, cvv) VALUES (7, 321)", []string{"generic_secret:321"}},
		{"INSERT INTO keys (id, aws_secret_access_key) VALUES (1, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')", []string{"aws_secret_key:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
		{"INSERT INTO s (token) VALUES (\n  'k3Jd8s9QxZ2vfL0pW7mQ'\n)", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		// near misses
		{"INSERT INTO users (name, password) VALUES ($1, $2)", nil},    // bind parameters
		{"UPDATE users SET password = $1, token=? WHERE id = $2", nil}, // bind parameters
		{"SELECT 1 FROM users WHERE password = @p1 OR password = :password", nil},
		{"password=$1x", []string{"generic_secret:$1x"}},                    // not a parameter
		{"password=:Zq8xW2vR7", []string{"generic_secret::Zq8xW2vR7"}},      // not named after a secret
		{"INSERT INTO users (name, password) VALUES (?, ?)", nil},           // bind parameters
		{"INSERT INTO users (name, password) VALUES ('bob', NULL)", nil},    // no value
		{"INSERT INTO users (name, password) VALUES ('bob', DEFAULT)", nil}, // no value
		{"INSERT INTO t (a, token) VALUES ('x', 'abc')", nil},               // weak name, plain value
		{"INSERT INTO users (password) VALUES ('[REDACTED]')", nil},         // an earlier pass's placeholder
		{"INSERT INTO users VALUES ('bob', 'hunter2xyz')", nil},             // no column names
		{"INSERT INTO orders (id, status) VALUES (42, 'paid')", nil},        // no secret-like column
		{"the values (password, token) were checked", nil},                  // not an INSERT
		{"retry(password) values (3 attempts) exceeded", nil},               // no literal in a secret's place
	})
}

// TestOracleConnect: user/password@database, Oracle's connect string, where
// a word before says it is one.
// TestDuplicateKeyDetails: the value of a column named after a secret in
// PostgreSQL's and MySQL's duplicate-key errors; Redis's AUTH.
func TestDuplicateKeyDetails(t *testing.T) {
	runCases(t, []detectCase{
		{"Key (api_token)=(k3Jd8s9QxZ2vfL0pW7mQ) already exists.", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"Key (password)=(hunter2) already exists.", []string{"generic_secret:hunter2"}}, // a strong name: any value
		{"Key (session_token)=(abc) already exists.", []string{"generic_secret:abc"}},
		{"Key (token)=(abc) already exists.", nil}, // a weak name: a value that looks random only
		{"Key (tenant_id, api_key)=(7, k3Jd8s9QxZ2vfL0pW7mQ) already exists.", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"Key (api_key, note)=(k3Jd8s9Q, a, b) already exists.", []string{"generic_secret:k3Jd8s9Q, a, b"}}, // values not told apart: all
		{"Key (email)=(bob@example.com) already exists.", []string{"email:bob@example.com"}},
		{"Key (id)=(48213377) already exists.", nil},
		{"Key (api_token)=() already exists.", nil},
		{"Key (api_token)=(null) already exists.", nil},
		{"Monkey (api_token)=(k3Jd8s9QxZ2vfL0pW7mQ)", nil}, // not "Key "
		{"Key (api_token)=(k3Jd8s9QxZ2vfL0pW7mQ", nil},     // cut: no closing parenthesis
		{"Key (api_token)", nil},
		{"Duplicate entry 'k3Jd8s9QxZ2vfL0pW7mQ' for key 'users.api_token'", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"Duplicate entry 'k3Jd8s9QxZ2vfL0pW7mQ' for key 'api_token_UNIQUE'", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"Duplicate entry 'k3Jd8s9QxZ2vfL0pW7mQ' for key 'users_api_key'", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"Duplicate entry 'bob' for key 'users.username'", nil},
		{"Duplicate entry 'abc' for key 'token'", nil}, // weak, not random
		{"Duplicate entry 'bob@example.com' for key 'users.email'", []string{"email:bob@example.com"}},
		{"Duplicate entry 'k3Jd8s9QxZ2vfL0pW7mQ' for key", nil}, // cut
		{"Duplicates entry 'k3Jd8s9QxZ2vfL0pW7mQ' for key 'api_token'", nil},
		{"AUTH k3Jd8s9QxZ2vfL0pW7mQ", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"AUTH default k3Jd8s9QxZ2vfL0pW7mQ", []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{`"AUTH" "k3Jd8s9QxZ2vfL0pW7mQ"`, []string{"generic_secret:k3Jd8s9QxZ2vfL0pW7mQ"}},
		{"AUTH failed", nil},
		{"AUTH default hunter", nil},
		{"AUTH LOGIN", nil},
		{"NOAUTH Authentication required", nil},
	})
}

func TestOracleConnect(t *testing.T) {
	runCases(t, []detectCase{
		{"jdbc:oracle:thin:scott/Tiger2024x@//db.example.com:1521/ORCLPDB1", []string{"generic_secret:Tiger2024x"}},
		{"url=jdbc:oracle:thin:app/Pw-1@db.example.com:1521:ORCL", []string{"generic_secret:Pw-1"}}, // not an address
		{"jdbc:oracle:oci:hr/hr_pw@XE", []string{"generic_secret:hr_pw"}},
		{"exec: sqlplus -s -L scott/Tiger2024x@orcl @report.sql", []string{"generic_secret:Tiger2024x"}},
		{"/u01/app/oracle/bin/sqlplus 'scott/Tiger2024x@orcl'", []string{"generic_secret:Tiger2024x"}},
		{"SQL> CONNECT system/Manager1@//db:1521/XEPDB1", []string{"generic_secret:Manager1"}},
		{"conn c##admin/Adm1n@cdb", []string{"generic_secret:Adm1n"}},
		{"rman target sys/Sys_pw1@prod catalog rco/Rco_pw2@rcat", []string{"generic_secret:Sys_pw1", "generic_secret:Rco_pw2"}},
		{"expdp userid=hr/Hr_pw9@pdb1 directory=dp", []string{"generic_secret:Hr_pw9"}},
		{"impdp system/Sys_pw3@pdb2 full=y", []string{"generic_secret:Sys_pw3"}},
		// near misses
		{"jdbc:oracle:thin:@//db.example.com:1521/ORCLPDB1", nil}, // no credentials
		{"docker pull library/nginx@sha256:0a1b2c3d", nil},
		{"go get golang.org/x/mod@v0.1.0", nil},
		{"npm i @scope/pkg@1.2.3 react/jsx@18", nil},
		{"sqlplus / as sysdba", nil},
		{"connect scott/[REDACTED]@orcl", nil},         // an earlier pass's placeholder
		{"release web/app@2.4.1 deployed", []string{}}, // no such word before
	})
}

// TestProse: a secret named in a sentence, as error messages write them.
func TestProse(t *testing.T) {
	runCases(t, []detectCase{
		{"invalid token Zq8xW2vR7tY4uI0pL3kJ9hG6", []string{"generic_secret:Zq8xW2vR7tY4uI0pL3kJ9hG6"}},
		{`auth: invalid api key "k3Jd8s9QxZ2vfL0p" for tenant 7`, []string{"generic_secret:k3Jd8s9QxZ2vfL0p"}},
		{"using client secret q8Xw2VbR7tY4uI0pWm.", []string{"generic_secret:q8Xw2VbR7tY4uI0pWm"}},
		{"the password is Pa55w0rd-Zx81Qv7Lm, rotate it", []string{"generic_secret:Pa55w0rd-Zx81Qv7Lm"}},
		{"Secret key wJalrXUtnFEMIK7MDENGbPxRfiCY rejected", []string{"generic_secret:wJalrXUtnFEMIK7MDENGbPxRfiCY"}},
		{"credentials 8Hs2kLq9ZxWv4TnR7mBc expired", []string{"generic_secret:8Hs2kLq9ZxWv4TnR7mBc"}},
		{"bad secret 9f86d081884c7d659a2feaf0c55ad015", []string{"generic_secret:9f86d081884c7d659a2feaf0c55ad015"}},          // hex under a strong name
		{"token ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R", []string{"github_token:ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R"}}, // its own kind
		// capitalized, and in capitals
		{"Token Zq8xW2vR7tY4uI0pL3kJ9hG6 rejected", []string{"generic_secret:Zq8xW2vR7tY4uI0pL3kJ9hG6"}},
		{"INVALID TOKEN Zq8xW2vR7tY4uI0pL3kJ9hG6", []string{"generic_secret:Zq8xW2vR7tY4uI0pL3kJ9hG6"}},
		{"API Key k3Jd8s9QxZ2vfL0p revoked; Secret q8Xw2VbR7tY4uI0pWm", []string{"generic_secret:k3Jd8s9QxZ2vfL0p", "generic_secret:q8Xw2VbR7tY4uI0pWm"}},
		{"Credentials 8Hs2kLq9ZxWv4TnR7mBc expired", []string{"generic_secret:8Hs2kLq9ZxWv4TnR7mBc"}},
		// a password's value: shorter, but random-looking
		{"password s3cr3tPassw0rd rejected", []string{"generic_secret:s3cr3tPassw0rd"}},
		{"New password set to Xk9mPq2vLr8 for alice", []string{"generic_secret:Xk9mPq2vLr8"}},
		{"passphrase changed to 7Hs2kLq9Zx", []string{"generic_secret:7Hs2kLq9Zx"}},
		// .netrc: any value after "login <user> password"
		{"machine api.github.com login bob password hunter2 ", []string{"generic_secret:hunter2"}},
		{"machine db login alice password Summer2024!", []string{"generic_secret:Summer2024!"}},
		{"machine db.example.com\n  login alice\n  password hunter2\n", []string{"generic_secret:hunter2"}},
		{"login bob password prompt skipped", nil}, // no machine: not .netrc
		// near misses
		{"password reset requested for user42; password policy v2 applied", nil},
		{"password expired 2024-05-14, password hash argon2id, password changed to meet policy", nil},
		{"password set to [REDACTED]; login bob password [SECRET]; login bob password -", nil},
		{"unexpected token } at line 3, token expired, token 12345", nil},
		{"cache key user42profile2024abc", nil},                                               // key alone is no secret's name
		{"api key 3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c rotated", nil},                         // an id
		{"token 9f86d081884c7d659a2feaf0c55ad015a3bf4f1b rejected", nil},                      // a digest
		{"secret db-creds-2024 not found, password reset sent", nil},                          // not random, short
		{"invalid token Zq8xW2vR", nil},                                                       // unquoted and short
		{`secrets "db-creds-2024" not found; secret "prod-db-v2" missing`, nil},               // names
		{"token [REDACTED], password is [SECRET]", nil},                                       // placeholders
		{"x-token Zq8xW2vR7tY4uI0pL3kJ9hG6, my_token Zq8xW2vR7tY4uI0pL3kJ9hG6", nil},          // part of a name
		{"retry tokens Zq8xW2vR7tY4uI0pL3kJ9hG6", nil},                                        // not the word
		{"sort key 2024-05-16T08:00:01.123Z", nil},                                            // key alone
		{"Token expired; Service restarted; Session Zq8xW2vR7tY4uI0pL3kJ9hG6 Created", nil},   // not the words
		{"TOKEN 9f86d081884c7d659a2feaf0c55ad015a3bf4f1b, Key Zq8xW2vR7tY4uI0pL3kJ9hG6", nil}, // a digest; key alone
	})
}

func TestEntries(t *testing.T) {
	runCases(t, []detectCase{
		{`{"name":"DB_PASSWORD","value":"hunter2"}`, []string{"generic_secret:hunter2"}},
		{"env:\n- name: DB_PASSWORD\n  value: hunter2\n- name: PORT\n  value: \"8080\"", []string{"generic_secret:hunter2"}},
		{"{\n  \"name\": \"API_KEY\",\n  \"type\": \"secret\",\n  \"value\": \"k3Jd8s9QxZ2vfL0p\"\n}", []string{"generic_secret:k3Jd8s9QxZ2vfL0p"}},
		{`Name="DB_PASSWORD" Value="hunter2"`, []string{"generic_secret:hunter2"}},
		{`{"name":"token","value":"Zq8xW2vR7tY4uI0pL3kJ9hG6"}`, []string{"generic_secret:Zq8xW2vR7tY4uI0pL3kJ9hG6"}}, // weak name, random value
		{`{"name":"jwt_token","value":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"}`, []string{"jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl"}},
		// near misses
		{`{"name":"token","value":"expired"}`, nil},                                                 // weak name, plain value
		{`{"value":"hunter2","name":"DB_PASSWORD"}`, nil},                                           // the value first
		{`{"name":"DB_PASSWORD"},{"value":"hunter2"}`, nil},                                         // another object
		{"- name: DB_PASSWORD\n  valueFrom: x\n- name: PORT\n  value: hunter2", nil},                // the next list item
		{"name: DB_PASSWORD\nvalue: hunter2", nil},                                                  // not one object
		{`{"name":"DB_PASSWORD","value":""}`, nil},                                                  // empty
		{`{"name":"hostname","value":"hunter2"}`, nil},                                              // not a secret's name
		{`{"username":"DB_PASSWORD","value":"hunter2"}`, nil},                                       // not an entry's name key
		{`{"name":"DB_PASSWORD","value":"[REDACTED]"}`, nil},                                        // a placeholder
		{`{"name":"DB_PASSWORD","note":"` + strings.Repeat("x", 300) + `","value":"hunter2"}`, nil}, // too far
	})
}

func TestSQLPassword(t *testing.T) {
	runCases(t, []detectCase{
		{"exec: CREATE USER bob WITH PASSWORD 'hunter2xyz'", []string{"generic_secret:hunter2xyz"}},
		{`ALTER ROLE bob password "hunter2xyz";`, []string{"generic_secret:hunter2xyz"}},
		{"ALTER USER bob IDENTIFIED BY 'hunter2xyz'", []string{"generic_secret:hunter2xyz"}},
		{"CREATE USER bob identified by hunter2xyz;", []string{"generic_secret:hunter2xyz"}},
		{"SET PASSWORD FOR 'bob'@'%' = PASSWORD('hunter2xyz')", []string{"generic_secret:hunter2xyz"}},
		{"invalid password 'hunter 2'", []string{"generic_secret:hunter 2"}},
		{"Password\t\"x\"", []string{"generic_secret:x"}},
		// near misses
		{"CREATE USER bob WITH PASSWORD NULL, passwords 'x', Password reset 'ok'", nil},
		{"ALTER USER bob IDENTIFIED WITH caching_sha2_password, identified by NULL", nil},
		{"PASSWORD '[SECRET]', IDENTIFIED BY '[REDACTED]', password ''", nil}, // placeholders, empty
		{`{"password" "x"}`, nil}, // a quoted word is a key, not a keyword
	})
}

func TestArgSecret(t *testing.T) {
	s := New(All)
	for _, c := range []struct {
		flag, value string
		want        bool
	}{
		{"--password", "hunter2xyz", true},
		{"--db-password", "Pa55w0rd!", true},
		{"--api-key", "9f8e7d6c5b4a39281706", true},
		{"--token", "Zm9vYmFyYmF6cXV4", true},         // weak name, random value
		{"--token", "-", false},                       // weak name, stdin
		{"--token", "abc", false},                     // weak name, short value
		{"--password", "--verbose", false},            // the next option
		{"--password", "", false},                     // empty
		{"--password", "[REDACTED]", false},           // a placeholder
		{"--password-file", "/run/secrets/db", false}, // not a secret-like name
		{"--user", "hunter2xyz", false},               // not a secret-like name
		{"-password", "hunter2xyz", true},             // one dash, as Go's flag package writes options
		{"-api_key", "9f8e7d6c5b4a39281706", true},
		{"-token", "abc", false},              // weak name, short value
		{"-p", "hunter2xyz", false},           // one letter: not a secret-like name
		{"-", "hunter2xyz", false},            // stdin
		{"-password", "-v", false},            // the next option
		{"---password", "hunter2xyz", false},  // three dashes
		{"--password=x", "hunter2xyz", false}, // has its own value
		{"password", "hunter2xyz", false},     // not an option
	} {
		s, e, _, got := s.ArgSecret("app", c.flag, c.value)
		if got != c.want || (got && (s != 0 || e != len(c.value))) {
			t.Errorf("ArgSecret(app, %q, %q) = %d, %d, %v, want the whole value: %v", c.flag, c.value, s, e, got, c.want)
		}
	}
	// Options that carry a password only for the commands that take them:
	// the secret is the value's span in cur.
	for _, c := range []struct {
		cmd, prev, cur string
		secret         string // "" for none
	}{
		{"mysqldump", "root", "-phunter2xyz", "hunter2xyz"},
		{"/usr/bin/mysql", "-uroot", "-pS3cr3t!", "S3cr3t!"},
		{"mariadb-dump", "db", "-pS3cr3t!", "S3cr3t!"},
		{"mysql", "-p", "orders", ""},         // mysql's "-p db": a database
		{"mysql", "-u", "-p", ""},             // -p alone prompts
		{"mysql", "root", "-p$MYSQL_PWD", ""}, // a variable, not its value
		{"psql", "-h", "-p5433", ""},          // psql's -p is a port
		{"sshpass", "-p", "hunter2xyz", "hunter2xyz"},
		{"sshpass", "ssh", "-phunter2xyz", "hunter2xyz"},
		{"redis-cli", "-a", "hunter2xyz", "hunter2xyz"},
		{"redis-cli", "-h", "cache", ""},
		{"curl", "-u", "bob:hunter2xyz", "hunter2xyz"},
		{"curl", "-s", "-ubob:hunter2xyz", "hunter2xyz"},
		{"curl", "-s", "--user=bob:hunter2xyz", "hunter2xyz"},
		{"curl", "--proxy-user", "bob:hunter2xyz", "hunter2xyz"},
		{"curl", "-u", "bob", ""},                     // curl asks for the password
		{"curl", "-u", "bob:", ""},                    // empty password
		{"curl", "-s", "--username=bob:x", ""},        // not --user
		{"docker", "-u", "1000:1000", ""},             // not curl
		{"login ", "-p", "hunter2xyz", "hunter2xyz"},  // after ["docker", "login", …]
		{"docker", "-p", "8080:80", ""},               // docker run's port
		{"grep", "-a", "hunter2xyz", ""},              // not redis-cli
		{"mysqldump", "root", "-password", "assword"}, // as mysql reads it: -p assword
		{"", "-p", "hunter2xyz", ""},                  // no command
		{"openssl", "-passout", "pass:hunter2hunter2", "hunter2hunter2"},
		{"/usr/bin/openssl", "-passin", "pass:S3cr3t phrase", "S3cr3t phrase"},
		{"openssl", "-passin", "env:P12PASS", ""}, // where the password is
		{"openssl", "-k", "mysecretkey99", "mysecretkey99"},
		{"openssl", "-in", "-kfile", ""},
		{"ldapsearch", "-w", "adminPass123", "adminPass123"},
		{"ldapadd", "-x", "-wadminPass123", "adminPass123"},
		{"sqlcmd", "-P", "hunter2xyz", "hunter2xyz"},
		{"mongorestore", "-p", "hunter2xyz", "hunter2xyz"},
		{"smbclient", "-U", `CORP\bob%hunter2xyz`, "hunter2xyz"},
		{"smbclient", "-U", "bob", ""},
		{"ipmitool", "-P", "hunter2xyz", "hunter2xyz"},
		{"zip", "-P", "hunter2xyz", "hunter2xyz"},
		{"unzip", "-P", "hunter2xyz", "hunter2xyz"},
		{"zip", "-r", "-Phunter2xyz", ""}, // zip's -P takes the next argument
		{"sqlplus", "-s", "scott/Tiger2024x@orcl", "Tiger2024x"},
		{"/u01/app/oracle/bin/sqlplus", "-L", "scott/Tiger2024x", "Tiger2024x"}, // a local database
		{"expdp", "expdp", "userid=hr/Hr_pw9@pdb1", "Hr_pw9"},
		{"rman", "target", "sys/Sys_pw1@prod", "Sys_pw1"},
		{"sqlplus", "-s", "/nolog", ""},
		{"sqlplus", "scott/x@orcl", "@/opt/report.sql", ""},
		{"sqlldr", "userid=x", "control=/etc/load.ctl", ""},
		{"sqlplus", "-s", "scott/[REDACTED]@orcl", ""},
		{"docker", "pull", "library/nginx@sha256:0a1b", ""}, // not an Oracle client
	} {
		st, e, k, ok := s.ArgSecret(c.cmd, c.prev, c.cur)
		got := ""
		if ok {
			got = c.cur[st:e]
			if k != GenericSecret {
				t.Errorf("ArgSecret(%q, %q, %q): kind %v", c.cmd, c.prev, c.cur, k)
			}
		}
		if got != c.secret {
			t.Errorf("ArgSecret(%q, %q, %q) = %q, want %q", c.cmd, c.prev, c.cur, got, c.secret)
		}
	}
	if _, _, k, ok := s.ArgSecret("aws", "--aws-secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"); !ok || k != AWSSecretKey {
		t.Errorf("AWS secret: %v %v", k, ok)
	}
	if _, _, _, ok := New(All&^(1<<GenericSecret)).ArgSecret("app", "--password", "hunter2xyz"); ok {
		t.Error("reported without GenericSecret in the set")
	}
	if _, _, _, ok := New(All&^(1<<GenericSecret)).ArgSecret("mysql", "root", "-phunter2xyz"); ok {
		t.Error("command option reported without GenericSecret in the set")
	}
	if _, _, _, ok := (*Scanner)(nil).ArgSecret("mysql", "--password", "hunter2xyz"); ok {
		t.Error("nil scanner reported")
	}
}
