const ANCHORS: RegExp[] = [
  /name '([\w.]+)' is not defined/, // python NameError
  /has no attribute '(\w+)'/, // python AttributeError, object or module
  /cannot import name '(\w+)'/,
  /No module named '([\w.]+)'/,
  /\bsymbol:\s+(?:variable|method|class|package)\s+([\w.]+)/, // javac cannot find symbol
  /package ([\w.]+) does not exist/,
  /(?:^|[\s.])([\w$]+) is not a (?:function|constructor)\b/, // node: the member, not the receiver
  /(?:^|\s)([\w$]+) is not defined\b/, // node ReferenceError
  /\(reading '([\w$]+)'\)/,
  /Cannot (?:invoke|read field|assign field) "(?:[\w$.]+\.)?([\w$]+)(?:\(\))?"/, // java helpful NPE
  /Property '([\w$]+)' does not exist on type\b/, // tsc TS2339 (and TS2551, its "Did you mean" form)
  /Cannot find name '([\w$]+)'/, // tsc TS2304 / TS2552
];

/**
 * What the error names as the mistake: the missing name, attribute, method, module or class. An edit
 * pattern is anchored on it, so it is applied where that name is, not where the first program had it.
 */
export function anchorOf(message: string): string | undefined {
  for (const re of ANCHORS) {
    const m = re.exec(message);
    if (m?.[1]) return m[1].split('.').pop();
  }
  return undefined;
}
