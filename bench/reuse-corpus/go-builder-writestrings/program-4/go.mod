module table

go 1.19
