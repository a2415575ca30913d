import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as dotenvParse } from 'dotenv';
import { mergeDotenv, mergeJsonConfig, parseDotenv, parseDotenvEntries, quoteDotenvValue } from '../../src/openvidu/dotenv';

const BOM = '\uFEFF';

/**
 * The lines of `text` that hold entries of `keys` (from the separator's line to the value's last line),
 * replaced by a placeholder, so what remains is every byte we do not own.
 */
function maskOwned(text: string, keys: string[]): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const entries = parseDotenvEntries(body).filter((e) => keys.includes(e.key));
  let out = body;
  for (const e of [...entries].reverse()) {
    const keyAt = body.lastIndexOf(e.key, e.valueStart - 1);
    const from = body.lastIndexOf('\n', keyAt - 1) + 1;
    const lastChar = Math.max(e.valueEnd - 1, e.valueStart);
    const nl = body.indexOf('\n', lastChar);
    const to = nl === -1 ? body.length : nl; // keep the line ending itself: it is not ours
    out = `${out.slice(0, from)}\u0000OWNED:${e.key}\u0000${out.slice(to)}`;
  }
  return out;
}

/**
 * Runs the merge and checks the contract: dotenv reads every new value, every other key keeps its value, and
 * every byte outside the owned lines is unchanged (appended lines come after the original text, which gets
 * at most one line ending added).
 */
function check(original: string, updates: Record<string, string>) {
  const result = mergeDotenv(original, updates);
  const parsed = dotenvParse(result.text.replace(/^\uFEFF/, ''));
  for (const [k, v] of Object.entries(updates)) assert.equal(parsed[k], v, `dotenv reads ${JSON.stringify(k)}`);
  const before = dotenvParse(original.replace(/^\uFEFF/, ''));
  for (const [k, v] of Object.entries(before)) if (!(k in updates)) assert.equal(parsed[k], v, `other key ${k} unchanged`);
  // Our parser agrees with dotenv on the result.
  assert.deepEqual(parseDotenv(result.text), parsed);

  assert.equal(result.text.startsWith(BOM), original.startsWith(BOM), 'BOM kept');
  const keys = Object.keys(updates);
  const existing = keys.filter((k) => k in before);
  // Split off appended lines: they follow the original's last byte (+ one added line ending).
  let head = result.text;
  if (result.added.length) {
    const eol = /\r\n/.test(original) ? '\r\n' : '\n';
    const block = (prefix: string) => result.added.map((k) => `${prefix}${k}=${quoteDotenvValue(updates[k], eol)}${eol}`).join('');
    const suffix = [block('export '), block('')].find((b) => result.text.endsWith(b));
    assert.ok(suffix, 'appended lines are at the end');
    head = result.text.slice(0, result.text.length - suffix.length);
    const origBody = original.replace(/^\uFEFF/, '');
    // at most one line ending was added before the appended lines
    if (origBody.length && !/[\r\n]$/.test(origBody)) {
      assert.ok(head.endsWith(eol));
      head = head.slice(0, -eol.length);
    }
    assert.equal(mask(head, existing), mask(original, existing), 'unowned bytes unchanged (with appended lines)');
  } else {
    assert.equal(mask(head, existing), mask(original, existing), 'unowned bytes unchanged');
  }
  return result;
}
const mask = (t: string, keys: string[]) => maskOwned(t, keys);

test('1. an empty file gets the entries, one per line, with a final newline', () => {
  const r = check('', { LIVEKIT_URL: 'wss://ov.example.com/', LIVEKIT_API_KEY: 'APIabc' });
  assert.equal(r.text, 'LIVEKIT_URL=wss://ov.example.com/\nLIVEKIT_API_KEY=APIabc\n');
  assert.deepEqual(r.added, ['LIVEKIT_URL', 'LIVEKIT_API_KEY']);
  assert.deepEqual(r.changed, []);
});

test('2. comments only, no final newline: a newline is added before appending', () => {
  const r = check('# my app\n# secrets below', { A: '1' });
  assert.equal(r.text, '# my app\n# secrets below\nA=1\n');
});

test('3. existing keys are updated in place; order, comments and blank lines stay', () => {
  const original = '# header\nPORT=3000\n\nLIVEKIT_URL=wss://old.example.com\n# between\nLIVEKIT_API_KEY=old\nDEBUG=true\n';
  const r = check(original, { LIVEKIT_URL: 'wss://new.example.com/', LIVEKIT_API_KEY: 'APInew' });
  assert.equal(r.text, '# header\nPORT=3000\n\nLIVEKIT_URL=wss://new.example.com/\n# between\nLIVEKIT_API_KEY=APInew\nDEBUG=true\n');
  assert.deepEqual(r.changed.sort(), ['LIVEKIT_API_KEY', 'LIVEKIT_URL']);
  assert.deepEqual(r.added, []);
});

test('4. duplicate keys: every occurrence is updated (dotenv reads the last, others the first)', () => {
  const original = 'SECRET=first\nOTHER=x\nSECRET=second\nOTHER=y\n';
  const r = check(original, { SECRET: 'new' });
  assert.equal(r.text, 'SECRET=new\nOTHER=x\nSECRET=new\nOTHER=y\n');
  assert.equal(dotenvParse(r.text).OTHER, 'y');
});

test('5. a value with # is quoted so it is not read as a comment', () => {
  const r = check('A=1\n', { A: 'pa#ss word' });
  assert.equal(r.text, 'A="pa#ss word"\n');
});

test('6. values with double and single quotes', () => {
  check('A=1\nB=2\n', { A: 'say "hi"', B: "it's" });
  const r = check('', { C: `both ' and "` });
  assert.equal(r.text, 'C=`both \' and "`\n');
});

test('7. values with = signs (base64-like) survive', () => {
  const r = check('TOKEN=abc\n', { TOKEN: 'YWJj==', OTHER: 'a=b=c' });
  assert.equal(dotenvParse(r.text).TOKEN, 'YWJj==');
});

test('8. a value with newlines is written in double quotes with \\n escapes', () => {
  const r = check('KEY=1\n', { KEY: 'line 1\nline 2\r\nline 3' });
  assert.equal(r.text, 'KEY="line 1\\nline 2\\r\\nline 3"\n');
});

test('9. a value with a newline and a double quote is written single-quoted over several lines', () => {
  const r = check('KEY=1\nNEXT=2\n', { KEY: 'a "b"\nc' });
  assert.equal(r.text, "KEY='a \"b\"\nc'\nNEXT=2\n");
});

test('10. CRLF + BOM + no final newline: CRLF kept, new lines use CRLF, BOM kept', () => {
  const original = `${BOM}# win\r\nA=1\r\nB=2`;
  const r = check(original, { B: 'two', C: 'three' });
  assert.equal(r.text, `${BOM}# win\r\nA=1\r\nB=two\r\nC=three\r\n`);
});

test('11. export prefixes are kept on updated lines; new lines use export when every entry does', () => {
  const r = check('export A=1\nexport  B=2\n', { B: 'x', C: 'y' });
  assert.equal(r.text, 'export A=1\nexport  B=x\nexport C=y\n');
  const mixed = check('export A=1\nB=2\n', { C: 'y' });
  assert.equal(mixed.text, 'export A=1\nB=2\nC=y\n');
});

test('12. comments between and after entries stay, including inline comments of updated lines', () => {
  const original = 'A=1 # the first\n# --- livekit ---\nLIVEKIT_API_KEY=old   # keep me\n\n# end\n';
  const r = check(original, { A: '2', LIVEKIT_API_KEY: 'new' });
  assert.equal(r.text, 'A=2 # the first\n# --- livekit ---\nLIVEKIT_API_KEY=new   # keep me\n\n# end\n');
});

test('13. spaces around = are kept', () => {
  const r = check('A = 1\nB= 2\nC =3\n\tD\t=\t4\n', { A: 'x', B: 'y', C: 'z', D: 'w' });
  assert.equal(r.text, 'A = x\nB= y\nC =z\n\tD\t=\tw\n');
});

test('14. a multi-line quoted value of another key is untouched', () => {
  const original = 'CERT="-----BEGIN-----\nabc\n-----END-----"\nLIVEKIT_URL=old\nPEM=\'x\ny\'\n';
  const r = check(original, { LIVEKIT_URL: 'wss://a.example.com/' });
  assert.equal(r.text, 'CERT="-----BEGIN-----\nabc\n-----END-----"\nLIVEKIT_URL=wss://a.example.com/\nPEM=\'x\ny\'\n');
});

test('15. a multi-line quoted value of an owned key is replaced whole', () => {
  const original = 'A=0\nKEY="old\nvalue\nhere"\nB=1\n';
  const r = check(original, { KEY: 'short' });
  assert.equal(r.text, 'A=0\nKEY=short\nB=1\n');
});

test('16. lines that are not dotenv are left as they are', () => {
  const original = 'this is not valid\n[section]\n=novalue\nA=1\n  - yaml: item\n{"json": true}\n';
  const r = check(original, { A: '2', NEW: 'n' });
  assert.equal(r.text, 'this is not valid\n[section]\n=novalue\nA=2\n  - yaml: item\n{"json": true}\nNEW=n\n');
});

test('17. an unchanged value leaves the text identical', () => {
  const original = `${BOM}A="1"\r\nB='two'`;
  const r = check(original, { A: '1', B: 'two' });
  assert.equal(r.text, original);
  assert.deepEqual(r.changed, []);
  assert.deepEqual(r.added, []);
});

test('18. single-quoted, double-quoted and backtick values are updated with the new quoting', () => {
  const r = check("A='x y'\nB=\"p q\"\nC=`r`\n", { A: 'plain', B: 'with space', C: 'also#hash' });
  assert.equal(r.text, 'A=plain\nB="with space"\nC="also#hash"\n');
});

test('19. an empty value is filled in; a value can also be set to empty', () => {
  const r = check('A=\nB=full\n', { A: 'now', B: '' });
  assert.equal(r.text, 'A=now\nB=""\n');
});

test('20. keys with dots and dashes, YAML-style KEY: value', () => {
  const r = check('app.name=x\nmy-key=1\nCOLON: old\n', { 'my-key': '2', COLON: 'new' });
  assert.equal(r.text, 'app.name=x\nmy-key=2\nCOLON: new\n');
});

test('21. backslashes are kept literally (single quotes, since dotenv does not unescape \\\\ or \\")', () => {
  const r = check('', { WIN: 'C:\\path\\to', ESC: 'a\\nb' });
  assert.equal(dotenvParse(r.text).ESC, 'a\\nb');
  assert.equal(r.text, "WIN='C:\\path\\to'\nESC='a\\nb'\n");
});

test('22. leading and trailing spaces in a value survive through quotes', () => {
  check('A=1\n', { A: '  padded  ' });
});

test('23. a bare value with a comment glued to it (K=a#b) keeps the comment', () => {
  const r = check('K=a#b\n', { K: 'c' });
  assert.equal(r.text, 'K=c #b\n');
});

test('24. an owned key commented out is not an entry: the key is appended', () => {
  const r = check('# LIVEKIT_API_SECRET=old\n', { LIVEKIT_API_SECRET: 'new' });
  assert.equal(r.text, '# LIVEKIT_API_SECRET=old\nLIVEKIT_API_SECRET=new\n');
});

test('25. CRLF file with duplicates and a multi-line value of another key', () => {
  const original = 'X=1\r\nM="a\r\nb"\r\nX=2\r\n';
  const r = check(original, { X: 'three' });
  assert.equal(r.text, 'X=three\r\nM="a\r\nb"\r\nX=three\r\n');
});

test('26. the first line with leading blank lines and indentation', () => {
  const r = check('\n\n   A=1\n', { A: '2' });
  assert.equal(r.text, '\n\n   A=2\n');
});

test('27. invalid variable names are refused', () => {
  assert.throws(() => mergeDotenv('', { 'BAD KEY': 'x' }), /not a valid dotenv variable name/);
  assert.throws(() => mergeDotenv('', { '': 'x' }));
});

test('28. a value no quoting can carry is refused instead of being corrupted', () => {
  assert.throws(() => quoteDotenvValue('a\'b"c`d\\\ne'));
});

test('29. random values round-trip through dotenv, inside random files', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ['a', 'Z', '0', ' ', '#', '=', '"', "'", '\\', '\n', '$', ':', '/', '\t', 'é', '{', '`'];
  const prelude = ['# c', '', 'export E=1', 'Q="x#y"', "S='multi\nline'", 'garbage line', 'T = spaced # note'];
  let done = 0;
  for (let i = 0; i < 300; i++) {
    let v = '';
    const len = rnd(12);
    for (let j = 0; j < len; j++) v += alphabet[rnd(alphabet.length)];
    let original = '';
    for (let j = 0; j < 4; j++) original += prelude[rnd(prelude.length)] + '\n';
    if (rnd(2)) original += `TARGET=${['old', '"old"', "'o#ld'"][rnd(3)]}\n`;
    if (rnd(3) === 0) original = original.replace(/\n/g, '\r\n');
    let quotable = true;
    try {
      quoteDotenvValue(v);
    } catch {
      quotable = false;
    }
    if (!quotable) continue;
    check(original, { TARGET: v });
    done++;
  }
  assert.ok(done > 250, `${done} cases ran`);
});

test('30. values dotenv reads back exactly when bare are written bare, not refused (C:\\path\\to\\)', () => {
  const r = check('# app\nWIN=old # keep\n', { WIN: 'C:\\path\\to\\', MIX: 'a\'b"c`d\\e' });
  assert.equal(r.text, '# app\nWIN=C:\\path\\to\\ # keep\nMIX=a\'b"c`d\\e\n');
  // glued comment after the bare value keeps its space
  check('WIN=x#note\n', { WIN: 'C:\\dir\\' });
});

test('31. every value dotenv reads back when written bare is accepted (random values, checked with dotenv)', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = ['a', 'Z', '0', '"', "'", '`', '\\', '$', ':', '/', '=', 'é', ' '];
  let bare = 0;
  for (let i = 0; i < 2000; i++) {
    let v = '';
    for (let j = 1 + rnd(10); j > 0; j--) v += alphabet[rnd(alphabet.length)];
    if (dotenvParse(`K=${v}\nNEXT=1\n`).K !== v) continue;
    bare++;
    check('K=old\nNEXT=1\n', { K: v });
  }
  assert.ok(bare > 300, `${bare} bare-readable values`);
});

test('32. a refused value names its key and the fix', () => {
  assert.throws(() => mergeDotenv('A=1\n', { LIVEKIT_API_SECRET: 'a\'b"c`d\\\ne' }), (e: Error) => /^LIVEKIT_API_SECRET: /.test(e.message) && /by hand|JSON/.test(e.message) && !e.message.includes("a'b"));
});

test('33. CRLF file: a quoted multi-line value keeps CRLF inside the quotes (no bare LF in the file)', () => {
  const r = check('A=1\r\nK=old\r\n', { K: 'a "b"\nc', NEW: 'x "y"\nz' });
  assert.equal(r.text, "A=1\r\nK='a \"b\"\r\nc'\r\nNEW='x \"y\"\r\nz'\r\n");
  assert.doesNotMatch(r.text, /[^\r]\n/);
});

test('34. an invalid key is quoted in the error at most ~80 characters long', () => {
  const key = 'BAD KEY '.repeat(12_500);
  assert.throws(() => mergeDotenv('', { [key]: 'x' }), (e: Error) => e.message.length < 200 && /100000 characters/.test(e.message));
});

test('JSON: values are set at a key path, keeping indentation, comments and other keys', () => {
  const original = '{\n    // app config\n    "name": "demo",\n    "livekit": {\n        "url": "old"\n    }\n}\n';
  const r = mergeJsonConfig(original, ['livekit'], { url: 'wss://a.example.com/', apiKey: 'APIx' });
  assert.equal(r.text, '{\n    // app config\n    "name": "demo",\n    "livekit": {\n        "url": "wss://a.example.com/",\n        "apiKey": "APIx"\n    }\n}\n');
  assert.deepEqual(r.changed, ['url']);
  assert.deepEqual(r.added, ['apiKey']);
});

test('JSON: a missing object is created; tabs and CRLF are kept; an empty file becomes an object', () => {
  const r = mergeJsonConfig('{\r\n\t"a": 1\r\n}', ['openvidu'], { OPENVIDU_URL: 'https://x/' });
  assert.equal(JSON.parse(r.text).openvidu.OPENVIDU_URL, 'https://x/');
  assert.match(r.text, /\r\n\t"openvidu": \{\r\n\t\t"OPENVIDU_URL": "https:\/\/x\/"\r\n\t\}/);
  const empty = mergeJsonConfig('', [], { A: 'b' });
  assert.deepEqual(JSON.parse(empty.text), { A: 'b' });
});

test('JSON: not JSON, or a path through a non-object, is refused with a message that has no file content', () => {
  assert.throws(() => mergeJsonConfig('{ "a": ', ['x'], { k: 'v' }), /not valid JSON/);
  assert.throws(() => mergeJsonConfig('{ "a": "secret-value" }', ['a'], { k: 'v' }), (e: Error) => !e.message.includes('secret-value'));
});

test('JSON: a key the object has twice gets every occurrence updated; the next run finds nothing to change', () => {
  const original = '{\n  "livekit": {\n    "apiKey": "old1",\n    "url": "u",\n    "apiKey": "old2"\n  }\n}\n';
  const r = mergeJsonConfig(original, ['livekit'], { apiKey: 'NEW', url: 'u' });
  assert.equal(r.text, '{\n  "livekit": {\n    "apiKey": "NEW",\n    "url": "u",\n    "apiKey": "NEW"\n  }\n}\n');
  assert.equal(JSON.parse(r.text).livekit.apiKey, 'NEW');
  assert.deepEqual(r.changed, ['apiKey']);
  const again = mergeJsonConfig(r.text, ['livekit'], { apiKey: 'NEW', url: 'u' });
  assert.deepEqual([again.changed, again.added, again.text], [[], [], r.text]);
  // top level too
  const top = mergeJsonConfig('{"A": "1", "A": "2"}', [], { A: '3' });
  assert.deepEqual(JSON.parse(top.text), { A: '3' });
  assert.equal(top.text, '{"A": "3", "A": "3"}');
});

test('JSON: a key path through a key the file has twice is refused with the fix', () => {
  assert.throws(() => mergeJsonConfig('{"livekit": {}, "livekit": {"url": "x"}}', ['livekit'], { url: 'y' }), /"livekit" occurs 2 times in this file.*remove the duplicates/);
});

test('JSON: constructor / toString are ordinary keys (own properties), in the path and as values', () => {
  const r = mergeJsonConfig('{}', ['constructor'], { toString: 'x', hasOwnProperty: 'y' });
  assert.deepEqual(JSON.parse(r.text), { constructor: { toString: 'x', hasOwnProperty: 'y' } });
  assert.deepEqual(r.added, ['toString', 'hasOwnProperty']);
  const again = mergeJsonConfig(r.text, ['constructor'], { toString: 'z', hasOwnProperty: 'y' });
  assert.deepEqual([again.changed, again.added], [['toString'], []]);
  assert.throws(() => mergeJsonConfig('{"toString": "s"}', ['toString'], { a: 'b' }), /"toString" is not an object in this file/);
});

test('JSON: __proto__ is refused with the reason, in the key path and as a variable name', () => {
  assert.throws(() => mergeJsonConfig('{}', ['__proto__'], { a: 'b' }), /"__proto__" cannot be used as a key: JavaScript reads it as the object's prototype.*key path/);
  assert.throws(() => mergeJsonConfig('{}', ['app'], { __proto__x: 'ok', ['__proto__']: 'b' } as Record<string, string>), /variable name/);
});

test('JSON: a long key path is quoted at most ~80 characters in the error', () => {
  const long = 'k'.repeat(50_000);
  assert.throws(() => mergeJsonConfig(`{"${long}": 1}`, [long], { a: 'b' }), (e: Error) => e.message.length < 250 && /50000 characters/.test(e.message));
});
