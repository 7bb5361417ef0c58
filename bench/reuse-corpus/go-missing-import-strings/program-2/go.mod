module trim

go 1.19
