/**
 * Same-origin hosting of the built add-in (task pane, dialog pages) and the security headers every response
 * carries. Deliberately absent: X-Frame-Options / frame-ancestors (Office on the web frames the task pane)
 * and Cross-Origin-Opener-Policy (it makes the Office dialog fail with 12006, addin-engineering §3.1).
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { existsSync, statSync } from "node:fs";

export const OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com";

/** Where msal-browser gets Microsoft tokens (IDENTITY_MODE=entra). */
export const MICROSOFT_LOGIN_ORIGIN = "https://login.microsoftonline.com";

/**
 * For HTML pages: our own scripts plus office.js from Microsoft's CDN, no inline script, no plugins, no
 * workers; frames only from our origin (the workbench shows the task pane in one). Inline styles stay
 * allowed because office.js and Fluent-style hosts inject them; they cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' ${OFFICE_JS_ORIGIN}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "worker-src 'none'",
  "media-src 'none'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** In entra mode msal-browser also talks to Microsoft's sign-in (token requests, its hidden silent-renewal frame). */
export function contentSecurityPolicy(identityMode: "local" | "entra"): string {
  if (identityMode === "local") return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${MICROSOFT_LOGIN_ORIGIN}`).replace(
    "frame-src 'self'",
    `frame-src 'self' ${MICROSOFT_LOGIN_ORIGIN}`,
  );
}

/** Browser features the add-in never uses, switched off for every page. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()";

export const TASKPANE_PAGE = "taskpane.html";

/**
 * nosniff, no-referrer and no cross-domain policy files everywhere; CSP and Permissions-Policy on HTML; API
 * and auth answers are not cached and may not be embedded by other origins; HSTS behind https.
 */
export function addSecurityHeaders(app: FastifyInstance, options: { https: boolean; identityMode?: "local" | "entra" }): void {
  const csp = contentSecurityPolicy(options.identityMode ?? "local");
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-permitted-cross-domain-policies", "none");
    if (options.https) reply.header("strict-transport-security", "max-age=31536000");
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.toLowerCase().startsWith("text/html")) {
      reply.header("content-security-policy", csp);
      reply.header("permissions-policy", PERMISSIONS_POLICY);
    }
    const path = request.url;
    if (path.startsWith("/api/") || path.startsWith("/auth/") || path === "/healthz" || path === "/readyz") {
      reply.header("cache-control", "no-store");
      reply.header("cross-origin-resource-policy", "same-origin");
    }
    return payload;
  });
}

/** Serves `dir` at `/` (the index is the task pane) when it exists; returns whether it did. */
export async function serveAddin(app: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/",
    index: [TASKPANE_PAGE],
    dotfiles: "deny",
    setHeaders: (reply, filePath) => {
      // Pages must pick up a new deployment at once; hashed bundles may be cached as usual.
      if (filePath.endsWith(".html")) reply.header("cache-control", "no-cache");
    },
  });
  return true;
}
