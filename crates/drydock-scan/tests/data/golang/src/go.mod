module example.com/hello

go 1.19

require (
	example.com/greet v1.2.3
	example.com/quote v1.5.2
)

replace example.com/greet v1.2.3 => ./greet
