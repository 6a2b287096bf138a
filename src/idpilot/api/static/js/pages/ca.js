// Conditional Access: each policy in plain language, and the What if form (/api/whatif).

import { getJSON, postJSON } from "../api.js";
import { answerCard } from "../answer.js";
import { clear, el, failure, loading } from "../dom.js";
import { openRecord } from "../panel.js";
import { loadInto } from "./shared.js";

const STATE_LABELS = {
  enabled: "On",
  disabled: "Off",
  enabledForReportingButNotEnforced: "Report-only",
};

/** Fill the policy list. */
export function showPolicies() {
  return loadInto("ca-body", "the policies", async (region) => {
    const policies = await getJSON("/api/ca-policies");
    if (!policies.length) region.append(el("p", {}, "No Conditional Access policy in this snapshot."));
    region.append(el("ul", { class: "policies" }, policies.map((policy) => el("li", { class: "card policy" },
      el("h4", {}, el("span", { class: `state state-${policy.state}` },
        STATE_LABELS[policy.state] || policy.state), " ", policy.name),
      el("ul", {}, policy.sentences.slice(1).map((s) => el("li", {}, s))),
      el("button", { type: "button", class: "link", on: { click: (event) =>
        openRecord({ kind: "conditionalAccessPolicy", id: policy.id, label: policy.name }, null,
          event.currentTarget) } }, "Open the policy record")))));
  });
}

function whatIfBody(form) {
  const data = new FormData(form);
  const body = {};
  for (const key of ["user", "app", "platform", "client_app", "country", "sign_in_risk"]) {
    const value = String(data.get(key) || "").trim();
    if (value) body[key] = key === "country" ? value.toUpperCase() : value;
  }
  if (data.get("device_compliant")) body.device_compliant = true;
  if (data.get("mfa")) body.mfa = true;
  if (data.get("trusted_location")) body.trusted_location = true;
  return body;
}

/** Wire the What if form. */
export function initWhatIf() {
  const form = document.getElementById("whatif-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = clear(document.getElementById("whatif-result"));
    result.append(loading("the evaluation"));
    try {
      clear(result).append(answerCard(await postJSON("/api/whatif", whatIfBody(form))));
    } catch (error) {
      clear(result).append(failure(error));
    }
  });
}
