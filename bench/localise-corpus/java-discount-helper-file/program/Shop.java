public class Shop {
  static double checkout(double[] prices, double percent) {
    double total = 0;
    for (double p : prices) {
      total += Pricing.discount(p, percent);
    }
    return Math.round(total * 100) / 100.0;
  }
}
