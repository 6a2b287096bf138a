// Start-up: sign in with a pasted token (or with Entra ID when the server offers it), then the
// pages as tabs (the URL's #hash names the page; each page loads its data the first time it is
// shown).

import { getJSON, setToken, token } from "./api.js";
import { beginEntraSignIn, entraSettings, finishEntraSignIn } from "./entra.js";
import { visible } from "./dom.js";
import { initChat } from "./chat.js";
import { initPanel } from "./panel.js";
import { initWhatIf, showPolicies } from "./pages/ca.js";
import { showAudit } from "./pages/audit.js";
import { showPosture } from "./pages/posture.js";
import { showRisky } from "./pages/risky.js";
import { initSignIns, showSignIns } from "./pages/signins.js";

const PAGES = {
  chat: null,
  risky: showRisky,
  signins: () => showSignIns(true),
  posture: showPosture,
  ca: showPolicies,
  audit: showAudit,
};
const loaded = new Set();
let started = false;

/** Show page `name` (loading its data the first time) and mark its tab current. */
export function show(name) {
  const page = name in PAGES ? name : "chat";
  for (const key of Object.keys(PAGES)) {
    document.getElementById(`page-${key}`).hidden = key !== page;
  }
  for (const link of document.querySelectorAll("#tabs a")) {
    if (link.dataset.page === page) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (location.hash !== `#${page}`) history.replaceState(null, "", `#${page}`);
  if (!loaded.has(page) && PAGES[page]) {
    loaded.add(page);
    PAGES[page]();
  }
}

function signedOut(message = "") {
  document.getElementById("signin").hidden = false;
  document.getElementById("tabs").hidden = true;
  document.getElementById("who").hidden = true;
  document.getElementById("panel").hidden = true;
  for (const key of Object.keys(PAGES)) document.getElementById(`page-${key}`).hidden = true;
  document.getElementById("signin-error").textContent = message;
  document.getElementById("token").focus();
}

async function signIn() {
  const me = await getJSON("/api/me");
  document.getElementById("signin").hidden = true;
  document.getElementById("tabs").hidden = false;
  document.getElementById("who").hidden = false;
  document.getElementById("who-name").textContent = visible(`${me.user} (${me.role})`);
  if (!started) {
    started = true;
    initSignIns();
    initWhatIf();
    await initChat(show);
  }
  show(location.hash.slice(1));
}

async function start() {
  initPanel();
  document.getElementById("signin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("token");
    setToken(input.value.trim());
    input.value = "";
    try {
      await signIn();
    } catch (error) {
      setToken(null);
      signedOut(error.status === 401 ? `Not signed in: ${error.message}` : error.message);
    }
  });
  document.getElementById("sign-out").addEventListener("click", () => {
    setToken(null);
    location.hash = "";
    location.reload();
  });
  window.addEventListener("hashchange", () => {
    if (token()) show(location.hash.slice(1));
  });
  const entra = entraSettings();
  if (entra) {
    document.getElementById("entra-signin").hidden = false;
    document.getElementById("entra-sign-in").addEventListener("click", () => {
      beginEntraSignIn(entra).catch((error) => signedOut(error.message));
    });
  }
  try {
    const accessToken = await finishEntraSignIn(entra);
    if (accessToken) setToken(accessToken);
  } catch (error) {
    signedOut(error.message);
    return;
  }
  if (token()) {
    try {
      await signIn();
      return;
    } catch (error) {
      setToken(null);
      signedOut(error.message);
      return;
    }
  }
  signedOut();
}

start();
