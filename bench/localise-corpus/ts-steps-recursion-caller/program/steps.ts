export function steps(n: number): number {
  if (n === 0) return 0;
  return 1 + steps(n - 1);
}

export function stepsBetween(from: number, to: number): number {
  return steps(from - to);
}
