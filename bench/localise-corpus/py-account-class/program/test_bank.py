import unittest
from bank import Account


class AccountTest(unittest.TestCase):
    def test_deposit(self):
        acct = Account("bo")
        acct.deposit(10)
        self.assertEqual(acct.balance, 10)

    def test_withdraw(self):
        acct = Account("cy", 100)
        acct.withdraw(30)
        self.assertEqual(acct.balance, 70)
