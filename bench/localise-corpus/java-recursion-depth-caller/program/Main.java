public class Main {
  public static void main(String[] args) {
    System.out.println(Walk.total(new int[] {1, 2}));
  }
}
