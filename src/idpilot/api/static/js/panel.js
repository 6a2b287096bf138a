// The side panel: one cited record, its fields and links to the records it points at.

import { getJSON } from "./api.js";
import { clear, el, loading } from "./dom.js";

const panel = () => document.getElementById("panel");
let opener = null;

/** Close the panel and give the focus back to what opened it. */
export function closePanel() {
  panel().hidden = true;
  if (opener && opener.isConnected) opener.focus();
}

/**
 * Open `ref` ({kind, id, label}) in the panel: the evidence the answer carried (if any) at
 * once, then the stored record with its related records.
 */
export async function openRecord(ref, evidence = null, from = null) {
  opener = from || document.activeElement;
  const body = clear(document.getElementById("panel-body"));
  document.getElementById("panel-title").textContent = `${ref.kind}`;
  body.append(el("p", { class: "record-label" }, ref.label || ref.id));
  body.append(el("p", { class: "muted" }, el("code", {}, ref.id)));
  panel().hidden = false;
  document.getElementById("panel-close").focus();
  if (evidence && evidence.fields) {
    body.append(el("h3", {}, "As cited"), fieldList(evidence.fields));
  }
  const stored = el("div", { id: "panel-stored" }, loading("the stored record"));
  body.append(stored);
  try {
    const record = await getJSON(
      `/api/records/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.id)}`);
    clear(stored);
    if (record.related.length) {
      stored.append(el("h3", {}, "Related records"),
        el("ul", { class: "related" }, record.related.map((item) => el("li", {},
          el("button", { type: "button", class: "link", on: { click: (event) =>
            openRecord(item, null, event.currentTarget) } }, `${item.kind}: ${item.label}`),
          el("span", { class: "muted" }, ` (${item.field})`)))));
    }
    stored.append(el("h3", {}, "Stored record"), fieldList(record.fields));
  } catch (error) {
    clear(stored).append(el("p", { class: "muted" },
      error.status === 404 ? "No stored record of this kind: the cited fields above are what the answer used."
        : error.message));
  }
}

/** A record's fields as a definition list (nested values as indented JSON text). */
export function fieldList(fields) {
  const list = el("dl", { class: "fields" });
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) continue;
    const shown = typeof value === "object"
      ? el("pre", {}, JSON.stringify(value, null, 2)) : String(value);
    list.append(el("dt", {}, name), el("dd", {}, shown));
  }
  return list;
}

/** Wire the panel's close button and the Escape key. */
export function initPanel() {
  document.getElementById("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel().hidden) closePanel();
  });
}

