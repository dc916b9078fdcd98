/**
 * Product and banner art drawn locally as SVG (the machine is offline, and no image is hotlinked):
 * `/media/art/{hue}/{label}.svg` is a soft gradient card with a one- or two-character label.
 */
const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)

export function artPath(hue: number, label: string, wide = false): string {
  return `/media/art/${Math.round(hue) % 360}/${encodeURIComponent(label)}.svg${wide ? '?wide=1' : ''}`
}

export function renderArt(hue: number, label: string, wide: boolean): string {
  const w = wide ? 750 : 600
  const h = wide ? 320 : 600
  const text = escapeXml(label.slice(0, 12))
  const size = wide ? 64 : label.length > 2 ? 96 : 200
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${hue},70%,88%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},65%,70%)"/>
</linearGradient></defs>
<rect width="${w}" height="${h}" fill="url(#g)"/>
<circle cx="${w * 0.82}" cy="${h * 0.2}" r="${h * 0.28}" fill="hsl(${hue},80%,96%)" opacity="0.45"/>
<circle cx="${w * 0.12}" cy="${h * 0.9}" r="${h * 0.22}" fill="hsl(${(hue + 40) % 360},70%,60%)" opacity="0.35"/>
<text x="50%" y="54%" text-anchor="middle" dominant-baseline="middle" font-family="PingFang SC, Noto Sans CJK SC, sans-serif" font-size="${size}" font-weight="700" fill="hsl(${hue},45%,28%)">${text}</text>
</svg>`
}
