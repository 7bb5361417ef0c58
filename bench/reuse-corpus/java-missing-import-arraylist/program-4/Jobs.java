import java.util.List;

class Jobs {
    private final List<Runnable> pending;

    Jobs() {
        pending = new ArrayList<>();
    }

    public static void main(String[] args) {
        Jobs q = new Jobs();
        q.pending.add(() -> System.out.println("ran"));
        q.pending.forEach(Runnable::run);
    }
}
