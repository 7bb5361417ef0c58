public class Main {
  public static void main(String[] args) {
    System.out.println(new Account(5).balance());
  }
}
