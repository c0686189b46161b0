// The large CSV of the ingest and assign benchmarks: MB megabytes of 16 numeric columns and a label in four groups
// (the same 1 MB block repeated), written once under build/bench/ and reused.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function writeCsv(file, megabytes) {
  // Four clusters of rows, so the sample has structure; the same 1 MB block repeated.
  const rows = [];
  let s = 5;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  let bytes = 0;
  while (bytes < (1 << 20)) {
    const g = rows.length % 4;
    const cells = [];
    for (let j = 0; j < 16; j++) cells.push((next() * 2 + (j % 4 === g ? 6 : 0)).toFixed(4));
    const line = cells.join(',') + ',g' + g + '\n';
    rows.push(line);
    bytes += line.length;
  }
  const block = rows.join('');
  const header = Array.from({ length: 16 }, (_, j) => 'f' + j).join(',') + ',group\n';
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header);
  for (let i = 0; i < megabytes; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function ensureIngestCsv(megabytes) {
  const dir = path.join(ROOT, 'build', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `ingest_${megabytes}mb.csv`);
  if (!fs.existsSync(file)) writeCsv(file, megabytes);
  return file;
}

module.exports = { ensureIngestCsv };
