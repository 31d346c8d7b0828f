/**
 * Text contrast of at least 4.5:1 (WCAG 2 AA) whatever palette Telegram hands us. Telegram's
 * own themes use hint, section-header and link colours as low as 2.5:1 on their backgrounds;
 * the app keeps the client's palette and only moves a colour that falls short towards the
 * theme's text colour, just far enough to pass.
 */

export type Rgb = readonly [number, number, number];

/** `#rgb`, `#rrggbb` or `rgb(a)(r, g, b …)`; anything else (named colours, mixes) is undefined. */
export function parseColor(value: string): Rgb | undefined {
  const v = value.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(v)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
    return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(v);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return undefined;
}

export function toHex(c: Rgb): string {
  return `#${c.map((x) => Math.round(x).toString(16).padStart(2, "0")).join("")}`;
}

/** Relative luminance as WCAG 2 defines it. */
export function luminance(c: Rgb): number {
  const [r, g, b] = c.map((x) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb =>
  [0, 1, 2].map((i) => (a[i] as number) * (1 - t) + (b[i] as number) * t) as unknown as Rgb;

/**
 * (4.6 rather than 4.5: blended and antialiased edges render a little lighter than the colour.)
 *
 * `fg` unchanged when it reaches `ratio` against every background, else the least mix of
 * `fg` towards `toward` that does (`toward` is the theme's text colour, which always does).
 */
export function ensureContrast(fg: Rgb, backgrounds: Rgb[], toward: Rgb, ratio = 4.6): Rgb {
  const passes = (c: Rgb) => backgrounds.every((bg) => contrast(c, bg) >= ratio);
  if (passes(fg)) return fg;
  for (let step = 1; step <= 20; step++) {
    const c = mix(fg, toward, step / 20);
    if (passes(c)) return c;
  }
  return toward;
}

/** Colours used for text on the page's backgrounds, and the backgrounds they sit on. */
const TEXT_VARS = [
  "--tgui--hint_color",
  "--tgui--secondary_hint_color",
  "--tgui--section_header_text_color",
  "--tgui--subtitle_text_color",
  "--tgui--link_color",
  "--tgui--accent_text_color",
] as const;
const BACKGROUND_VARS = [
  "--tgui--bg_color",
  "--tgui--secondary_bg_color",
  "--tgui--section_bg_color",
  "--tgui--tertiary_bg_color",
] as const;
const GUARDED = [...TEXT_VARS, "--tgui--button_color"];

/**
 * Reads the theme's colours on `root` (telegram-ui's variables, bound to Telegram's palette)
 * and overrides those that fall short, on `root` itself. Call again after a theme change.
 */
export function guardContrast(root: HTMLElement): void {
  for (const name of GUARDED) root.style.removeProperty(name);
  const style = getComputedStyle(root);
  const read = (name: string) => parseColor(style.getPropertyValue(name));
  const text = read("--tgui--text_color");
  const backgrounds = BACKGROUND_VARS.map(read).filter((c): c is Rgb => c !== undefined);
  if (!text || backgrounds.length === 0) return;
  // Accent-coloured text also sits on accent tints (bezeled buttons are 10–15% accent).
  for (const name of TEXT_VARS) {
    const fg = read(name);
    if (!fg) continue;
    const tinted = name === "--tgui--link_color" || name === "--tgui--accent_text_color";
    const on = tinted
      ? [...backgrounds, ...backgrounds.map((bg) => mix(bg, fg, 0.15))]
      : backgrounds;
    const fixed = ensureContrast(fg, on, text);
    if (fixed !== fg) root.style.setProperty(name, toHex(fixed));
  }
  // Filled buttons: the button colour moves away from its text colour instead.
  const button = read("--tgui--button_color");
  const buttonText = read("--tgui--button_text_color");
  if (button && buttonText) {
    const away: Rgb = luminance(buttonText) > 0.5 ? [0, 0, 0] : [255, 255, 255];
    const fixed = ensureContrast(button, [buttonText], away);
    if (fixed !== button) root.style.setProperty("--tgui--button_color", toHex(fixed));
  }
}
