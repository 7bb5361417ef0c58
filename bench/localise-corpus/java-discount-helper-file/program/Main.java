public class Main {
  public static void main(String[] args) {
    System.out.println(Shop.checkout(new double[] {10, 20}, 10));
  }
}
