// The answer's markdown (the composer's own small dialect) rendered as DOM nodes: paragraphs,
// bullet and numbered lists, **bold**, `code`, backslash escapes, and [n] citation markers as
// buttons. Every piece of text becomes a text node; nothing is parsed as HTML.

import { el, visible } from "./dom.js";

/** Inline markdown of one line as nodes; `cite(n)` makes the node of citation marker n. */
export function inline(text, cite) {
  const nodes = [];
  let plain = "";
  const flush = () => { if (plain) { nodes.push(plain); plain = ""; } };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) { plain += text[++i]; continue; }
    if (c === "*" && text[i + 1] === "*") {
      const close = findClose(text, "**", i + 2);
      if (close > i + 2) {
        flush();
        nodes.push(el("strong", {}, inline(text.slice(i + 2, close), cite)));
        i = close + 1;
        continue;
      }
    }
    if (c === "`") {
      const close = findClose(text, "`", i + 1);
      if (close > i) {
        flush();
        nodes.push(el("code", {}, unescape(text.slice(i + 1, close))));
        i = close;
        continue;
      }
    }
    if (c === "[") {
      const match = /^\[(\d+)\]/.exec(text.slice(i));
      if (match && cite) {
        flush();
        nodes.push(cite(Number(match[1])));
        i += match[0].length - 1;
        continue;
      }
    }
    plain += c;
  }
  flush();
  return nodes;
}

function findClose(text, marker, from) {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") { i++; continue; }
    if (text.startsWith(marker, i)) return i;
  }
  return -1;
}

function unescape(text) {
  return text.replace(/\\(.)/g, "$1");
}

const BULLET = /^(\s*)[-*] (.*)$/;
const NUMBERED = /^(\s*)(\d+)\. (.*)$/;

/** The markdown as a fragment of block elements. */
export function render(markdown, cite) {
  const root = document.createDocumentFragment();
  const lines = String(markdown || "").split("\n");
  let paragraph = [];
  const lists = []; // stack of {indent, node}
  const closeParagraph = () => {
    if (!paragraph.length) return;
    const p = el("p");
    paragraph.forEach((line, index) => {
      if (index) p.append(el("br"));
      p.append(...inline(line, cite).map(toNode));
    });
    target().append(p);
    paragraph = [];
  };
  const target = () => (lists.length ? lists[lists.length - 1].node.lastElementChild || root : root);
  const closeLists = (indent) => {
    while (lists.length && lists[lists.length - 1].indent > indent) lists.pop();
  };
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      closeParagraph();
      const indent = (bullet || numbered)[1].length;
      const tag = bullet ? "ul" : "ol";
      closeLists(indent);
      let top = lists[lists.length - 1];
      if (top && top.indent === indent && top.node.tagName.toLowerCase() !== tag) {
        lists.pop();
        top = lists[lists.length - 1];
      }
      if (!top || top.indent < indent) {
        const list = el(tag);
        if (numbered) list.start = Number(numbered[2]);
        (top ? top.node.lastElementChild || root : root).append(list);
        lists.push({ indent, node: list });
        top = lists[lists.length - 1];
      }
      const text = bullet ? bullet[2] : numbered[3];
      top.node.append(el("li", {}, inline(text, cite).map(toNode)));
    } else if (!line.trim()) {
      closeParagraph();
    } else {
      const indent = /^\s*/.exec(line)[0].length;
      if (!paragraph.length) closeLists(indent ? indent - 1 : -1);
      paragraph.push(line.trim());
    }
  }
  closeParagraph();
  return root;
}

function toNode(item) {
  return item instanceof Node ? item : document.createTextNode(visible(item));
}
