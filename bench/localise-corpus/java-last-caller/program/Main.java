public class Main {
  public static void main(String[] args) {
    System.out.println(Seq.first(new int[] {1, 2}));
  }
}
