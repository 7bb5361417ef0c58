public class Fib {
  static long fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n);
  }

  static long[] list(int k) {
    long[] out = new long[k];
    for (int i = 0; i < k; i++) out[i] = fib(i);
    return out;
  }
}
