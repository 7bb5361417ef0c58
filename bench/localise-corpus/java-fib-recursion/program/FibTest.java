public class FibTest {
  public static void main(String[] args) {
    if (Fib.fib(10) != 55) throw new AssertionError("fib(10)");
  }
}
