package text;

public class Initials {
    private final String name;

    Initials(String name) {
        this.name = name;
    }

    boolean isShort() {
        return name.length < 4;
    }

    public static void main(String[] args) {
        System.out.println(new Initials("Ada").isShort());
    }
}
