import unittest
from report import header, row


class ReportTest(unittest.TestCase):
    def test_row(self):
        self.assertEqual(row("ab", 3), "ab        3")

    def test_header(self):
        self.assertEqual(header("T"), "T         \n----------")
