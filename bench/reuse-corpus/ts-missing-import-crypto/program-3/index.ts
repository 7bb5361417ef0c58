import { strictEqual } from 'node:assert';

interface User {
  email: string;
}

export class Avatar {
  constructor(private readonly user: User) {}

  url(): string {
    const id = createHash('md5').update(this.user.email.trim().toLowerCase()).digest('hex');
    return `https://example.invalid/avatar/${id}`;
  }
}

const a = new Avatar({ email: ' Someone@Example.com ' });
strictEqual(a.url().length > 30, true);
console.log('avatar ok');
