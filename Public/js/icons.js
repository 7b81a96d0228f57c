// Inline SVG icons, so the page needs no emoji font (many Linux desktops have none and would show
// empty boxes). icon(name) → an <svg> element drawn with `currentColor` strokes on a 24 × 24 grid,
// sized by CSS (`.icon`, 1.25em square; containers such as .tile-icon make it larger).
//
//   icon("calendar")                       decorative: aria-hidden="true", next to text that says it
//   icon("warning", { label: "Warning" })  meaningful on its own: role="img" with a <title>
//
// Shapes are drawn here, not copied from an icon set: only paths, circles and rounded rectangles.

const NS = "http://www.w3.org/2000/svg";

/** A circle as path data. */
const circle = (cx, cy, r) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

/** A rounded rectangle as path data. */
const rect = (x, y, w, h, r = 2) =>
  `M${x + r} ${y}h${w - 2 * r}a${r} ${r} 0 0 1 ${r} ${r}v${h - 2 * r}a${r} ${r} 0 0 1 ${-r} ${r}h${-(w - 2 * r)}a${r} ${r} 0 0 1 ${-r} ${-r}v${-(h - 2 * r)}a${r} ${r} 0 0 1 ${r} ${-r}z`;

/** name → list of path data (each drawn with the shared stroke). */
const SHAPES = {
  calendar: [rect(3, 4.5, 18, 16.5), "M8 2.5v4M16 2.5v4M3 10h18"],
  "calendar-days": [rect(3, 4.5, 18, 16.5), "M8 2.5v4M16 2.5v4M3 10h18", "M7.5 14h.01M12 14h.01M16.5 14h.01M7.5 17.5h.01M12 17.5h.01"],
  clock: [circle(12, 12, 9), "M12 7v5l3.2 2"],
  timer: [circle(12, 13.5, 7.5), "M12 10v3.5l2.2 1.6M9.5 2.5h5M12 2.5V6"],
  book: ["M4 19.5v-14A2.5 2.5 0 0 1 6.5 3H20v14H6.5A2.5 2.5 0 0 0 4 19.5 2.5 2.5 0 0 0 6.5 22H20v-5"],
  "graduation-cap": ["M2 9.5 12 4.5l10 5-10 5z", "M6 11.5V16c0 1.6 2.7 3 6 3s6-1.4 6-3v-4.5", "M22 9.5v5.5"],
  wrench: ["M14.5 3.2a5.2 5.2 0 0 0-4.7 7.1L3.6 16.5a2.1 2.1 0 0 0 3 3l6.2-6.2a5.2 5.2 0 0 0 7.1-4.7l-3.1 1.6-2.6-1.4-.5-2.8z"],
  toolbox: [rect(3, 8, 18, 12), "M8.5 8V6a2 2 0 0 1 2-2h3a2 2 0 0 1 2 2v2M3 13.5h18M10 12v3M14 12v3"],
  queue: ["M9 6h11M9 12h11M9 18h11", "M4.5 6h.01M4.5 12h.01M4.5 18h.01"],
  users: [circle(9, 8, 3.5), "M2.5 20c.5-3.5 3.1-5.5 6.5-5.5s6 2 6.5 5.5", "M16 4.7a3.5 3.5 0 0 1 0 6.6M18 14.8c2 .8 3.2 2.5 3.5 5.2"],
  door: ["M5.5 21V4.5a1.5 1.5 0 0 1 1.5-1.5h10a1.5 1.5 0 0 1 1.5 1.5V21", "M3 21h18", "M14.5 12h.01"],
  pulse: ["M2.5 12h4l3-8 5 16 3-8h4"],
  chart: ["M3.5 3.5v17h17", "m7.5 15 4-4 3 3 5.5-5.5"],
  bell: ["M6 8.5a6 6 0 0 1 12 0c0 6.5 2.5 8.5 2.5 8.5h-17S6 15 6 8.5", "M10.2 20.5a2 2 0 0 0 3.6 0"],
  check: ["M20 6.5 9 17.5l-5-5"],
  "check-circle": [circle(12, 12, 9), "m8.2 12.2 2.6 2.6 5-5.3"],
  warning: ["M10.3 4 2 18.2a2 2 0 0 0 1.7 2.8h16.6a2 2 0 0 0 1.7-2.8L13.7 4a2 2 0 0 0-3.4 0z", "M12 9.5v4M12 17h.01"],
  info: [circle(12, 12, 9), "M12 16.5v-5M12 8h.01"],
  alert: [circle(12, 12, 9), "M12 7.5v5.5M12 16.5h.01"],
  comment: ["M21 15a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"],
  party: ["M3.5 20.5 8 8.5l7.5 7.5z", "M13.5 3.5c.6 1.3.5 2.5-.2 3.6M20.5 10.5c-1.3-.6-2.5-.5-3.6.2", "M18 3.5v.01M21 7v.01M16.5 6.5l-2.5 2.5"],
  inbox: ["M22 12.5h-6l-2 3h-4l-2-3H2", "M5.4 5.1 2 12.5V18a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-5.5l-3.4-7.4A2 2 0 0 0 16.8 4H7.2a2 2 0 0 0-1.8 1.1z"],
  sparkles: ["M11 3.5l1.8 5 5 1.8-5 1.8-1.8 5-1.8-5-5-1.8 5-1.8z", "M18.5 15v5M16 17.5h5"],
  search: [circle(11, 11, 7), "m20.5 20.5-4.5-4.5"],
  "chevron-down": ["m6 9 6 6 6-6"],
  "chevron-right": ["m9 6 6 6-6 6"],
  "chevron-left": ["m15 6-6 6 6 6"],
  close: ["M18 6 6 18M6 6l12 12"],
  "external-link": ["M14.5 3.5h6v6M10 14 20.5 3.5", "M18 13.5V19a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h5.5"],
  menu: ["M4 6.5h16M4 12h16M4 17.5h16"],
  refresh: ["M20.5 12a8.5 8.5 0 1 1-2.5-6l2.5 2.5", "M20.5 3.5v5h-5"],
  "arrow-right": ["M5 12h14M13 6l6 6-6 6"],
};

/** Other names for the same drawing (what a page calls it → the drawing). */
const ALIASES = {
  bookings: "calendar-days",
  gpa: "graduation-cap",
  maintenance: "wrench",
  tickets: "wrench",
  rooms: "door",
  status: "chart",
  notifications: "bell",
  empty: "inbox",
  chevron: "chevron-down",
  x: "close",
  success: "check-circle",
  critical: "alert",
};

/** Every icon name icon() knows (drawings and aliases). */
export const ICON_NAMES = Object.freeze([...Object.keys(SHAPES), ...Object.keys(ALIASES)]);

export const hasIcon = (name) => Object.hasOwn(SHAPES, name) || Object.hasOwn(ALIASES, name);

let titleCount = 0;

/**
 * icon(name, { label, className }) → <svg class="icon icon-<name>">.
 * Without a label the icon is decorative (aria-hidden="true"); with one it is an image named by
 * its <title> (role="img"). Throws on an unknown name, so a typo shows up at once.
 */
export function icon(name, { label, className } = {}) {
  const drawing = SHAPES[name] ?? SHAPES[ALIASES[name]];
  if (!drawing) throw new Error(`Unknown icon: ${name}`);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", `icon icon-${name}${className ? ` ${className}` : ""}`);
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("focusable", "false");
  svg.dataset.icon = name;
  if (label) {
    const title = document.createElementNS(NS, "title");
    title.id = `icon-title-${++titleCount}`;
    title.textContent = label;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", title.id);
    svg.append(title);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  for (const d of drawing) {
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

/** Fills every `[data-icon]` placeholder under root (static markup in index.html) with its icon. */
export function fillIcons(root = document) {
  for (const slot of root.querySelectorAll("[data-icon]:not(svg)")) {
    if (slot.querySelector("svg.icon")) continue;
    slot.prepend(icon(slot.dataset.icon, { label: slot.dataset.iconLabel || undefined }));
  }
}
