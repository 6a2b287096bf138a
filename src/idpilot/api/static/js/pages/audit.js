// Audit: the newest directory changes (the AuditLogs view, read with a fixed KQL query), with
// "Who changed this?" on each object, asking the copilot for that object's history.

import { postJSON } from "../api.js";
import { el, when } from "../dom.js";
import { answerButton, answerRow, loadInto, table } from "./shared.js";

const QUERY = "AuditLogs | sort by TimeGenerated desc | take 60 " +
  "| project TimeGenerated, Id, OperationName, Category, Result, InitiatedBy, TargetResources";
// How to ask about each kind of object so the copilot reads its audit history.
const QUESTIONS = {
  User: (name) => `Who changed the user ${name}?`,
  Group: (name) => `What changed on the group ${name}, and who made the changes?`,
  Application: (name) => `What changed on the app ${name}, and who made the changes?`,
  ServicePrincipal: (name) => `What changed on the app ${name}, and who made the changes?`,
  Role: (name) => `Who changed the role ${name}?`,
  Policy: (name) => `Who changed the policy ${name}?`,
};

function actor(initiatedBy) {
  const by = initiatedBy || {};
  if (by.user) return by.user.userPrincipalName || by.user.displayName || by.user.id || "a user";
  if (by.app) return by.app.displayName || by.app.servicePrincipalId || "an app";
  return "unknown";
}

/** The question "who changed this?" asks about one target of an audit event. */
export function whoChangedPrompt(target) {
  const name = target.userPrincipalName || target.displayName || target.id;
  const question = QUESTIONS[target.type];
  return question ? question(name) : `What changed on ${name}, and who made the changes?`;
}

/** Fill the Audit page. */
export function showAudit() {
  return loadInto("audit-body", "the audit log", async (region) => {
    const result = await postJSON("/api/kql", { query: QUERY, limit: 60 });
    const rows = [];
    result.rows.forEach((event, index) => {
      const targets = (event.TargetResources || []).filter((t) => t && (t.displayName || t.userPrincipalName || t.id));
      const { row, slot } = answerRow(5);
      const cells = targets.length ? targets.map((target, t) => {
        const id = `audit-${index}-${t}`;
        return el("div", { class: "target" },
          el("span", { id }, `${target.type || "object"}: ${target.userPrincipalName || target.displayName || target.id}`),
          " ", answerButton("Who changed this?", slot,
            () => postJSON("/api/ask", { prompt: whoChangedPrompt(target) }), id));
      }) : "—";
      rows.push(el("tr", {},
        el("td", { class: "nowrap" }, when(event.TimeGenerated)),
        el("th", { scope: "row" }, event.OperationName || ""),
        el("td", {}, actor(event.InitiatedBy)),
        el("td", {}, event.Result || ""),
        el("td", {}, cells)), row);
    });
    region.append(table("Directory changes, newest first",
      ["When (UTC)", "Activity", "By", "Result", "Objects"], rows));
  });
}
