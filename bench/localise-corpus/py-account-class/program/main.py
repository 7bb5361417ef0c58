from bank import Account

print(Account("ann", 5).statement())
