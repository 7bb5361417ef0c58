export function count(xs: (number | null)[]): number {
  return xs.filter((x) => x === null).length;
}

export function total(xs: (number | null)[]): number {
  return xs.reduce<number>((sum, x) => sum + (x ?? 0), 0);
}

export function average(xs: (number | null)[]): number {
  return total(xs) / count(xs);
}
