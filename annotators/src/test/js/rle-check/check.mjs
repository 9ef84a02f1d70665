// stdin: JSON [{height, width, counts}]; stdout: JSON [{runs, pixels, reencoded}] where pixels is
// the mask decoded by coco-maskapi in column-major order as a string of 0 and 1.
import { readFileSync } from 'node:fs';
import { rleFromString, rleToString, rleDecode } from './node_modules/coco-maskapi/mask.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const out = input.map(({ height, width, counts }) => {
  const runs = rleFromString(counts);
  const pixels = rleDecode(runs, (filled) => [filled ? 1 : 0]);
  if (pixels.length !== height * width) throw new Error(`decoded ${pixels.length} pixels for ${height}x${width}`);
  return { runs, pixels: Array.from(pixels).join(''), reencoded: rleToString(runs) };
});
process.stdout.write(JSON.stringify(out));
