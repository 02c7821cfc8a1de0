package flowlog

// headerTooLong reports whether err, an ErrLineTooLong error for the first
// line of an input, may be about its header: the line does not start as a
// record does (a digit or "-"; firstLine tells them apart the same way).
// Such a line ends the input even with Lenient: skipping it would make the
// next line, a record, be read as the header, or records be read without
// the format the header gives.
func headerTooLong(err error) bool {
	pe, ok := err.(*ParseError)
	if !ok || pe.Text == "" {
		return true
	}
	c := pe.Text[0]
	return (c < '0' || c > '9') && c != '-'
}
