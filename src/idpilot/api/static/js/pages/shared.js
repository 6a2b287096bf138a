// Pieces the embedded experiences share: a table, and an answer shown in place under a row.

import { answerCard } from "../answer.js";
import { clear, el, failure, loading } from "../dom.js";

/** A table with a caption, column headers and rows of cells (nodes or text). */
export function table(caption, headers, rows) {
  return el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows)));
}

/**
 * A button that fetches an Answer with `load()` and shows it in `slot` (toggling it away on
 * a second press).
 */
export function answerButton(label, slot, load, describedBy = null) {
  const button = el("button", { type: "button", "aria-expanded": "false",
    "aria-describedby": describedBy }, label);
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-expanded") === "true") {
      clear(slot);
      slot.hidden = true;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    button.setAttribute("aria-expanded", "true");
    slot.hidden = false;
    clear(slot).append(loading("the answer"));
    button.disabled = true;
    try {
      clear(slot).append(answerCard(await load()));
    } catch (error) {
      clear(slot).append(failure(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A row spanning the table that holds an answer shown in place. */
export function answerRow(columns) {
  const slot = el("div", { class: "inline-answer", hidden: true });
  const row = el("tr", { class: "answer-row" }, el("td", { colspan: String(columns) }, slot));
  return { row, slot };
}

/** Load `fill(region)` into the region with id `id`, showing progress and errors. */
export async function loadInto(id, what, fill) {
  const region = clear(document.getElementById(id));
  region.append(loading(what));
  try {
    await fill(region);
    region.querySelector(".loading")?.remove();
  } catch (error) {
    clear(region).append(failure(error));
  }
}
