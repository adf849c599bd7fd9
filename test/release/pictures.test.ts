/** @jest-environment node */
// The record of the source the catalog pictures show (scripts/package/pictures.ts), which makes
// `npm run package` refuse pictures of another source. The archive's record is checked in
// package.test.ts.
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';

import {
  PictureRecord,
  RECORD,
  builtPictureProblems,
  pictureProblems,
  sourceHash,
} from '../../scripts/package/pictures';

let tmp: string;
const src = () => path.join(tmp, 'src');
const dist = () => path.join(tmp, 'dist');
const write = (file: string, data: string | Buffer) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
};

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-pictures-'));
  write(path.join(src(), 'module.ts'), 'export const plugin = 1;\n');
  write(path.join(src(), 'views', 'Panel.tsx'), 'export const Panel = () => null;\n');
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the source hash', () => {
  test('changes when a source file changes, moves or is added', () => {
    const before = sourceHash(src());
    write(path.join(src(), 'views', 'Panel.tsx'), 'export const Panel = () => "x";\n');
    const edited = sourceHash(src());
    expect(edited).not.toBe(before);
    fs.renameSync(path.join(src(), 'views', 'Panel.tsx'), path.join(src(), 'Panel.tsx'));
    const moved = sourceHash(src());
    expect(moved).not.toBe(edited);
    write(path.join(src(), 'views', 'new.ts'), '');
    expect(sourceHash(src())).not.toBe(moved);
  });

  test('leaves out tests and what is not code: pictures, plugin.json, the record itself', () => {
    const before = sourceHash(src());
    write(path.join(src(), 'module.test.ts'), 'test("x", () => {});\n');
    write(path.join(src(), 'views', 'Panel.test.tsx'), '');
    write(path.join(src(), 'views', 'Panel.spec.ts'), '');
    write(path.join(src(), '__tests__', 'helpers.ts'), '');
    write(path.join(src(), 'plugin.json'), '{}');
    write(path.join(src(), 'img', 'screenshot-a.png'), 'png');
    write(path.join(src(), RECORD), '{}');
    expect(sourceHash(src())).toBe(before);
  });
});

describe('the comparison', () => {
  const record: PictureRecord = { source: 'a'.repeat(64), pictures: { 'img/one.png': '1', 'img/two.png': '2' } };

  test('nothing to say when the source and every picture are those recorded', () => {
    expect(pictureProblems(record, record.source, { 'img/one.png': '1', 'img/two.png': '2' })).toEqual([]);
  });

  test('pictures of an older source are refused, with the command that retakes them', () => {
    expect(pictureProblems(record, 'b'.repeat(64), { 'img/one.png': '1', 'img/two.png': '2' })).toEqual([
      'catalog pictures were taken from an older build; run npm run screenshots',
    ]);
  });

  test('a picture changed, missing or never recorded is refused', () => {
    expect(
      pictureProblems(record, record.source, {
        'img/one.png': 'edited',
        'img/two.png': undefined,
        'img/three.png': '3',
      })
    ).toEqual([
      'img/one.png is not the picture recorded in img/screenshots.json; run npm run screenshots',
      'img/two.png is missing; run npm run screenshots',
      'img/three.png is not the picture recorded in img/screenshots.json; run npm run screenshots',
    ]);
  });

  test('without a record, nothing says which source the pictures show', () => {
    expect(pictureProblems(undefined, record.source, {})).toEqual([
      'no record of the source the catalog pictures were taken from (img/screenshots.json): run npm run screenshots',
    ]);
  });
});

test('a built plugin folder is judged by its own record and pictures, against the current source', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  write(
    path.join(dist(), 'plugin.json'),
    JSON.stringify({ info: { screenshots: [{ name: 'One', path: 'img/screenshot-one.png' }] } })
  );
  write(path.join(dist(), 'img', 'screenshot-one.png'), png);
  const sha = crypto.createHash('sha256').update(png).digest('hex');
  write(
    path.join(dist(), RECORD),
    JSON.stringify({ source: sourceHash(src()), pictures: { 'img/screenshot-one.png': sha } })
  );
  expect(builtPictureProblems(dist(), src())).toEqual([]);
  // Fresh clones and copies give every file one time: only the content tells.
  const epoch = new Date(0);
  fs.utimesSync(path.join(dist(), 'img', 'screenshot-one.png'), epoch, epoch);
  expect(builtPictureProblems(dist(), src())).toEqual([]);
  write(path.join(src(), 'module.ts'), 'export const plugin = 2;\n');
  expect(builtPictureProblems(dist(), src())).toEqual([
    'catalog pictures were taken from an older build; run npm run screenshots',
  ]);
});
