// Promptbooks in the chat: each built-in one click away; its parameters asked in a small form;
// its steps asked in the conversation's session, each step a turn with its cited Answer.

import { getJSON, postJSON } from "./api.js";
import { answerCard } from "./answer.js";
import { clear, el, failure } from "./dom.js";

let counter = 0;

function parameterField(parameter) {
  const id = `pb-${++counter}-${parameter.name}`;
  return el("div", {},
    el("label", { for: id }, `${parameter.name}${parameter.required ? "" : " (optional)"}`),
    el("input", { id, name: parameter.name, required: parameter.required,
      placeholder: parameter.default || "", "aria-describedby": `${id}-help` }),
    el("p", { id: `${id}-help`, class: "muted" }, parameter.description));
}

/** Run `book` with the form's values in `session()`; each step becomes a turn. */
async function run(book, form, session, conversation) {
  const parameters = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (String(value).trim()) parameters[key] = String(value).trim();
  }
  const status = el("p", { class: "progress", role: "status" },
    `Running the promptbook “${book.title}” (${book.steps.length} steps)…`);
  const turn = el("article", { class: "answer promptbook-run", "aria-busy": "true" },
    el("p", { class: "question" }, `Promptbook: ${book.title}`), status);
  conversation.append(turn);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const result = await postJSON(`/api/promptbooks/${encodeURIComponent(book.name)}/run`,
      { parameters, session_id: await session(book.title) });
    status.textContent = `${result.steps.length} of ${book.steps.length} steps answered.`;
    for (const step of result.steps) {
      const card = answerCard(step.answer);
      card.prepend(el("p", { class: "question" }, `Step ${step.n}: `, step.prompt));
      conversation.append(card);
    }
    if (result.stopped) conversation.append(el("p", { class: "muted", role: "status" }, `Stopped: ${result.stopped}`));
    form.closest(".promptbook-form").hidden = true;
  } catch (error) {
    status.textContent = "";
    turn.append(failure(error));
  } finally {
    turn.setAttribute("aria-busy", "false");
    button.disabled = false;
  }
}

function bookForm(book, session, conversation) {
  const form = el("form", { class: "filters" },
    book.parameters.map(parameterField),
    el("div", { class: "actions" }, el("button", { type: "submit" }, `Run ${book.steps.length} steps`)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(book, form, session, conversation);
  });
  return el("div", { class: "promptbook-form card" },
    el("h4", {}, book.title), el("p", { class: "muted" }, book.description), form);
}

/** Load the promptbooks into `list`; a chosen one opens its form in `slot`. */
export async function initPromptbooks(list, slot, session, conversation) {
  try {
    const books = await getJSON("/api/promptbooks");
    list.append(...books.map((book) => el("li", {},
      el("button", { type: "button", class: "chip", title: book.description, on: { click: () => {
        clear(slot).append(bookForm(book, session, conversation));
        slot.hidden = false;
        const first = slot.querySelector("input, button[type=submit]");
        if (first) first.focus();
      } } }, book.title))));
  } catch (error) {
    list.append(el("li", {}, failure(error)));
  }
}
