public class Main {
  public static void main(String[] args) {
    System.out.println(Stats.mean(new int[] {1, 2, 3}));
  }
}
