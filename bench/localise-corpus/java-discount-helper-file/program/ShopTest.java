public class ShopTest {
  public static void main(String[] args) {
    double t = Shop.checkout(new double[] {100, 50}, 10);
    if (t != 135.0) throw new AssertionError("checkout was " + t);
  }
}
