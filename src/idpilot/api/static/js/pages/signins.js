// Sign-ins with filters; each failure has "Explain this failure", which asks the copilot
// about that sign-in and shows the answer under it.

import { getJSON, postJSON } from "../api.js";
import { el, when } from "../dom.js";
import { answerButton, answerRow, loadInto, table } from "./shared.js";

const PAGE = 25;
let offset = 0;

function filters() {
  const form = document.getElementById("signins-form");
  return Object.fromEntries(new FormData(form).entries());
}

/** The question the copilot is asked about one failed sign-in. */
export function explainPrompt(f) {
  const who = f.userPrincipalName || f.userId;
  const app = f.appDisplayName || f.appId;
  const at = when(f.createdDateTime);
  return `Why did ${who} fail to sign in to ${app} with error ${f.errorCode} at ${at}?`;
}

/** Fill the Sign-ins page (from the first page of results when `restart`). */
export function showSignIns(restart = true) {
  if (restart) offset = 0;
  return loadInto("signins-body", "the sign-ins", async (region) => {
    const page = await getJSON("/api/sign-ins", { ...filters(), limit: PAGE, offset });
    const rows = [];
    for (const item of page.items) {
      const f = item.fields;
      const failed = f.errorCode !== 0 && f.errorCode !== null;
      const { row, slot } = answerRow(6);
      const id = `signin-${item.id}`;
      rows.push(el("tr", { class: failed ? "failed" : "" },
        el("td", { class: "nowrap" }, when(f.createdDateTime)),
        el("th", { scope: "row", id }, f.userPrincipalName || f.userId || ""),
        el("td", {}, f.appDisplayName || f.appId || ""),
        el("td", {}, failed ? el("span", { class: "level level-high" }, `Error ${f.errorCode}`)
          : "Success", failed && f.failureReason ? el("div", { class: "muted" }, f.failureReason) : null),
        el("td", {}, [f.city, f.countryOrRegion].filter(Boolean).join(", "), el("div", { class: "muted" }, f.ipAddress || "")),
        el("td", {}, failed ? answerButton("Explain this failure", slot,
          () => postJSON("/api/ask", { prompt: explainPrompt(f) }), id) : "")));
      if (failed) rows.push(row);
    }
    const first = page.total ? page.offset + 1 : 0;
    const last = page.offset + page.items.length;
    region.append(el("p", { class: "muted", role: "status" }, `${first}–${last} of ${page.total} sign-ins`));
    region.append(table("Sign-ins, newest first",
      ["When (UTC)", "User", "App", "Result", "Where", "Copilot"], rows));
    const previous = el("button", { type: "button", disabled: page.offset === 0,
      on: { click: () => { offset = Math.max(0, offset - PAGE); showSignIns(false); } } }, "Previous");
    const next = el("button", { type: "button", disabled: page.next_offset === null,
      on: { click: () => { offset = page.next_offset; showSignIns(false); } } }, "Next");
    region.append(el("nav", { class: "pager", "aria-label": "Sign-in pages" }, previous, next));
  });
}

/** Wire the filter form. */
export function initSignIns() {
  document.getElementById("signins-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showSignIns(true);
  });
}
