interface Entry {
  path: string;
  size: number;
}

const entries: Entry[] = [
  { path: 'src/app.ts', size: 120 },
  { path: 'test/app.test.ts', size: 80 },
  { path: 'README.md', size: 40 },
];

export function sources(list: Entry[]): Entry[] {
  return list.filter((e) => e.path.contains('src/'));
}

console.log(sources(entries).length);
