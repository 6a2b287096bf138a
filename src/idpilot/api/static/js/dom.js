// Building the page's elements. Tenant text only ever reaches the DOM as text nodes, with
// control, bidi and invisible characters shown as {U+XXXX} so they can neither run nor
// reorder what a person reads.

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]/gu;

/** Text with invisible and direction-changing characters made visible as {U+XXXX}. */
export function visible(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return text.replace(INVISIBLE, (c) =>
    `{U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}}`);
}

/** Attributes a person reads (tooltips, accessible names): shown like text. */
const TEXT_ATTRIBUTES = new Set(["title", "aria-label", "placeholder"]);

/**
 * An element: `attrs` sets properties and attributes (never innerHTML), children are nodes or
 * strings (made text nodes through `visible`).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "on") for (const [name, fn] of Object.entries(value)) node.addEventListener(name, fn);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : TEXT_ATTRIBUTES.has(key) ? visible(value) : String(value));
  }
  append(node, children);
  return node;
}

/** Append nodes or strings (as visible text) to `node`. */
export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return node;
}

/** Remove every child of `node`. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** A busy message for a region being loaded. */
export function loading(what) {
  return el("p", { class: "loading", role: "status" }, `Loading ${what}…`);
}

/** An error message in the API's shape ({error: {code, message}}) or from an exception. */
export function failure(error) {
  const message = error && error.message ? error.message : String(error);
  return el("p", { class: "error", role: "alert" }, message);
}

/** A date-time string shown compactly in UTC. */
export function when(value) {
  if (!value) return "";
  const text = String(value);
  return text.replace("T", " ").replace(/:\d\d(\.\d+)?(Z|\+00:00)$/, " UTC");
}
