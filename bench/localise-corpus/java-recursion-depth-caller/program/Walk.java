public class Walk {
  static int countDown(int n) {
    if (n == 0) return 0;
    return 1 + countDown(n - 1);
  }

  static int total(int[] xs) {
    int t = 0;
    for (int x : xs) t += x;
    return t;
  }

  static int depth(int[] xs) {
    return countDown(xs.length - 10);
  }
}
