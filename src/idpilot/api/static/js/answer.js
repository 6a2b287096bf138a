// One Answer rendered: its text with citation buttons, its sources, next steps, suggested
// follow-ups and feedback. Used by the chat and by every embedded experience.

import { el } from "./dom.js";
import { feedbackFor } from "./feedback.js";
import { inline, render } from "./markdown.js";
import { openRecord } from "./panel.js";

/** A handler for follow-up prompts (set by the chat: switch to it and ask). */
let followupHandler = () => {};
export function onFollowup(handler) {
  followupHandler = handler;
}

function evidenceOf(answer, citation) {
  return (answer.evidence || []).find((e) => e.kind === citation.kind && e.id === citation.id) || null;
}

/** A function making the button of citation n of `answer` (plain text when unknown). */
export function citer(answer) {
  const byNumber = new Map((answer.citations || []).map((c) => [c.n, c]));
  return (n) => {
    const citation = byNumber.get(n);
    if (!citation) return `[${n}]`;
    const label = citation.label.replace(/\\(.)/g, "$1"); // the label is markdown-escaped
    return el("button", {
      type: "button", class: "cite", "aria-label": `Source ${n}: ${label}`, title: label,
      on: { click: (event) => openRecord(citation, evidenceOf(answer, citation), event.currentTarget) },
    }, `[${n}]`);
  };
}

/** The answer's markdown as nodes (used while streaming, before the whole Answer is known). */
export function answerText(markdown, answer = null) {
  return el("div", { class: "answer-text" }, render(markdown, answer ? citer(answer) : null));
}

/** The whole Answer as a card. */
export function answerCard(answer, { feedback = true } = {}) {
  const card = el("article", { class: "answer", dataset: { answerId: answer.answer_id } });
  card.append(answerText(answer.answer, answer));
  card.append(...answerExtras(answer, { feedback }));
  return card;
}

/** Sources, next steps, follow-ups and feedback of an Answer. */
export function answerExtras(answer, { feedback = true } = {}) {
  const parts = [];
  const cite = citer(answer);
  if ((answer.citations || []).length) {
    parts.push(el("details", { class: "sources" },
      el("summary", {}, `Sources (${answer.citations.length})`),
      el("ol", {}, answer.citations.map((c) => el("li", {},
        el("button", { type: "button", class: "link", on: { click: (event) =>
          openRecord(c, evidenceOf(answer, c), event.currentTarget) } },
        `${c.kind}: `, inline(c.label, null)))))));
  }
  if ((answer.next_steps || []).length) {
    parts.push(el("section", { class: "next-steps" }, el("h4", {}, "What to do"),
      el("ul", {}, answer.next_steps.map((step) => el("li", {}, inline(step, cite))))));
  }
  if ((answer.followups || []).length) {
    parts.push(el("section", { class: "followups" }, el("h4", {}, "Suggested follow-ups"),
      el("ul", { class: "chips" }, answer.followups.map((prompt) => el("li", {},
        el("button", { type: "button", class: "chip", on: { click: () => followupHandler(prompt) } },
          inline(prompt, null)))))));
  }
  if (feedback && answer.answer_id) parts.push(feedbackFor(answer.answer_id));
  return parts;
}
