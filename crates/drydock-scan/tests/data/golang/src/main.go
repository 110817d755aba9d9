// Command hello prints a greeting and a proverb: test data for drydock's Go
// build-info analyzer (one dependency from a module proxy, one replaced by a
// local directory).
package main

import (
	"fmt"

	"example.com/greet"
	"example.com/quote"
)

func main() {
	fmt.Println(greet.Hello(), quote.Go())
}
