module banner

go 1.19
