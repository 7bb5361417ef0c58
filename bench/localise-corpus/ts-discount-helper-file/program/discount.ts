export function share(code: string): number {
  if (code === 'HALF') return 0.25;
  return 1;
}
