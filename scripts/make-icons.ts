/**
 * Draws the MTD Bridge icons (assets/icon-<size>.png) with nothing but Node's zlib: a green rounded tile
 * with a white bridge (deck and arch) — readable at 16 px on the ribbon, crisp at 80 px.
 * Run `npx tsx scripts/make-icons.ts`; the PNGs are committed, so builds never run this.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

type Rgba = readonly [number, number, number, number];

const TILE: Rgba = [16, 124, 65, 255]; // Excel green, #107C41
const MARK: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Signed distance to a rounded square covering the unit square with corner radius r (negative inside). */
function roundedSquare(x: number, y: number, r: number): number {
  const qx = Math.abs(x - 0.5) - (0.5 - r);
  const qy = Math.abs(y - 0.5) - (0.5 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** True where the white mark is, in unit coordinates (0..1, y down): a deck wider than a flat arch. */
function inMark(x: number, y: number): boolean {
  const deckTop = 0.6;
  const deckBottom = 0.69;
  if (y >= deckTop && y <= deckBottom && x >= 0.1 && x <= 0.9) return true;
  // Arch: the upper half of an elliptical ring standing on the deck.
  const e = (rx: number, ry: number) => ((x - 0.5) / rx) ** 2 + ((y - deckTop) / ry) ** 2;
  if (y <= deckTop && e(0.3, 0.32) <= 1 && e(0.2, 0.22) >= 1) return true;
  // Piers under the arch's feet.
  if (y >= deckBottom && y <= 0.82 && ((x >= 0.2 && x <= 0.3) || (x >= 0.7 && x <= 0.8))) return true;
  return false;
}

function pixelColour(px: number, py: number, size: number): Rgba {
  const samples = 4; // 4×4 supersampling for smooth edges
  let tile = 0;
  let mark = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      const x = (px + (sx + 0.5) / samples) / size;
      const y = (py + (sy + 0.5) / samples) / size;
      if (roundedSquare(x, y, 0.18) <= 0) {
        tile++;
        if (inMark(x, y)) mark++;
      }
    }
  }
  const n = samples * samples;
  if (tile === 0) return CLEAR;
  const m = mark / tile;
  const mix = (i: number) => Math.round(TILE[i]! * (1 - m) + MARK[i]! * m);
  return [mix(0), mix(1), mix(2), Math.round((255 * tile) / n)];
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** An RGBA PNG of the icon at `size` × `size` pixels. */
export function iconPng(size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixelColour(x, y, size);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

if (require.main === module) {
  const dir = join(__dirname, "..", "assets");
  for (const size of ICON_SIZES) {
    const file = join(dir, `icon-${size}.png`);
    writeFileSync(file, iconPng(size));
    console.log(`wrote ${file}`);
  }
}
