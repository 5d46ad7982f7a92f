package scan

import "strings"

// sqlPassword handles the word t[i:w] when it is PASSWORD or IDENTIFIED (any
// case) introducing a literal, as SQL sets a password and as error messages
// that echo a statement, or prose, show one:
//
//	CREATE USER bob WITH PASSWORD 'x'      ALTER ROLE bob PASSWORD "x"
//	ALTER USER bob IDENTIFIED BY 'x'       CREATE USER bob IDENTIFIED BY x
//	SET PASSWORD = PASSWORD('x')           invalid password 'x'
//
// The literal (without its quotes) is a GenericSecret. A key of a pair
// ("password": "x", password='x') is keyValue's. It returns where scanning
// resumes, or 0 when the word introduces no literal.
func (st *state) sqlPassword(t string, i, w int) int {
	if !st.set.Has(GenericSecret) || (i > 0 && (t[i-1] == '"' || t[i-1] == '\'')) {
		return 0
	}
	v := w
	bare := false // an unquoted literal is taken after IDENTIFIED BY only
	switch {
	case w-i == 8 && strings.EqualFold(t[i:w], "password"):
		if byteAt(t, v) == '(' {
			v++
		}
	case w-i == 10 && strings.EqualFold(t[i:w], "identified"):
		v = blanks(t, v)
		if v == w || v+2 > len(t) || !strings.EqualFold(t[v:v+2], "by") {
			return 0
		}
		v += 2
		bare = true
	default:
		return 0
	}
	if b := blanks(t, v); b > v || byteAt(t, v-1) == '(' {
		v = b
	} else {
		return 0 // "passwords", "password=" (keyValue), "password:"
	}
	q := byteAt(t, v)
	if q != '\'' && q != '"' && !(bare && is(t, v, cWord)) {
		return 0
	}
	vs, ve, next, _ := value(t, v)
	if ve <= vs || placeholder(t[vs:ve]) || (bare && nullish(t[vs:ve])) {
		return 0
	}
	if st.emit(vs, ve, GenericSecret) {
		return next
	}
	return 0
}

// blanks returns the index after at most three spaces or tabs from i.
func blanks(t string, i int) int {
	for sp := 0; sp < 3 && i < len(t) && (t[i] == ' ' || t[i] == '\t'); sp++ {
		i++
	}
	return i
}

// maxSQLColumns is how many columns of an INSERT sqlValues reads.
const maxSQLColumns = 64

// sqlValues handles the '(' at i when it opens the values of an SQL INSERT
// with a column list, as ORMs log statements with their arguments
// interpolated (GORM's logger, an error that echoes the statement):
//
//	INSERT INTO `users` (`email`,`password`) VALUES ('a@example.com','x'),('b@example.com','y')
//
// In every row, the value in the place of a secret-like column is matched
// as that column's value would be under its name in key=value (a strong name
// any literal, a weak name a random-looking one); a literal inside a
// function call there (the 'x' of crypt('x', gen_salt('bf'))) too. Bind parameters
// ($1, ?, :name, @p1), NULL and DEFAULT are no values. It returns where
// scanning resumes, i+1 (the other detectors still read the values, for an
// address), or 0 when i opens no such list. Each byte is read for it once:
// st.sqlEnd is where the last list read ended.
func (st *state) sqlValues(i int) int {
	t := st.text
	if i < st.sqlEnd || !st.set.Has(GenericSecret) {
		return 0
	}
	// VALUES, then the column list's ')', before i.
	p := blanksBack(t, i)
	if p < 8 || !foldIs(t[p-6:p], "values") || cls[t[p-7]]&cWord != 0 {
		return 0
	}
	c := blanksBack(t, p-6) - 1
	if c < 1 || t[c] != ')' {
		return 0 // INSERT INTO t VALUES (…): no names
	}
	o := c - 1 // the list's '('
	for o >= 0 && c-o < 2048 && sqlColumnByte[t[o]] {
		o--
	}
	if o < 0 || t[o] != '(' {
		return 0
	}
	var cols sqlColumns
	n := 0
	for s := o + 1; s <= c && n < maxSQLColumns; n++ {
		e := s + strings.IndexByte(t[s:c+1], ',')
		if e < s {
			e = c
		}
		name := strings.Trim(t[s:e], " \t\r\n\"`[]")
		if name == "" || strings.ContainsAny(name, " \t") {
			return 0 // not a column list
		}
		name = strings.Trim(name[strings.LastIndexByte(name, '.')+1:], "\"`[]") // "users"."password"
		strength, _, aws := secretKey(name)
		switch strength {
		case strong:
			cols.strong |= 1 << n
		case weak:
			cols.weak |= 1 << n
		}
		if aws {
			cols.aws |= 1 << n
		}
		s = e + 1
	}
	if cols.strong|cols.weak == 0 {
		return 0
	}
	// The values are matched ahead of the main loop, which reads them next
	// (for an address in another column): lastEnd is left where it was, so
	// that it does not hide them from the detectors, and finish sorts.
	lastEnd := st.lastEnd
	defer func() { st.lastEnd, st.unsort = lastEnd, true }()
	p = i
	for {
		// A row is read twice: matched only once it is read whole, so that
		// prose ("retry(password) values (3 attempts)") is none.
		e, ok := st.sqlList(t, p, &sqlColumns{}, none, false, 0)
		if !ok {
			st.sqlEnd = max(e, i+1)
			return i + 1
		}
		st.sqlList(t, p, &cols, none, false, 0)
		p = e
		// ",(" starts the next row.
		q := blanksAll(t, p)
		if byteAt(t, q) != ',' {
			break
		}
		q = blanksAll(t, q+1)
		if byteAt(t, q) != '(' {
			break
		}
		p = q
	}
	st.sqlEnd = p
	return i + 1
}

// sqlColumns are the columns of an INSERT whose values are secrets: bit n
// for column n, in strong when its name is a strong secret-like name, weak
// when a weak one, and aws when it names AWS's secret key.
type sqlColumns struct{ strong, weak, aws uint64 }

// at returns the strength of column n's name, and whether it names AWS's
// secret key.
func (c *sqlColumns) at(n int) (strength int, aws bool) {
	if n >= maxSQLColumns {
		return none, false
	}
	bit := uint64(1) << n
	switch {
	case c.strong&bit != 0:
		strength = strong
	case c.weak&bit != 0:
		strength = weak
	}
	return strength, c.aws&bit != 0
}

// sqlList reads the values, separated by commas, after the '(' at p up to
// their ')': a row of an INSERT (cols set: each value is matched as its
// column's, none for a zero cols) or a function's arguments (cols nil: each
// is matched with strength and aws). It returns the list's end, after its
// ')', and false when p opens no such list.
func (st *state) sqlList(t string, p int, cols *sqlColumns, strength int, aws bool, depth int) (int, bool) {
	p = blanksAll(t, p+1)
	if byteAt(t, p) == ')' {
		return p + 1, true
	}
	for n := 0; ; n++ {
		if cols != nil {
			strength, aws = cols.at(n)
		}
		e, ok := st.sqlValue(t, p, strength, aws, depth)
		if !ok {
			return e, false
		}
		p = blanksAll(t, e)
		switch byteAt(t, p) {
		case ',':
			p = blanksAll(t, p+1)
		case ')':
			return p + 1, true
		default:
			return p, false
		}
	}
}

// sqlValue reads the value at p in a row of INSERT values, in a column of
// the given strength (none for a column whose values are not matched):
// a literal, a bind parameter, a keyword or number, or a function call,
// whose literals are matched as the column's. It returns the value's end,
// and false when p holds none of these.
func (st *state) sqlValue(t string, p, strength int, aws bool, depth int) (int, bool) {
	c := byteAt(t, p)
	if (c == 'N' || c == 'E' || c == 'n' || c == 'e') && (byteAt(t, p+1) == '\'') {
		p++ // N'…' (SQL Server's Unicode literal), E'…' (PostgreSQL's escapes)
		c = '\''
	}
	if c == '\'' || c == '"' {
		vs, ve, ok := sqlLiteral(t, p)
		if !ok {
			return len(t), false
		}
		if strength != none && depth <= 1 { // crypt('x', gen_salt('bf')): not the salt's type
			if k, ok := flagValueKind(t[vs:ve], strength, aws); ok {
				st.emit(vs, ve, k)
			}
		}
		return ve + 1, true
	}
	e := p
	for e < len(t) && sqlWordByte[t[e]] {
		e++
	}
	if e == p {
		return p, false
	}
	if byteAt(t, e) != '(' {
		// A bind parameter ($1, ?, :name, @p1), a keyword (NULL, DEFAULT,
		// TRUE) or a number: under a strong name, a number is a PIN.
		if strength == strong && isDigit(t[p]) && run(t, p, cDigit) == e {
			st.emit(p, e, GenericSecret)
		}
		return e, true
	}
	// A function call: its arguments are values of the same column.
	if depth == 8 {
		return e, false
	}
	return st.sqlList(t, e, nil, strength, aws, depth+1)
}

// sqlLiteral returns the content [vs, ve) of the quoted literal at p, whose
// closing quote is at ve; a doubled quote and a backslash escape stand for
// one byte inside it.
func sqlLiteral(t string, p int) (vs, ve int, ok bool) {
	q := t[p]
	for k := p + 1; k < len(t); k++ {
		switch t[k] {
		case q:
			if byteAt(t, k+1) == q {
				k++
				continue
			}
			return p + 1, k, true
		case '\\':
			k++
		}
	}
	return 0, 0, false
}

// blanksBack returns the index before at most three spaces or tabs that end
// at i.
func blanksBack(t string, i int) int {
	for sp := 0; sp < 3 && i > 0 && (t[i-1] == ' ' || t[i-1] == '\t'); sp++ {
		i--
	}
	return i
}

// blanksAll returns the index after the blanks (and line breaks) at i.
func blanksAll(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
		i++
	}
	return i
}

// sqlColumnByte marks the bytes of an INSERT's column list: names, quoted
// ("x", `x`, [x]) or qualified (t.x), commas and blanks.
var sqlColumnByte = byteSet(",. \t\r\n\"`[]$#")

// sqlWordByte marks the bytes of an unquoted value: a number, a keyword, a
// function's name or a bind parameter ($1, ?, :name, @p1).
var sqlWordByte = byteSet("$?:@.+-")

// byteSet returns the set of ASCII letters, digits, '_' and the bytes of extra.
func byteSet(extra string) (m [256]bool) {
	for c := 0; c < 256; c++ {
		m[c] = c == '_' || ('0' <= c && c <= '9') || ('a' <= c|0x20 && c|0x20 <= 'z')
	}
	for i := 0; i < len(extra); i++ {
		m[extra[i]] = true
	}
	return m
}

// keyDetail handles the detail of a PostgreSQL unique, foreign-key or
// exclusion violation at the '(' at i, which follows "Key ":
//
//	Key (api_token)=(k3Jd8s9…) already exists.
//	Key (tenant_id, api_key)=(7, k3Jd8s9…) already exists.
//
// The value of each column named after a secret is a GenericSecret (a
// strong name's any value, a weak one's when it looks random); when the
// values cannot be told apart (more commas than columns), all of them are.
// It returns where scanning resumes (after the '('), or 0.
func (st *state) keyDetail(i int) int {
	t := st.text
	if !st.set.Has(GenericSecret) || i < 4 || t[i-4:i] != "Key " {
		return 0
	}
	le := lineEnd(t, i)
	ce := strings.Index(t[i:le], ")=(")
	if ce < 0 || ce > maxValue {
		return 0
	}
	cols := t[i+1 : i+ce]
	vs := i + ce + 3
	ve := vs
	for ve < le && !(t[ve] == ')' && (ve+1 == le || t[ve+1] == ' ' || t[ve+1] == '.' || t[ve+1] == '"')) {
		ve++
	}
	if ve == le {
		return 0
	}
	// The values are matched ahead of the main loop, which reads them next
	// (for an address in another column), as sqlValues does.
	lastEnd := st.lastEnd
	defer func() { st.lastEnd, st.unsort = lastEnd, true }()
	if strings.Count(t[vs:ve], ", ") != strings.Count(cols, ", ") {
		// The values cannot be told apart: all of them, for the strongest
		// column.
		strength := none
		for rest := cols; rest != ""; {
			var col string
			col, rest, _ = strings.Cut(rest, ", ")
			strength = max(strength, secretColumn(col))
		}
		if secretValue(t[vs:ve], strength) {
			st.emit(vs, ve, GenericSecret)
		}
		return i + 1
	}
	// Not strings.SplitSeq: its loop body, a closure using st, makes the
	// match buffer a caller gives Scan escape (a heap allocation per record
	// in redact; TestZeroAllocs).
	v := vs
	for rest := cols; rest != ""; {
		var col string
		col, rest, _ = strings.Cut(rest, ", ")
		e := ve
		if k := strings.Index(t[v:ve], ", "); k >= 0 {
			e = v + k
		}
		if secretValue(t[v:e], secretColumn(col)) {
			st.emit(v, e, GenericSecret)
		}
		v = e + 2
	}
	return i + 1
}

// secretValue reports whether val, the value of a column of the given
// strength (secretColumn), is a secret: any value of a strong name, one
// that looks random of a weak one; never an empty value or a null.
func secretValue(val string, strength int) bool {
	return strength != none && val != "" && !NoValue(val) && (strength == strong || randomLooking(val))
}

// duplicateEntry handles MySQL's error 1062 after the word "Duplicate"
// (ending at w):
//
//	Duplicate entry 'k3Jd8s9…' for key 'users.api_token'
//
// The entry is a GenericSecret when the key (an index, named after its
// columns as tools name them: users_api_token_key, api_token_UNIQUE,
// idx_api_token) is named after a secret. An index over several columns
// joins their values with '-': the entry is matched whole. It returns where
// scanning resumes, or 0.
func (st *state) duplicateEntry(w int) int {
	t := st.text
	const entry, forKey = " entry '", "' for key '"
	if !st.set.Has(GenericSecret) || !strings.HasPrefix(t[w:], entry) {
		return 0
	}
	vs := w + len(entry)
	le := lineEnd(t, vs)
	k := strings.Index(t[vs:le], forKey)
	if k < 0 {
		return 0
	}
	ve := vs + k
	ks := ve + len(forKey)
	ke := strings.IndexByte(t[ks:le], '\'')
	if ke < 0 {
		return 0
	}
	key := t[ks : ks+ke]
	if d := strings.LastIndexByte(key, '.'); d >= 0 {
		key = key[d+1:] // the table's name first, since MySQL 8.0.19
	}
	if !secretValue(t[vs:ve], secretColumn(key)) {
		return 0
	}
	if st.emit(vs, ve, GenericSecret) {
		return ks + ke + 1
	}
	return 0
}

// secretColumn is secretKey for the name of a column, or of an index or
// constraint named after its column: the suffix that tools add (_key,
// _unique, _uniq, _idx, _index, _uk, _ux) is ignored ("users_api_token_key"
// names api_token); a prefix (idx_, uk_) needs nothing, as secretKey reads
// the end of a name.
func secretColumn(name string) int {
	if strength, _, _ := secretKey(name); strength != none {
		return strength // api_key
	}
	for _, s := range [...]string{"_key", "_unique", "_uniq", "_idx", "_index", "_uk", "_ux"} {
		if len(name) > len(s) && strings.EqualFold(name[len(name)-len(s):], s) {
			name = name[:len(name)-len(s)]
			break
		}
	}
	strength, _, _ := secretKey(name)
	return strength
}
