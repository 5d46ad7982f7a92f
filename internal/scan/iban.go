package scan

// ibanLen holds the IBAN length of each country that issues IBANs, indexed
// by the two letters of the country code (A–Z each).
var ibanLen = func() (m [26 * 26]uint8) {
	for cc, n := range map[string]uint8{
		"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
		"BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
		"DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
		"GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
		"IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
		"LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
		"MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
		"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
		"SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
		"TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
	} {
		m[int(cc[0]-'A')*26+int(cc[1]-'A')] = n
	}
	return m
}()

// ibanEnd recognizes an IBAN at i and returns its end, or 0: a country code
// that issues IBANs, two check digits, and a BBAN of upper-case letters and
// digits, with the country's exact length, either contiguous or in groups of
// four separated by single spaces; the ISO 13616 mod-97 check must give 1.
func ibanEnd(t string, i int) int {
	if len(t)-i < 15 || cls[t[i+1]]&cUpper == 0 || !isDigit(t[i+2]) || !isDigit(t[i+3]) {
		return 0
	}
	want := int(ibanLen[int(t[i]-'A')*26+int(t[i+1]-'A')])
	if want == 0 {
		return 0
	}
	grouped := t[i+4] == ' '
	mod, n, j := 0, 4, i+4
	for n < want {
		if grouped && n%4 == 0 {
			if byteAt(t, j) != ' ' {
				return 0
			}
			j++
		}
		c := byteAt(t, j)
		switch {
		case isDigit(c):
			mod = (mod*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			mod = (mod*100 + int(c-'A') + 10) % 97
		default:
			return 0
		}
		n++
		j++
	}
	if is(t, j, cWord) {
		return 0
	}
	mod = (mod*100 + int(t[i]-'A') + 10) % 97
	mod = (mod*100 + int(t[i+1]-'A') + 10) % 97
	mod = (mod*100 + int(t[i+2]-'0')*10 + int(t[i+3]-'0')) % 97
	if mod != 1 {
		return 0
	}
	return j
}
