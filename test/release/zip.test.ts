/** @jest-environment node */
// The ZIP writer of `npm run package` on its own: what Info-ZIP reads back, and what it refuses.
import fs from 'fs';
import os from 'os';
import path from 'path';

import { crc32, dosDateTime, zip } from '../../scripts/package/zip';
import { listArchive, testArchive, unpack } from './archive';

const WHEN = new Date('2026-11-27T04:39:51Z');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-zip-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('CRC-32 gives the standard check value', () => {
  expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
});

test('dates are MS-DOS fields in UTC with 2-second steps, whatever the time zone', () => {
  const { time, date } = dosDateTime(WHEN);
  expect({ hour: time >> 11, minute: (time >> 5) & 63, second: (time & 31) * 2 }).toEqual({
    hour: 4,
    minute: 39,
    second: 50,
  });
  expect({ year: (date >> 9) + 1980, month: (date >> 5) & 15, day: date & 31 }).toEqual({
    year: 2026,
    month: 11,
    day: 27,
  });
  expect(() => dosDateTime(new Date('1979-12-31T23:59:59Z'))).toThrow(/1980/);
});

test('unzip reads back folders, deflated text, stored binary and an empty file, with their modes and date', () => {
  const text = Buffer.from('page cache is not a leak\n'.repeat(200));
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 97) & 255));
  const file = path.join(tmp, 'round-trip.zip');
  fs.writeFileSync(
    file,
    zip(
      [
        { path: 'p/', mode: 0o755 },
        { path: 'p/a.txt', data: text, mode: 0o644 },
        { path: 'p/b.bin', data: binary, mode: 0o600 },
        { path: 'p/empty', data: Buffer.alloc(0), mode: 0o644 },
      ],
      WHEN
    )
  );
  expect(testArchive(file)).toMatch(/No errors detected/);
  expect(listArchive(file).map(({ path: p, permissions, method, time }) => [p, permissions, method, time])).toEqual([
    ['p/', 'drwxr-xr-x', 'stor', '20261127.043950'],
    ['p/a.txt', '-rw-r--r--', 'defN', '20261127.043950'],
    ['p/b.bin', '-rw-------', 'stor', '20261127.043950'],
    ['p/empty', '-rw-r--r--', 'stor', '20261127.043950'],
  ]);
  unpack(file, path.join(tmp, 'out'));
  expect(fs.readFileSync(path.join(tmp, 'out', 'p', 'a.txt'))).toEqual(text);
  expect(fs.readFileSync(path.join(tmp, 'out', 'p', 'b.bin'))).toEqual(binary);
  expect(fs.readFileSync(path.join(tmp, 'out', 'p', 'empty')).length).toBe(0);
});

test('an empty archive is only the end record', () => {
  expect(zip([], WHEN).length).toBe(22);
});

test.each([
  ['a parent reference', '../p/a'],
  ['an absolute path', '/p/a'],
  ['a backslash', 'p\\a'],
  ['a non-ASCII name', 'p/mémoire'],
])('refuses %s', (_, name) => {
  expect(() => zip([{ path: name, data: Buffer.from('x'), mode: 0o644 }], WHEN)).toThrow(/ZIP entry path/);
});

test('refuses an entry listed twice, and a folder with data', () => {
  const a = { path: 'p/a', data: Buffer.from('x'), mode: 0o644 };
  expect(() => zip([a, a], WHEN)).toThrow(/twice/);
  expect(() => zip([{ path: 'p/', data: Buffer.from('x'), mode: 0o755 }], WHEN)).toThrow(/directory/);
});
