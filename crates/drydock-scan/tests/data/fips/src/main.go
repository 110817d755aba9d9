package main

import (
	"crypto/sha256"
	"crypto/tls"
	_ "crypto/tls/fipsonly"
	"fmt"
)

func main() {
	sum := sha256.Sum256([]byte("drydock"))
	fmt.Printf("%x %d\n", sum, tls.VersionTLS13)
}
