import java.util.List;

public class Main {
    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        names.add("ada");
        System.out.println(names.size());
    }
}
