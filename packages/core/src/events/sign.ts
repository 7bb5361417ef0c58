import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Hardfix-Signature`: HMAC-SHA256 of the raw body, keyed with WEBHOOK_SECRET, as `sha256=<hex>`. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does (README shows the same few lines); constant-time, so the check leaks nothing. */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhook(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
