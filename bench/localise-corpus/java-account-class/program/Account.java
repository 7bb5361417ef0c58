public class Account {
  private int balance;

  Account(int balance) {
    this.balance = balance;
  }

  int deposit(int amount) {
    balance += amount;
    return balance;
  }

  int withdraw(int amount) {
    if (amount > balance) throw new IllegalStateException("insufficient funds");
    balance += amount;
    return balance;
  }

  int balance() {
    return balance;
  }
}
