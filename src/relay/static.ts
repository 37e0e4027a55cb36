/**
 * Same-origin hosting of the built add-in (task pane, dialog pages) and the security headers every response
 * carries. Deliberately absent: X-Frame-Options / frame-ancestors (Office on the web frames the task pane)
 * and Cross-Origin-Opener-Policy (it makes the Office dialog fail with 12006, addin-engineering §3.1).
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { existsSync, statSync } from "node:fs";

export const OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com";

/** For HTML pages: our own scripts plus office.js from Microsoft's CDN; nothing inline but styles. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' ${OFFICE_JS_ORIGIN}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

export const TASKPANE_PAGE = "taskpane.html";

/** nosniff and no-referrer everywhere; CSP on HTML; no caching of API and auth answers; HSTS behind https. */
export function addSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook("onSend", async (request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    if (options.https) reply.header("strict-transport-security", "max-age=31536000");
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.toLowerCase().startsWith("text/html")) {
      reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    }
    const path = request.url;
    if (path.startsWith("/api/") || path.startsWith("/auth/") || path === "/healthz") reply.header("cache-control", "no-store");
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
