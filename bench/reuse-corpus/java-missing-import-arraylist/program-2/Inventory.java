import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class Inventory {
    private final Map<String, Integer> stock = new HashMap<>();

    List<String> missing(List<String> wanted) {
        List<String> out = new ArrayList<>();
        for (String item : wanted) {
            if (!stock.containsKey(item)) out.add(item);
        }
        return out;
    }

    public static void main(String[] args) {
        Inventory inv = new Inventory();
        inv.stock.put("bolt", 3);
        System.out.println(inv.missing(List.of("bolt", "nut")));
    }
}
