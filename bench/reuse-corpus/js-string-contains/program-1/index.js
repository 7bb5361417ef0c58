const banned = ['spam', 'scam'];
const subject = 'this is spam';
const hit = banned.some((w) => subject.contains(w));
console.log(hit ? 'blocked' : 'ok');
