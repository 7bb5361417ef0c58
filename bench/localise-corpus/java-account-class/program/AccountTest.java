public class AccountTest {
  public static void main(String[] args) {
    Account a = new Account(100);
    a.withdraw(30);
    if (a.balance() != 70) throw new AssertionError("balance " + a.balance());
  }
}
