public class Steps {
  static int countDown(int n, int step) {
    if (n == 0) return 0;
    return 1 + countDown(n - step, step);
  }

  static String describe(int n) {
    return n + " takes " + steps(n) + " steps";
  }

  static int steps(int n) {
    return countDown(n, 2);
  }
}
