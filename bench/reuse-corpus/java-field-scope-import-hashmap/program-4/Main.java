import java.util.Map;

public class Main {
    static class Cache {
        final Map<Integer, String> entries = new HashMap<>();
    }

    public static void main(String[] args) {
        Cache c = new Cache();
        c.entries.put(1, "one");
        System.out.println(c.entries.get(1));
    }
}
