// Package scan finds personal data and secrets in text.
//
// A [Scanner] runs a [Set] of detectors over a string and reports each
// finding as a [Match]: text[Start:End] is exactly the sensitive part, so a
// caller can replace it (by [Kind.Placeholder] or a token) and keep the text
// around it readable:
//
//	login failed for alice@example.com from 10.1.2.3   → spans on the address and the IP
//	Authorization: Bearer abc.def                      → span on abc.def
//	password=hunter2xyz                                → span on hunter2xyz
//	https://bob:pa55@host/x                            → span on bob:pa55
//
// Matches are ordered and never overlap; when two detectors claim
// overlapping text the union is reported under the stricter class (secret,
// then payment, then government, then identifier), so nothing matched is
// dropped.
//
// # Detectors and their validation
//
// Identifiers (may be tokenized):
//
//   - [Email]: local@domain. Local part of [A-Za-z0-9._%+-] and non-ASCII
//     bytes, 1–64 bytes (of a longer run, its last 64), alphanumeric or
//     non-ASCII at both ends; domain of 2+ labels (alphanumerics, inner '-'
//     and non-ASCII bytes, 1–63 bytes each), 253 bytes at most, the last
//     label 2+ letters or an internationalized name (.рф). A
//     trailing '.' is punctuation, not part of the match, and so is a last
//     label that cannot be a TLD ("a@example.com.5", "a@example.com-x" match
//     a@example.com). In URLs "%40" stands for '@', in JSON "\u0040". "user:pass@host" inside a
//     URL is a [URLCredential], not an address.
//   - [Phone]: "+" and 8–15 digits in groups separated by one or two of
//     " -.()" (one balanced pair of parentheses; first digit not 0; after 11
//     digits a space ends the number; what reads as a card number or an IPv4
//     address after the '+' is one); or the North American formats
//     "(555) 123-4567", "(555)123-4567", "555-123-4567", "555.123.4567",
//     "1-555-123-4567" with an area code starting 2–9; or a national number with its trunk prefix
//     0: a first group of 2–5 digits "0d…", then one to four groups of 2–8
//     digits joined by the same one of " -.", 10–12 digits in all
//     ("020 7946 0958", "06 12 34 56 78", "030-1234567", "090-1234-5678";
//     with '.' the second group is a pair: "01.23.45.67.89"), not the tail
//     of a longer run of groups; with ' ' it ends where another group would
//     pass 12 digits. A bare run of digits is never a phone number.
//   - [IPv4]: dotted quad, octets 0–255 without leading zeros. Four-part
//     versions are told apart by context: a quad preceded by a word byte or
//     '.' ("v1.2.3.4", "go1.2.3.4"), or followed by '.' and an alphanumeric
//     ("1.2.3.4.5") or by '-' and a letter ("1.2.3.4-beta") is a version. A
//     bare "1.2.3.4" is an address. 0.0.0.0, 127.0.0.0/8 and 255.255.255.255
//     identify no one and are not matched.
//   - [IPv6]: a run of hex digits, ':' and '.' (45 bytes at most) with 2+
//     colons, 8 groups of 1–4 hex digits or fewer with one "::", an optional
//     dotted IPv4 tail, and at least one group of 3+ digits (so times such as
//     12:30:45 and MAC-like ids such as de:ad:be:ef:00:01:02:03 are not
//     addresses); confirmed with net/netip. The unspecified and loopback
//     addresses are not matched; a zone ("%eth0") is not part of the span.
//     After ':' an address starts only when the ':' ends a key of letters
//     and '_' that is not a hex group ("ip:2001:db8::1", "peer:fe80::1").
//
// Payment data (always removed):
//
//   - [Card]: 13–19 digits, contiguous or as a 4-digit group followed by
//     groups of 3–6 digits joined by one consistent separator (' ' or '-'),
//     with a real IIN prefix and a length its network issues (Visa 4;
//     Mastercard 51–55, 2221–2720; American Express 34, 37; Discover 6011,
//     65, 644–649; JCB 3528–3589; Diners Club 36, 38, 300–305; UnionPay 62),
//     and a valid Luhn check digit. A number continuing an identifier
//     ("ORD-…", "id_…") or a dotted number ("1.…") is not a card.
//   - [IBAN]: upper-case country code of a country that issues IBANs, two
//     check digits, an upper-case alphanumeric BBAN, the country's exact
//     length, contiguous or in groups of four separated by single spaces, and
//     ISO 13616 mod-97 == 1.
//
// Government identifiers (always removed):
//
//   - [SSN]: NNN-NN-NNNN with dashes; area not 000, 666 or 900–999, group not
//     00, serial not 0000.
//
// Secrets (always removed):
//
//   - [JWT]: three base64url segments joined by '.', the header starting
//     "eyJ" and decoding to a JSON object with an "alg" member; or five, an
//     encrypted token (JWE), whose second segment may be empty.
//   - [AWSAccessKey]: AKIA, ASIA, AGPA, AIDA, AROA, AIPA, ANPA, ANVA, APKA,
//     ABIA, ACCA or A3T? followed by 16 upper-case letters or digits, 20
//     bytes standing alone. [AWSSecretKey]: 40 base64 bytes as the value of a
//     key named like aws_secret… or …secret_access_key.
//   - [GitHubToken]: ghp_, gho_, ghu_, ghs_, ghr_ and 36+ alphanumerics;
//     github_pat_ and 80+ word bytes. [GitLabToken]: glpat-, glrt-, gldt-,
//     glptt-, glcbt- and 20+ base64url bytes. [SlackToken]: xoxb-, xoxp-,
//     xoxa-, xoxr-, xoxs-, xoxe-, xapp- and 10+ bytes, or the path after
//     hooks.slack.com/services/. [StripeKey]: sk_, rk_, pk_ with live_ or
//     test_, or whsec_, and 24+ alphanumerics. [GoogleAPIKey]: AIza and 35
//     base64url bytes. [VendorToken]: OpenAI and Anthropic keys (sk-, as in
//     sk-proj-… and sk-ant-api03-…, and 32+ base64url bytes holding upper
//     case, lower case and digits), npm (npm_ and 36 alphanumerics), Hugging
//     Face (hf_ and 30–40 alphanumerics in both cases), SendGrid (SG., 22
//     and 43 base64url bytes), DigitalOcean (dop_v1_, doo_v1_, dor_v1_ and
//     64 hex digits), Shopify (shpat_, shpca_, shppa_, shpss_ and 32 hex
//     digits), PyPI (pypi-AgEIcHlwaS5vcmc and 60+ base64url bytes), xAI
//     (xai- and 60+ alphanumerics in both cases with digits), Groq (gsk_ and
//     52 alphanumerics), Telegram bots (8–10 digits, ':', AA and 33
//     base64url bytes), Google OAuth access tokens (ya29. and 50+ base64url
//     bytes in both cases with digits) and client secrets (GOCSPX- and 28
//     base64url bytes), Square (sq0atp- and 22 base64url bytes, sq0csp- and
//     43, EAAA and 60 in both cases with digits), HashiCorp Vault (hvs.
//     and 90+ base64url bytes, hvb. and 138+), age secret keys
//     (AGE-SECRET-KEY-1 and 58 bech32 bytes), Azure AD (Entra ID) client
//     secrets (40 bytes of [A-Za-z0-9_.~-] whose 4th to 6th are a digit and
//     "Q~", found from the '~'), and the token of a
//     Discord webhook URL (after discord.com/api/webhooks/<id>/).
//   - [PrivateKey]: a PEM block whose label contains "PRIVATE KEY", from
//     "-----BEGIN" through "-----END …-----"; with no END, to the end of the
//     text (fail closed).
//   - [BearerToken]: the b64token after "Bearer " (scheme in any case); a
//     token of letters only must be 20+ bytes, so prose ("the bearer of")
//     and auth-params ("Bearer realm=…") are not matched; '=' is padding
//     unless a word follows it. [BasicAuth]: the
//     base64 after "Basic " that decodes to user:password.
//   - [URLCredential]: the userinfo of "scheme://user:password@host", and
//     of a Go database DSN, "user:password@tcp(host:3306)/db"; a
//     userinfo without a password only when it looks like a token (16+
//     base64url bytes, 3.5+ bits of entropy per byte). The password of an
//     Oracle connect string, user/password@database, is a [GenericSecret]
//     where a word before says it is one: "jdbc:oracle:thin:", "oci:",
//     userid=, CONNECT or CONN, the commands sqlplus, expdp, impdp, sqlldr
//     and dgmgrl, and rman's target, auxiliary and catalog
//     ("library/nginx@sha256:…" is none); in an argument list of those
//     commands, also user/password alone.
//   - [GenericSecret] too: the SASL initial response after "AUTH PLAIN",
//     "AUTH XOAUTH2" or "AUTH OAUTHBEARER" (mail debug logs), and Redis's
//     "AUTH [user] password" (also as MONITOR quotes it, "AUTH" "x") when
//     the password looks random ("AUTH failed" is none); the value of a
//     column named after a secret in a PostgreSQL duplicate-key detail,
//     "Key (api_token)=(x) already exists", and in MySQL's error 1062,
//     "Duplicate entry 'x' for key 'users.api_token'" (an index named after
//     its column: users_api_token_key, api_token_UNIQUE).
//   - [GenericSecret]: the value of key=value, key: value, "key": "value"
//     (also \"key\":\"value\" inside a JSON string) when the key, compared
//     without case and ignoring '_', '-', '.', ends in a secret-like name.
//     Strong names (password, passwd, passphrase, secret, api_key,
//     private_key, access_key, secret_key, signing_key, encryption_key,
//     credential(s), access/refresh/auth/id/session/bearer_token, cvv,
//     cvc, ssn, passcode, secret_key_base; pwd after ';', as connection
//     strings write it: "Uid=sa;Pwd=x;") mark any value; weak names (token, auth, authorization, cookie, session,
//     session_id, signature, sig as in an Azure SAS URL, pwd, pass) only a
//     value that looks generated: 8+ bytes with a letter and a digit, 3+
//     bits of Shannon entropy per byte, not a path. Values that are empty,
//     a placeholder ("[SECRET]"), without any alphanumeric ("***"), or a
//     null word (null, none, true,
//     redacted, …) are not secrets; a value over 256 bytes under such a key
//     always is. "Authorization: <scheme> <credential>" matches the
//     credential. A value that is itself a recognized token takes its kind;
//     a PEM private key as a value is a [PrivateKey] through its END line.
//     The same names as command-line options, with two dashes or one (as
//     Go's flag package writes them), mark the next word, or the next
//     quoted argument of a quoted list: "--password hunter2",
//     "-password hunter2", "--api-key" "…"; a value that starts with '-' is
//     the next option. One-letter options ("-p") are not secret-like names.
//     A bracketed form field ("card[cvc]=123", "user[password]=x", as Rails,
//     PHP and Stripe nest them) is keyed by the name in its last brackets.
//     "=>" separates a key and its value as "=" does, as Ruby's inspect,
//     Perl's Data::Dumper and PHP's print_r write hashes: "password"=>"x",
//     'secret' => 'x', [password] => x.
//     An entry, an object that names a setting in one member and holds its
//     value in another, has its value matched as the named key's when the
//     name is secret-like: {"name":"DB_PASSWORD","value":"x"} (Kubernetes
//     env, HAR headers), {"Name":"/prod/db/password",…,"Value":"x"} (AWS),
//     <add key="ApiKey" value="x"/> (.NET), "- name: X\n  value: x" (YAML).
//     The name keys are name, key, field, ParameterKey and ParameterName, the
//     value keys value and ParameterValue, in any case; the value must follow
//     the name within 256 bytes, before a brace, bracket or angle bracket, a
//     YAML list item or a line at the margin. An entry's key is quoted, has
//     a quoted value or is followed by ':' (JSON, XML attributes, YAML):
//     logfmt's unquoted name=X value=Y is not read as one, so that the
//     common "key=orders:4821" costs the scan nothing.
//     As URL query parameters ("?code=…", "&key=…", also after %3F or %26
//     in a nested URL), code, authcode, key, ticket and jwt are weak names
//     too: an OAuth authorization code in a logged request URI.
//     A SQL password literal is one too, as a statement echoed in an error
//     shows it: the quoted literal after PASSWORD (WITH PASSWORD 'x',
//     PASSWORD('x'), or prose: invalid password "x") and the literal after
//     IDENTIFIED BY, in any case. In an INSERT with a column list, as ORMs
//     log statements with their arguments (GORM's logger), the value in the
//     place of a secret-like column, in every row: INSERT INTO users (name,
//     password) VALUES ('bob', 'x'), also N'x', E'x' and the literal passed
//     to a function (crypt('x', gen_salt('bf'))); a row is matched only when
//     it reads as one whole, and bind parameters ($1, ?, :name), NULL and
//     DEFAULT are no values. A key may be quoted with backticks too, as MySQL
//     quotes names: `password`='x'.
//     In a sentence, a random-looking value (letters and digits, high
//     entropy; 16 bytes or more) right after token, secret,
//     password, passwd, passphrase, apikey, credential(s), or key after
//     api, access, secret, private, client or signing (in lower case,
//     capitalized or in capitals, but APIKEY; "is" or "was" may come
//     between) is one too, as error messages write them:
//     invalid token Zq8x…, rejected api key "k3Jd…". After token and key a
//     hex digest or UUID is not taken; a value another detector knows (a
//     JWT, a vendor token) keeps its own kind.
//     A list as the value has each element matched: a JSON array of strings
//     ("X-Api-Key": ["…"], as http.Header and url.Values encode), Go syntax
//     ([]string{"…"}, fmt's %#v) or fmt's %v of a slice ([a b], as in
//     "map[Password:[…]]"). fmt's %v of an argument list ("[./app -password
//     x]") is read as a command line. The same
//     names mark the value after "%3D", the URL encoding of '=' in a URL
//     carried in another one's query (…%3Faccess_token%3D…, up to an escape
//     of a byte that ends a value), and the text of an XML element,
//     <password>…</password>, also with the tags JSON-escaped
//     (\u003cpassword\u003e, as json.Marshal writes them), closed on its line.
//     A Cookie header ("Cookie: a=1; b=2", also as a JSON member) has every
//     cookie's value matched, a Set-Cookie header its cookie's value: a
//     header gives no sign of which cookies carry a session.
//     Some options carry a password only for the commands that take them,
//     and are matched on a line where such a command comes before: mysql's
//     and mariadb's -pSECRET (glued; "-p db" names a database), sshpass -p,
//     redis-cli -a, the -p of a registry login (docker login, podman login,
//     helm registry login, az login: "login " before it, not loginctl), the
//     password of user:password after curl's -u, --user, -U and
//     --proxy-user, openssl's -k, -K (a raw key) and the pass:SECRET of
//     -pass, -passin, -passout and -password (env:VAR, file:path, fd:N and
//     stdin say where the password is and are not matched), the -w of the
//     OpenLDAP clients (ldapsearch, ldapmodify …), the -P of sqlcmd, ipmitool,
//     zip and unzip, the -p of the MongoDB tools (mongosh, mongodump …), and
//     the password of [DOMAIN\]user%password after smbclient's -U and --user.
//     The option's name says nothing ("psql -p 5433" is a port), so the
//     command decides.
//     [Scanner.ArgSecret] applies these rules to the elements of an argument
//     list such as exec.Cmd.Args, where each element is scanned alone.
//   - [PasswordHash]: a password hash in the modular crypt format, cost,
//     parameters, salt and digest (a hash and its salt can be cracked
//     offline): "$<id>$" with the id of md5-crypt (1, apr1), bcrypt (2a, 2b,
//     2x, 2y), sha256/512-crypt (5, 6), yescrypt (y, gy, 7), Argon2, scrypt
//     or PBKDF2, or Django's "pbkdf2_sha256$", "argon2$", "bcrypt_sha256$"
//     …; then two or more '$'-separated fields of the crypt and base64
//     alphabets and ",=-", the last (the digest) 20 bytes or more.
//
// # Boundaries
//
// A match never starts or ends inside a word, a run of [A-Za-z0-9_]: '_'
// joins as in \w, so "id_4111…" and "x_AKIA…" continue identifiers. Every
// other ASCII byte separates, so values are found in URL paths
// ("/users/4111 1111 1111 1111"), query strings, JSON strings, key=value and
// key:value pairs, after '.', '#', '(' and the like. Escape sequences
// separate too: "\n", "\r", "\t", "\b", "\f", "\uXXXX" (JSON, Go) and "%XX"
// (URLs); a '%' or '\' that forms one with what follows is read as that
// escape ("%4111…" is "A111…"). The exceptions are a detector's own grammar:
//
//   - a '-' after an alphanumeric, or a '.' after a digit, continues an
//     identifier or a number: no card, SSN or national phone number starts
//     there ("ORD-555-123-4567", "1.4111…");
//   - '+' before digits is E.164 ("+555-123-4567" is a phone number, "++1…"
//     is not);
//   - '.', '%', '+', '-' belong to an e-mail local part ("x.alice@…");
//   - an IPv4 address preceded by '.' or followed by '.' and an alphanumeric
//     or by '-' and a letter is a version; an IPv6 address does not start
//     after '.' or after ':' other than a key's;
//   - base64url bytes ('-') continue a JWT, GitLab, Slack or Google key, and
//     b64token bytes ("+-./~", '=' padding) a bearer token; '/' continues a
//     Slack webhook path; the last '@' of a URL authority ends its userinfo;
//   - an unquoted key=value value runs to a blank, a quote, '\' or one of
//     ",;&<>()[]{}=", so "password=p@ss!" holds "p@ss!".
//
// # Performance
//
// Scan makes one pass over the text with a 256-entry byte-class table:
// words are skipped whole and only rare anchors start a detector ('@', '=',
// ':', '+', '(', '$', "-----BEGIN", "%40", the first byte of a vendor prefix, a
// digit at the start of a word; '\\' and '%' start a word after an escape). No regular expressions are used. Every detector
// either inspects a bounded window around its anchor or consumes the text it
// matched, so Scan runs in time linear in the input, including adversarial
// input such as a megabyte of digits, '@', ':' or '='. It does not allocate
// when dst has room for the matches.
package scan
