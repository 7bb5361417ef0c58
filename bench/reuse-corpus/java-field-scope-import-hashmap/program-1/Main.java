import java.util.Map;

public class Main {
    static final Map<String, Integer> COUNTS = new HashMap<>();

    public static void main(String[] args) {
        COUNTS.put("a", 1);
        System.out.println(COUNTS.size());
    }
}
