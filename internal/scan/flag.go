package scan

import (
	"math"
	"strings"
)

// flag handles a command-line option at i, with one or two leading dashes
// ("-password" as Go's flag package writes it, "--password"), whose value
// is the next word, "--password hunter2", or the next quoted argument of a
// quoted list, "--password" "hunter2" (with '=' the key=value detector sees
// it): when the option's name is secret-like, the value is matched as
// keyValue would match it; otherwise when it is one of commandOptions
// after its command. It returns where scanning resumes.
func (st *state) flag(i, dashes int) int {
	ks := i + dashes // the option's name
	if !optionStart(st.text, i) {
		return ks
	}
	if e := st.secretFlag(i, ks); e > ks {
		return e
	}
	if e := st.commandOption(i, dashes); e > 0 {
		return e
	}
	return ks
}

// secretFlag matches the value of an option whose name, at ks, is
// secret-like. It returns where scanning resumes, ks if nothing matched.
func (st *state) secretFlag(i, ks int) int {
	t := st.text
	ke := run(t, ks, cKey)
	if ke-ks > maxKey || st.set&kvKinds == 0 {
		return ks
	}
	v := ke + 1 // --password hunter2
	if q := byteAt(t, i-1); q == '"' || q == '\'' {
		// A quoted argument list: "--password" "hunter2", ["--password", "hunter2"].
		if byteAt(t, ke) != q {
			return ks
		}
		v = ke + 1
		if byteAt(t, v) == ',' {
			v++
		}
		for sp := 0; sp < 3 && is(t, v, cSpace); sp++ {
			v++
		}
		if byteAt(t, v) != q {
			return ks
		}
	} else if byteAt(t, ke) != ' ' {
		return ks
	}
	strength, _, aws := secretKey(t[ks:ke])
	if strength == none {
		return ks
	}
	vs, ve, next, quoted := value(t, v)
	if ve <= vs || (!quoted && t[vs] == '-') || strings.HasPrefix(t[vs:ve], "--") {
		return ks // no value, or the next option
	}
	kind, ok := flagValueKind(t[vs:ve], strength, aws)
	if ok && (st.emit(vs, ve, kind) || st.emit(vs, ve, GenericSecret)) {
		return next
	}
	return ks
}

// flagValueKind reports whether val, the value of an option whose name has
// the given strength, is a secret, and of which kind.
func flagValueKind(val string, strength int, aws bool) (Kind, bool) {
	if placeholder(val) || nullish(val) || (strength == weak && len(val) <= maxValue && !randomLooking(val)) {
		return 0, false
	}
	if s, e, pk := prefixed(val, 0); s == 0 && e == len(val) {
		return pk, true
	}
	if aws && len(val) == 40 && run(val, 0, cB64) == 40 {
		return AWSSecretKey, true
	}
	return GenericSecret, true
}

// commandOptions are the options that carry a password only for the
// commands that take them, as a service logs a command it runs (exec.Cmd's
// String or Args): "mysqldump -u root -pSECRET", "sshpass -p SECRET ssh …",
// "redis-cli -a SECRET", "curl -u bob:SECRET", "openssl pkcs12 -passout
// pass:SECRET". Their names say nothing (in "psql -p 5433" the -p is a
// port), so the command decides.
var commandOptions = [...]struct {
	cmd    int // index in commandNames
	opt    string
	glued  bool // the value may follow the option at once: -pSECRET, --user=bob:SECRET
	spaced bool // the value may be the next argument: -p SECRET
	form   int  // which part of the value is the secret (optionValue)
}{
	{cmdMySQL, "-p", true, false, formWhole}, // mysql's "-p db" names a database
	{cmdMariaDB, "-p", true, false, formWhole},
	{cmdSSHPass, "-p", true, true, formWhole},
	{cmdRedis, "-a", false, true, formWhole},
	{cmdCurl, "-u", true, true, formUserColon},
	{cmdCurl, "--user", true, true, formUserColon},
	{cmdCurl, "-U", true, true, formUserColon},
	{cmdCurl, "--proxy-user", true, true, formUserColon},
	{cmdLogin, "-p", true, true, formWhole},        // docker, podman, helm registry, az, oras … login -p SECRET
	{cmdOpenSSL, "-k", false, true, formWhole},     // openssl enc -k SECRET
	{cmdOpenSSL, "-K", false, true, formWhole},     // openssl enc -K <raw key in hex>
	{cmdOpenSSL, "-pass", false, true, formPass},   // -pass pass:SECRET; env:VAR, file:path name where it is
	{cmdOpenSSL, "-passin", false, true, formPass}, // -passin pass:SECRET
	{cmdOpenSSL, "-passout", false, true, formPass},
	{cmdOpenSSL, "-password", false, true, formPass}, // pkcs12 -password pass:SECRET
	{cmdLDAP, "-w", true, true, formWhole},           // ldapsearch, ldapmodify, ldapadd … -w SECRET (-W prompts)
	{cmdSQLCmd, "-P", true, true, formWhole},         // sqlcmd -S db -U sa -P SECRET
	{cmdMongo, "-p", true, true, formWhole},          // mongosh, mongodump, mongorestore … -p SECRET
	{cmdSMB, "-U", true, true, formUserPercent},      // smbclient -U bob%SECRET
	{cmdSMB, "--user", true, true, formUserPercent},
	{cmdIPMI, "-P", true, true, formWhole}, // ipmitool -U admin -P SECRET
	{cmdZip, "-P", false, true, formWhole}, // zip -P SECRET out.zip …
	{cmdUnzip, "-P", false, true, formWhole},
}

// commandNames are the commands of commandOptions, each the start of a
// command's base name ("mysql" for mysqldump and mysqladmin, "ldap" for
// ldapsearch and ldapmodify, "mongo" for mongosh and mongodump); "login " is
// the subcommand of the container registry clients (docker login, podman
// login, helm registry login), not loginctl. (Each costs st.cmds four
// bytes: the scanner's state is zeroed per Scan, and past 192 bytes every
// scan is measurably slower.)
var commandNames = [...]string{"mysql", "mariadb", "sshpass", "redis-cli", "curl", "login ",
	"openssl", "ldap", "sqlcmd", "mongo", "smbclient", "ipmitool", "zip", "unzip"}

const (
	cmdMySQL = iota
	cmdMariaDB
	cmdSSHPass
	cmdRedis
	cmdCurl
	cmdLogin
	cmdOpenSSL
	cmdLDAP
	cmdSQLCmd
	cmdMongo
	cmdSMB
	cmdIPMI
	cmdZip
	cmdUnzip
)

// The forms of a command option's value: all of it is the secret, the part
// after the first ':' or '%' (user:SECRET, user%SECRET), or the part after
// "pass:" (openssl's pass:SECRET; its other sources, env:VAR, file:path,
// fd:N and stdin, say where the password is).
const (
	formWhole = iota
	formUserColon
	formUserPercent
	formPass
)

// cmdMemo is what commandBefore has read of the text, which keeps it
// linear: up to hi, the last start of each of commandNames (plus one, 0 for
// none) and the start of the last line. Offsets are 32-bit to keep the
// scanner's state small; commandBefore reads no text longer than that.
type cmdMemo struct {
	hi, line int32
	at       [len(commandNames)]int32
}

// commandOption matches the value of one of commandOptions at i, an option
// with the given number of dashes at the start of an argument, when a
// command that takes it comes before on the same line. It returns where
// scanning resumes, or 0.
func (st *state) commandOption(i, dashes int) int {
	t := st.text
	if !commandOptionStart(t[i+dashes]) || !st.set.Has(GenericSecret) {
		return 0 // the common case: not an option of commandOptions
	}
	for _, o := range commandOptions {
		if !strings.HasPrefix(t[i:], o.opt) {
			continue
		}
		v := i + len(o.opt)
		switch c := byteAt(t, v); {
		case c == ' ' && o.spaced:
			v++
		case dashes == 2: // --user=bob:SECRET, not --username
			if c != '=' || !o.glued {
				continue
			}
			v++
		case !o.glued || c == '=' || (!is(t, v, cValue) && c != '"' && c != '\''):
			continue
		}
		if !st.commandBefore(i, o.cmd) {
			continue
		}
		vs, ve, next, quoted := value(t, v)
		for !quoted && o.form == formUserPercent && byteAt(t, ve) == '\\' && is(t, ve+1, cValue) {
			ve = run(t, ve+1, cValue) // DOMAIN\user%SECRET
			next = ve
		}
		if s, e, ok := optionValue(t[vs:ve], quoted, o.form); ok && st.emit(vs+s, vs+e, GenericSecret) {
			return next
		}
		return 0
	}
	return 0
}

// commandOptionStart reports whether c, the first letter of an option's
// name, starts one of commandOptions.
func commandOptionStart(c byte) bool {
	switch c {
	case 'p', 'a', 'u', 'U', 'k', 'K', 'w', 'P':
		return true
	}
	return false
}

// optionValue returns the span of the secret in val, the value of a command
// option of the given form: all of it, the password of user:password or
// user%password, or what follows pass:.
func optionValue(val string, quoted bool, form int) (s, e int, ok bool) {
	if val == "" || (!quoted && val[0] == '-') {
		return 0, 0, false // no value, or the next option
	}
	switch form {
	case formUserColon, formUserPercent:
		sep := byte(':')
		if form == formUserPercent {
			sep = '%'
		}
		c := strings.IndexByte(val, sep)
		if c < 0 {
			return 0, 0, false // curl -u bob asks for the password
		}
		s = c + 1
	case formPass:
		if !strings.HasPrefix(val, "pass:") {
			return 0, 0, false // env:VAR, file:path, fd:N, stdin
		}
		s = len("pass:")
	}
	if s == len(val) || placeholder(val[s:]) || nullish(val[s:]) || val[s] == '$' {
		return 0, 0, false
	}
	return s, len(val), true
}

// commandBefore reports whether commandNames[cmd] starts a word of the text
// on the line before i, within 256 bytes: "/usr/bin/mysqldump -u root",
// `exec: "mysqldump"`, "[mysqldump -u". Each byte of the text is read for
// it once (st.cmds).
func (st *state) commandBefore(i, cmd int) bool {
	m, t := &st.cmds, st.text
	if len(t) > math.MaxInt32 {
		return false
	}
	if hi := int(m.hi); i > hi {
		seg := t[hi:i]
		if nl := strings.LastIndexByte(seg, '\n'); nl >= 0 {
			m.line = int32(hi + nl + 1)
		}
		for k, name := range commandNames {
			for j := 0; ; j++ {
				f := strings.Index(seg[j:], name)
				if f < 0 {
					break
				}
				j += f
				if commandStart(t, hi+j) {
					m.at[k] = int32(hi + j + 1)
				}
			}
		}
		m.hi = int32(i)
	}
	return m.at[cmd] > 0 && int(m.at[cmd])-1 >= max(i-256, int(m.line))
}

// commandStart reports whether a command name may start at j: at the start
// of t, or after a blank, a path separator or an opening quote or bracket.
func commandStart(t string, j int) bool {
	if j == 0 {
		return true
	}
	switch t[j-1] {
	case ' ', '\t', '\n', '/', '"', '\'', '`', '[', '(', '=':
		return true
	}
	return false
}

// ArgSecret reports the secret in cur, an element of a list of command-line
// arguments (as in exec.Cmd.Args) whose first element is cmd (or "login "
// after a registry client's login subcommand: ["docker", "login", "-p", …])
// and in which
// prev comes before cur; each element alone shows the detectors nothing.
// The secret is all of cur when prev is an option with a secret-like name
// and no value of its own (["--api-key", "x"], ["-password", "x"]), or the
// value of one of the options that carry a password only for the commands
// that take them (["mysqldump", "-pSECRET"], ["sshpass", "-p", "SECRET"],
// ["curl", "-u", "bob:SECRET"]). It returns the secret's span in cur and the
// kind to report, which is in the scanner's set.
func (s *Scanner) ArgSecret(cmd, prev, cur string) (start, end int, k Kind, ok bool) {
	if s == nil || s.set&kvKinds == 0 || cur == "" {
		return 0, 0, 0, false
	}
	if k, ok := s.flagValue(prev, cur); ok {
		return 0, len(cur), k, true
	}
	if !s.set.Has(GenericSecret) || len(cmd) < 3 {
		return 0, 0, 0, false
	}
	cmd = cmd[strings.LastIndexByte(cmd, '/')+1:]
	if s, e, ok := oracleArg(cmd, cur); ok {
		return s, e, GenericSecret, true
	}
	for _, o := range commandOptions {
		if !strings.HasPrefix(cmd, commandNames[o.cmd]) {
			continue
		}
		var val string
		switch {
		case prev == o.opt && o.spaced:
			val = cur
		case o.glued && len(cur) > len(o.opt) && strings.HasPrefix(cur, o.opt):
			val = cur[len(o.opt):]
			if strings.HasPrefix(o.opt, "--") {
				if val[0] != '=' {
					continue
				}
				val = val[1:]
			}
		default:
			continue
		}
		if s, e, ok := optionValue(val, false, o.form); ok {
			d := len(cur) - len(val)
			return d + s, d + e, GenericSecret, true
		}
	}
	return 0, 0, 0, false
}

// oracleArg returns the span of the password in cur, an argument of the
// Oracle client cmd (a base name) that is a connect string:
// user/password@database, user/password (a local database), or either
// after userid=.
func oracleArg(cmd, cur string) (s, e int, ok bool) {
	switch cmd {
	case "sqlplus", "expdp", "impdp", "sqlldr", "dgmgrl", "rman":
	default:
		return 0, 0, false
	}
	if len(cur) > 7 && foldIs(cur[:7], "userid=") {
		s = 7
	}
	u := s
	for u < len(cur) && (cls[cur[u]]&cWord != 0 || cur[u] == '$' || cur[u] == '#') {
		u++
	}
	if u == s || u == len(cur) || cur[u] != '/' {
		return 0, 0, false // no user: "/nolog", "@script.sql", "control=a.ctl"
	}
	s = u + 1
	e = len(cur)
	if at := strings.IndexByte(cur[s:], '@'); at >= 0 {
		e = s + at
	}
	if e == s || placeholder(cur[s:e]) {
		return 0, 0, false
	}
	return s, e, true
}

// flagValue reports whether value, which follows the argument flag in a list
// of command-line arguments, is a secret: flag is an option with one or two
// leading dashes, a secret-like name and no value of its own ("-password",
// "--api-key"), and value is not another option, empty or a placeholder.
func (s *Scanner) flagValue(flag, value string) (Kind, bool) {
	ks := 1
	if strings.HasPrefix(flag, "--") {
		ks = 2
	}
	if s == nil || s.set&kvKinds == 0 || len(flag) < ks+2 || flag[0] != '-' ||
		!is(flag, ks, cUpper|cLower) || run(flag, ks, cKey) != len(flag) || len(flag)-ks > maxKey ||
		value == "" || value[0] == '-' {
		return 0, false
	}
	strength, _, aws := secretKey(flag[ks:])
	if strength == none {
		return 0, false
	}
	k, ok := flagValueKind(value, strength, aws)
	if !ok {
		return 0, false
	}
	if !s.set.Has(k) {
		k = GenericSecret
	}
	return k, s.set.Has(k)
}
