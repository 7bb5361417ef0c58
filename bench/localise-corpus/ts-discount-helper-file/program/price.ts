import { share } from './discount.js';

export function price(amount: number, code: string): number {
  return Math.round(amount * share(code) * 100) / 100;
}
