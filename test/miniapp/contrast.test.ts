/**
 * The contrast guard's arithmetic (miniapp/src/theme/contrast.ts) against WCAG 2's published
 * reference values; the browser test (a11y.test.ts) checks the result on the real pages.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  contrast,
  ensureContrast,
  parseColor,
  type Rgb,
  toHex,
} from "../../miniapp/src/theme/contrast.ts";

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

test("contrast ratios match WCAG's reference values", () => {
  assert.equal(contrast(WHITE, BLACK), 21);
  assert.equal(contrast(WHITE, WHITE), 1);
  // #767676 is the lightest grey that passes 4.5:1 on white; #777777 fails it.
  assert.ok(contrast(parseColor("#767676") as Rgb, WHITE) >= 4.5);
  assert.ok(contrast(parseColor("#777777") as Rgb, WHITE) < 4.5);
});

test("colours are parsed from hex and rgb() and written back as hex", () => {
  assert.deepEqual(parseColor("#fff"), WHITE);
  assert.deepEqual(parseColor(" #2481CC "), [36, 129, 204]);
  assert.deepEqual(parseColor("rgb(1, 2, 3)"), [1, 2, 3]);
  assert.deepEqual(parseColor("rgba(10 20 30 / 50%)"), [10, 20, 30]);
  assert.equal(parseColor("color-mix(in srgb, red 10%, blue)"), undefined);
  assert.equal(toHex([36, 129, 204]), "#2481cc");
});

test("a colour that passes is left alone; one that fails moves just far enough", () => {
  const good: Rgb = [0x33, 0x33, 0x33];
  assert.equal(ensureContrast(good, [WHITE], BLACK), good);
  // Telegram's light hint colour on its light backgrounds: 2.8:1 and 2.5:1.
  const hint = parseColor("#999999") as Rgb;
  const backgrounds = [WHITE, parseColor("#efeff3") as Rgb];
  const fixed = ensureContrast(hint, backgrounds, BLACK);
  for (const bg of backgrounds) assert.ok(contrast(fixed, bg) >= 4.6);
  // Just far enough: a tenth of the way back towards the original would not pass.
  const lighter = fixed.map((c, i) => c + ((hint[i] as number) - c) / 10) as unknown as Rgb;
  assert.ok(
    backgrounds.some((bg) => contrast(lighter, bg) < 4.6),
    "no darker than needed",
  );
});
