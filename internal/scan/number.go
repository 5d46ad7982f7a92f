package scan

// number handles the word t[i:w] whose digits run to j: payment cards, SSNs,
// North American and other national phone formats, IPv4 and IPv6 addresses. Each detector parses a
// bounded window from i, so a long run of digits costs one pass. It returns
// where scanning resumes.
func (st *state) number(t string, i, j, w int) int {
	if w == j { // the word is all digits
		d := j - i
		switch byteAt(t, j) {
		case '.':
			if d <= 3 && st.set.Has(IPv4) {
				if e := ipv4End(t, i); e > 0 && st.emit(i, e, IPv4) {
					return e
				}
			}
			if d == 3 && st.set.Has(Phone) {
				if e := nanpEnd(t, i, '.'); e > 0 && st.emit(i, e, Phone) {
					return e
				}
			}
		case '-':
			if d == 3 && st.set.Has(SSN) {
				if e := ssnEnd(t, i); e > 0 && st.emit(i, e, SSN) {
					return e
				}
			}
			if (d == 3 || d == 1) && st.set.Has(Phone) {
				if e := max(nanpEnd(t, i, '-'), nanp1End(t, i)); e > 0 && st.emit(i, e, Phone) {
					return e
				}
			}
			if d == 4 && st.set.Has(Card) {
				if e := cardEnd(t, i); e > 0 && st.emit(i, e, Card) {
					return e
				}
			}
		case ':':
			// Telegram bot token: the bot's id (8–10 digits), ':', and A
			// and 33–34 base64url bytes with both cases and a digit.
			if d >= 8 && d <= 10 && st.set.Has(VendorToken) && byteAt(t, j+1) == 'A' {
				if e := telegramEnd(t, j+1); e > 0 && st.emit(i, e, VendorToken) {
					return e
				}
			}
		case ' ':
			if d == 4 && st.set.Has(Card) {
				if e := cardEnd(t, i); e > 0 && st.emit(i, e, Card) {
					return e
				}
			}
		}
		if d <= 5 && t[i] == '0' && st.set.Has(Phone) {
			if e := nationalEnd(t, i); e > 0 && st.emit(i, e, Phone) {
				return e
			}
		}
		if d >= 13 && d <= 19 && st.set.Has(Card) {
			if e := cardEnd(t, i); e > 0 && st.emit(i, e, Card) {
				return e
			}
		}
	}
	if w-i <= 4 && byteAt(t, w) == ':' && st.set.Has(IPv6) && allHex(t[i:w]) {
		if e := st.ipv6(t, i); e > 0 {
			return e
		}
	}
	return w
}

// numberBoundary reports whether a number that ends before e really ends
// there: no word byte follows, and no ".5" / "-5" continues it.
func numberBoundary(t string, e int) bool {
	switch byteAt(t, e) {
	case '.', '-':
		return !is(t, e+1, cDigit)
	}
	return !is(t, e, cWord)
}

// telegramEnd returns the end of the secret half of a Telegram bot token
// that starts at s ("AAH…", after "<id>:"), or 0.
func telegramEnd(t string, s int) int {
	e := run(t, s, cB64URL)
	if n := e - s; n < 34 || n > 35 || is(t, e, cWord) || !mixedCase(t[s:e]) || !hasDigit(t[s:e]) {
		return 0
	}
	return e
}
