import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng, type RgbaImage } from './png';

/** The app's accent colour: the colour icon's background and the manifest's `accentColor`. */
export const ACCENT_COLOR = '#0F6CBD';

type Point = [number, number];

/** Onboard's mark in unit coordinates: a ring with a check mark, "registered and approved". */
interface Mark {
  ring: { radius: number; width: number };
  check: { points: Point[]; width: number };
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function inside(mark: Mark, p: Point): boolean {
  const fromCentre = Math.hypot(p[0] - 0.5, p[1] - 0.5);
  if (Math.abs(fromCentre - mark.ring.radius) <= mark.ring.width / 2) return true;
  const pts = mark.check.points;
  for (let i = 1; i < pts.length; i++) if (distanceToSegment(p, pts[i - 1], pts[i]) <= mark.check.width / 2) return true;
  return false;
}

/** Share of each pixel the mark covers, sampled 4×4 so the edges are smooth yet deterministic. */
function coverage(size: number, mark: Mark): Float64Array {
  const samples = 4;
  const out = new Float64Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          if (inside(mark, [(x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size])) hits++;
        }
      }
      out[y * size + x] = hits / (samples * samples);
    }
  }
  return out;
}

function hexRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** 192×192, white mark on the accent colour, edge to edge (Teams rounds the corners itself). */
export function colorIcon(): RgbaImage {
  const size = 192;
  const cover = coverage(size, { ring: { radius: 0.3, width: 0.075 }, check: { points: [[0.37, 0.51], [0.465, 0.605], [0.64, 0.42]], width: 0.075 } });
  const [r, g, b] = hexRgb(ACCENT_COLOR);
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < cover.length; i++) {
    const c = cover[i];
    rgba.set([Math.round(r + (255 - r) * c), Math.round(g + (255 - g) * c), Math.round(b + (255 - b) * c), 255], i * 4);
  }
  return { width: size, height: size, rgba };
}

/** 32×32, white on transparent as Teams requires: only alpha varies, so Teams can tint it. */
export function outlineIcon(): RgbaImage {
  const size = 32;
  const cover = coverage(size, { ring: { radius: 0.4, width: 0.1 }, check: { points: [[0.3, 0.52], [0.44, 0.66], [0.7, 0.38]], width: 0.1 } });
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < cover.length; i++) {
    const alpha = Math.round(255 * cover[i]);
    rgba.set(alpha === 0 ? [0, 0, 0, 0] : [255, 255, 255, alpha], i * 4);
  }
  return { width: size, height: size, rgba };
}

export function iconFiles(): { 'color.png': Buffer; 'outline.png': Buffer } {
  return { 'color.png': encodePng(colorIcon()), 'outline.png': encodePng(outlineIcon()) };
}

// `node dist/src/deploy/icons.js <appPackage dir>` regenerates the committed icons after a design change.
if (require.main === module) {
  const dir = process.argv[2] ?? 'appPackage';
  for (const [name, bytes] of Object.entries(iconFiles())) writeFileSync(join(dir, name), bytes);
}
