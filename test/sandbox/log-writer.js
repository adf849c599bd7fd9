// The demo's workload (plain Node, no dependencies): a "log-heavy app". Every few seconds it
// appends log lines to the current file and re-reads every file, so their pages stay on the
// active file LRU: working set climbs with page cache, while its own (anon) memory stays flat.
// Disk use is bounded: files rotate at FILE_MB and only KEEP_FILES are kept.
// Usage: node log-writer.js <dir> [writeMbPerRound=4] [fileMb=32] [keepFiles=4] [periodMs=3000]
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, writeMb = '4', fileMb = '32', keepFiles = '4', periodMs = '3000'] = process.argv.slice(2);
const WRITE = Number(writeMb) * 1e6;
const FILE = Number(fileMb) * 1e6;
const KEEP = Number(keepFiles);
fs.mkdirSync(dir, { recursive: true });

// Some anon memory of its own, held for the whole run: real used should sit near this.
const heap = Buffer.alloc(16e6, 1);

let index = 0;
let round = 0;
const line = (n) => `${new Date().toISOString()} INFO request ${n} served in ${n % 97} ms path=/api/items/${n}\n`;

function files() {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort();
}

// One reused buffer for all I/O, so reading 100 MB of logs does not grow the process's own memory.
const io = Buffer.alloc(1 << 20);

function readAll(file) {
  const fd = fs.openSync(file, 'r');
  let total = 0;
  for (let n; (n = fs.readSync(fd, io, 0, io.length, null)) > 0; ) {
    total += n;
  }
  fs.closeSync(fd);
  return total;
}

function appendLines(file, bytes, first) {
  const fd = fs.openSync(file, 'a');
  let written = 0;
  let n = first;
  while (written < bytes) {
    let used = 0;
    for (let l = line(n); used + l.length <= io.length; l = line(++n)) {
      used += io.write(l, used);
    }
    fs.writeSync(fd, io, 0, used);
    written += used;
  }
  fs.closeSync(fd);
}

function tick() {
  const current = path.join(dir, `app-${String(index).padStart(6, '0')}.log`);
  appendLines(current, WRITE, round * 1e6);
  if (fs.statSync(current).size >= FILE) {
    index++;
  }
  const all = files();
  for (const old of all.slice(0, Math.max(0, all.length - KEEP))) {
    fs.rmSync(path.join(dir, old), { force: true });
  }
  // Re-read everything (twice marks the pages active), as a log shipper or a grep would.
  let bytes = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const f of files()) {
      bytes += readAll(path.join(dir, f));
    }
  }
  round++;
  if (round % 10 === 1) {
    console.log(`log-writer: round ${round}, ${files().length} files, read ${(bytes / 2e6).toFixed(0)} MB twice, heap ${heap.length / 1e6} MB`);
  }
}

tick();
setInterval(tick, Number(periodMs));
process.on('SIGTERM', () => process.exit(0));
