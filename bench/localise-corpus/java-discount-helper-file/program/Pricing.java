public class Pricing {
  static double discount(double price, double percent) {
    return price * percent / 100;
  }

  static double tax(double price, double rate) {
    return price * (1 + rate / 100);
  }
}
