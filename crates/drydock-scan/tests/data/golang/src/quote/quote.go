package quote

// Go returns a Go proverb.
func Go() string { return "Don't communicate by sharing memory, share memory by communicating." }
