// Risky users: the ranked table; each row's "Summarize" shows the summary, what to do and
// the links (citations) in place.

import { getJSON } from "../api.js";
import { el, when } from "../dom.js";
import { answerButton, answerRow, loadInto, table } from "./shared.js";

/** Fill the Risky users page. */
export function showRisky() {
  return loadInto("risky-body", "the risky users", async (region) => {
    const answer = await getJSON("/api/risky-users");
    const users = answer.evidence.filter((e) => e.kind === "riskyUser");
    if (!users.length) {
      region.append(el("p", {}, "No risky user in this snapshot."));
      return;
    }
    const rows = [];
    for (const user of users) {
      const f = user.fields;
      const nameId = `risky-${user.id}`;
      const { row, slot } = answerRow(6);
      const summarize = answerButton("Summarize", slot,
        () => getJSON(`/api/risky-users/${encodeURIComponent(user.id)}/summary`), nameId);
      rows.push(el("tr", {},
        el("th", { scope: "row", id: nameId }, f.userDisplayName || f.userPrincipalName || user.id),
        el("td", {}, f.userPrincipalName || ""),
        el("td", {}, el("span", { class: `level level-${f.riskLevel}` }, f.riskLevel || "")),
        el("td", {}, f.riskState || ""),
        el("td", {}, when(f.riskLastUpdatedDateTime)),
        el("td", {}, summarize)), row);
    }
    region.append(table("Risky users, most urgent first",
      ["User", "Sign-in name", "Risk", "State", "Last updated", "Copilot"], rows));
  });
}
