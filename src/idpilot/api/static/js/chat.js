// The chat: ask, watch the answer stream in (plan, skills, text), then the cited Answer with
// sources, follow-ups and feedback. Built-in prompts are one click away.

import { getJSON, postJSON, streamAsk } from "./api.js";
import { answerExtras, answerText, onFollowup } from "./answer.js";
import { clear, el, failure } from "./dom.js";
import { initPromptbooks } from "./promptbooks.js";

const PLACEHOLDER = /<(\w+)>/;
const MAX_TITLE = 200;
let busy = false;
let sessionId = null;

/** The conversation's session, begun (titled with its first question) when first needed, so
 * follow-ups ("what groups is he in?") can point back at earlier turns. */
async function session(firstPrompt) {
  if (!sessionId) {
    const started = await postJSON("/api/sessions", { title: firstPrompt.slice(0, MAX_TITLE) });
    sessionId = started.id;
  }
  return sessionId;
}

/** Start a new conversation: an empty chat and, at the next question, a new session. */
export function newConversation() {
  sessionId = null;
  clear(conversation());
  document.getElementById("prompt").focus();
}

function conversation() {
  return document.getElementById("conversation");
}

/** Ask `prompt` in the chat, streaming the answer into a new turn. */
export async function ask(prompt) {
  const text = prompt.trim();
  if (!text || busy) return;
  busy = true;
  const button = document.getElementById("ask-button");
  button.disabled = true;
  const status = el("p", { class: "progress", role: "status" }, "Planning…");
  const body = el("div", { class: "answer-body" });
  const turn = el("article", { class: "answer", "aria-busy": "true" },
    el("p", { class: "question" }, el("span", { class: "visually-hidden" }, "You asked: "), text),
    status, body);
  conversation().append(turn);
  turn.scrollIntoView({ block: "end" });
  let markdown = "";
  const skills = [];
  try {
    const within = await session(text);
    await streamAsk(text, (name, data) => {
      if (name === "plan") {
        status.textContent = data.skills.length
          ? `Running ${data.skills.map((s) => s.name).join(", ")}…` : "Answering…";
      } else if (name === "skill") {
        skills.push(data.skill);
        status.textContent = `Ran ${skills.join(", ")} (${data.records} records); composing…`;
      } else if (name === "text") {
        markdown += data.text;
        clear(body).append(answerText(markdown));
      } else if (name === "answer") {
        turn.dataset.answerId = data.answer_id;
        status.textContent = `Answered in ${Math.round(data.elapsed_ms)} ms.`;
        clear(body).append(answerText(data.answer, data), ...answerExtras(data));
      } else if (name === "error") {
        status.textContent = "";
        body.append(failure(data.error));
      }
    }, within);
  } catch (error) {
    status.textContent = "";
    body.append(failure(error));
  } finally {
    turn.setAttribute("aria-busy", "false");
    busy = false;
    button.disabled = false;
  }
}

function usePrompt(item) {
  const input = document.getElementById("prompt");
  if (PLACEHOLDER.test(item.prompt)) {
    input.value = item.prompt;
    input.focus();
    const match = PLACEHOLDER.exec(item.prompt);
    input.setSelectionRange(match.index, match.index + match[0].length);
  } else {
    ask(item.prompt);
  }
}

/** Load the built-in prompts and wire the form (once, after sign-in). */
export async function initChat(show) {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("prompt");
  document.getElementById("new-conversation").addEventListener("click", newConversation);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const prompt = input.value;
    input.value = "";
    ask(prompt);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  onFollowup((prompt) => {
    show("chat");
    ask(prompt.replace(/\\(.)/g, "$1"));
  });
  initPromptbooks(clear(document.getElementById("promptbooks")),
    document.getElementById("promptbook-slot"), session, conversation());
  const list = clear(document.getElementById("prompts"));
  try {
    const prompts = await getJSON("/api/prompts");
    list.append(...prompts.map((item) => el("li", {},
      el("button", { type: "button", class: "chip", title: item.prompt,
        on: { click: () => usePrompt(item) } }, item.title))));
  } catch (error) {
    list.append(el("li", {}, failure(error)));
  }
}
