const text: string = 'hello';
const digest: string = createHash('sha256').update(text).digest('hex');
console.log(digest.slice(0, 8));
