module greet

go 1.19
