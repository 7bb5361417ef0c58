const banned: string[] = ['spam', 'scam'];
const subject: string = 'this is spam';
const hit: boolean = banned.some((w) => subject.contains(w));
console.log(hit ? 'blocked' : 'ok');
