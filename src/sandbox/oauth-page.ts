/** The HTML of the sandbox's sign-in page and its error page: plain, accessible, every value escaped. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `body{font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c;line-height:1.4}
h1{font-size:1.75rem}label{display:block;font-weight:bold;margin:1rem 0 .25rem}
input[type=text]{font-size:1.1rem;padding:.4rem;width:14rem;border:2px solid #0b0c0c}
.hint{color:#505a5f;margin:.25rem 0}.error{color:#d4351c;font-weight:bold}
button{font-size:1.1rem;padding:.5rem 1rem;margin:1.5rem .5rem 0 0;cursor:pointer}
#grant{background:#00703c;color:#fff;border:0}#cancel{background:#f3f2f1;border:0}
:focus{outline:3px solid #fd0;outline-offset:0}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageModel {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  nino: string;
  /** Shown above the NINO field when the last attempt was not accepted. */
  error?: string;
}

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  "read:self-assessment": "view your Self Assessment information",
  "write:self-assessment": "change your Self Assessment information",
};

export function signInPage(m: SignInPageModel): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const scopes = m.scope
    .split(" ")
    .filter(Boolean)
    .map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`)
    .join("");
  const errorId = m.error ? "nino-error" : undefined;
  return page(
    "HMRC sandbox — sign in",
    `<h1>HMRC sandbox — sign in</h1>
<p>This is the local HMRC sandbox used for development and tests. No real HMRC account is involved.</p>
<p>The application <strong>${escapeHtml(m.clientId)}</strong> wants to:</p>
<ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">
${hidden("response_type", "code")}
${hidden("client_id", m.clientId)}
${hidden("redirect_uri", m.redirectUri)}
${hidden("scope", m.scope)}
${m.state !== undefined ? hidden("state", m.state) : ""}
<label for="nino">National Insurance number of the test user</label>
<p class="hint" id="nino-hint">For example, AA123456A</p>
${m.error ? `<p class="error" id="nino-error" role="alert">${escapeHtml(m.error)}</p>` : ""}
<input type="text" id="nino" name="nino" value="${escapeHtml(m.nino)}" autocomplete="off" spellcheck="false" aria-describedby="nino-hint${errorId ? ` ${errorId}` : ""}"${m.error ? ' aria-invalid="true"' : ""}>
<div>
<button type="submit" id="grant" name="action" value="grant">Grant authority</button>
<button type="submit" id="cancel" name="action" value="cancel">Cancel</button>
</div>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    "HMRC sandbox — sign-in problem",
    `<h1>HMRC sandbox — sign-in problem</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>Nothing was shared. Close this window and try connecting again from the application.</p>`,
  );
}
