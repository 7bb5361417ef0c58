import java.util.Map;

public class Main {
    // prices by item
    private static Map<String, Double> prices = new HashMap<>();

    public static void main(String[] args) {
        prices.put("tea", 2.5);
        double total = prices.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.println(total);
    }
}
