class Logger {
  private lines: string[] = [];

  add(line: string): void {
    this.lines.push(line);
  }

  errors(): number {
    let count = 0;
    for (const line of this.lines) {
      const upper = line.toUpperCase();
      if (upper.contains('ERROR')) count += 1;
    }
    return count;
  }
}

const log = new Logger();
log.add('error: disk full');
log.add('info: started');
console.log(log.errors());
