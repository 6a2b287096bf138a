// Sign-in with Entra ID for a single-page app: the authorization code flow with PKCE. The
// server names the tenant's endpoints in <meta name="idpilot-entra"> when Entra sign-in is on;
// the access token the token endpoint returns is kept like a pasted idpilot token.

const PENDING_KEY = "idpilot.entra.pending";

/** The tenant's endpoints, client id and scope, or null when Entra sign-in is off. */
export function entraSettings() {
  const meta = document.querySelector('meta[name="idpilot-entra"]');
  return meta && meta.content ? JSON.parse(meta.content) : null;
}

function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText(length) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

function redirectUri() {
  return `${location.origin}/`;
}

/** Go to Entra's sign-in page, remembering (for this tab) the PKCE verifier and the state. */
export async function beginEntraSignIn(settings) {
  const verifier = randomText(32);
  const state = randomText(16);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(settings.authorize);
  url.search = new URLSearchParams({
    client_id: settings.client_id,
    response_type: "code",
    redirect_uri: redirectUri(),
    response_mode: "fragment",
    scope: settings.scope,
    state,
    code_challenge: base64url(digest),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

/** When Entra has just sent the browser back with a code (in the URL's fragment, which never
 * reaches the server or its log), redeem it for an access token (null when this load is not
 * such a return; an Error saying why when it fails). */
export async function finishEntraSignIn(settings) {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has("code") && !params.has("error")) return null;
  history.replaceState(null, "", location.pathname);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  sessionStorage.removeItem(PENDING_KEY);
  if (params.has("error")) {
    throw new Error(`Entra ID sign-in failed: ${params.get("error_description") || params.get("error")}`);
  }
  if (!settings || !pending || params.get("state") !== pending.state) {
    throw new Error("Entra ID sign-in failed: the response does not match a sign-in begun in this tab.");
  }
  const response = await fetch(settings.token, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: settings.client_id,
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      scope: settings.scope,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(`Entra ID sign-in failed: ${body.error_description || body.error || response.status}`);
  }
  return body.access_token;
}
