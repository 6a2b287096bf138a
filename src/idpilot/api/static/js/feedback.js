// Thumbs up or down on an answer; down asks for a category and a comment. Sent to
// POST /api/feedback as {answer_id, rating, category, comment}.

import { postJSON } from "./api.js";
import { el } from "./dom.js";

export const CATEGORIES = ["inaccurate", "incomplete", "unclear", "offensive", "other"];
let counter = 0;

async function send(status, body, done) {
  status.textContent = "Sending…";
  try {
    await postJSON("/api/feedback", body);
    status.textContent = "Thank you: your feedback was recorded.";
    done();
  } catch (error) {
    status.textContent = `Feedback not recorded: ${error.message}`;
  }
}

/** The feedback controls for the answer with `answerId`. */
export function feedbackFor(answerId) {
  const n = ++counter;
  const status = el("p", { class: "feedback-status", role: "status" });
  const up = el("button", { type: "button", class: "thumb", "aria-label": "Helpful answer",
    "aria-pressed": "false" }, "▲ Yes");
  const down = el("button", { type: "button", class: "thumb", "aria-label": "Unhelpful answer",
    "aria-pressed": "false" }, "▼ No");
  const category = el("select", { id: `fb-category-${n}`, name: "category", required: true },
    el("option", { value: "" }, "Choose…"),
    CATEGORIES.map((c) => el("option", { value: c }, c[0].toUpperCase() + c.slice(1))));
  const comment = el("textarea", { id: `fb-comment-${n}`, name: "comment", rows: "2",
    maxlength: "2000" });
  const form = el("form", { class: "feedback-form", hidden: true },
    el("label", { for: `fb-category-${n}` }, "What was wrong?"), category,
    el("label", { for: `fb-comment-${n}` }, "Comment (optional)"), comment,
    el("button", { type: "submit" }, "Send feedback"));
  const finish = () => {
    up.disabled = true;
    down.disabled = true;
    form.hidden = true;
  };
  up.addEventListener("click", () => {
    up.setAttribute("aria-pressed", "true");
    send(status, { answer_id: answerId, rating: "up", category: null, comment: null }, finish);
  });
  down.addEventListener("click", () => {
    down.setAttribute("aria-pressed", "true");
    form.hidden = false;
    category.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = comment.value.trim();
    send(status, { answer_id: answerId, rating: "down", category: category.value,
      comment: text || null }, finish);
  });
  return el("div", { class: "feedback" },
    el("span", { class: "muted" }, "Was this helpful?"), up, down, form, status);
}
