// A minimal ZIP writer whose output depends only on its input: every entry gets the same time,
// a fixed Unix mode and no extra fields (no uid/gid, no extended timestamps), in the order given.
// Compression is fflate's deflate, plain JavaScript pinned by package-lock.json: Node's own zlib
// is Chromium's fork, whose CPU-specific paths may compress the same bytes differently.
import { deflateSync } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive, "/"-separated; a directory ends with "/". */
  path: string;
  /** File contents; absent for a directory. */
  data?: Uint8Array;
  /** Unix permission bits, e.g. 0o644. */
  mode: number;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
// "Version made by": 3 = Unix, so readers (Grafana's Go archive/zip, unzip) take the permission
// bits from the upper half of the external attributes; 20 = ZIP 2.0, the version deflate needs.
const MADE_BY_UNIX = (3 << 8) | 20;
const NEEDS_DEFLATE = 20;
const NEEDS_STORE = 10;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const MSDOS_DIRECTORY = 0x10;
const DEFLATE_LEVEL = 9;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time fields, read in UTC so that the machine's time zone does not matter. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getUTCFullYear();
  if (year < 1980 || year > 2107) {
    throw new Error(`ZIP cannot hold the date ${date.toISOString()} (years 1980–2107 only)`);
  }
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function checkPath(path: string) {
  if (!path || path.startsWith('/') || path.split('/').includes('..') || path.includes('\\')) {
    throw new Error(`ZIP entry path must be relative and "/"-separated without "..": ${JSON.stringify(path)}`);
  }
  // Names are written without the UTF-8 flag: keep them ASCII, which every reader agrees on.
  if (!/^[\x20-\x7e]+$/.test(path)) {
    throw new Error(`ZIP entry path must be printable ASCII: ${JSON.stringify(path)}`);
  }
}

/** The archive's bytes: entries in the order given, all dated `modified`. */
export function zip(entries: ZipEntry[], modified: Date): Buffer {
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    checkPath(entry.path);
    if (seen.has(entry.path)) {
      throw new Error(`ZIP entry listed twice: ${entry.path}`);
    }
    seen.add(entry.path);
    const isDir = entry.path.endsWith('/');
    if (isDir !== (entry.data === undefined)) {
      throw new Error(`ZIP entry ${entry.path}: a directory ends with "/" and has no data; a file has data`);
    }
    const raw = entry.data ?? new Uint8Array(0);
    const deflated = raw.length > 0 ? deflateSync(raw, { level: DEFLATE_LEVEL }) : raw;
    // Already-compressed files (PNG) do not shrink: store those, as zip(1) does.
    const method = deflated.length < raw.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : raw;
    const name = Buffer.from(entry.path, 'ascii');
    const crc = crc32(raw);
    const needs = method === DEFLATED ? NEEDS_DEFLATE : NEEDS_STORE;
    const attributes = (((isDir ? S_IFDIR : S_IFREG) | (entry.mode & 0o777)) << 16) | (isDir ? MSDOS_DIRECTORY : 0);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(needs, 4);
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, Buffer.from(body));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(needs, 6);
    central.writeUInt16LE(0, 8); // flags
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(attributes >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  if (entries.length > 0xffff || offset + centralDirectory.length > 0xffffffff) {
    throw new Error('ZIP64 is not supported: too many entries or more than 4 GiB');
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, centralDirectory, end]);
}
