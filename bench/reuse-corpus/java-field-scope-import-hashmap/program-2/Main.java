import java.util.Map;
import java.util.List;

public class Main {
    private final Map<String, List<String>> index = new HashMap<>();

    void add(String k) {
        index.put(k, List.of(k));
    }

    public static void main(String[] args) {
        Main m = new Main();
        m.add("x");
        System.out.println(m.index.keySet());
    }
}
