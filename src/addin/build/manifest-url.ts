/**
 * The manifest's one deployment-specific value is its origin. manifest.xml is written for development
 * (https://localhost:3000); the build derives the production copy from it with this function, which
 * webpack.config.js and test/manifest share so the tested transform is the shipped one. Pure strings: no
 * Node or DOM.
 */

export const DEV_ORIGIN = "https://localhost:3000";

/** Checks ADDIN_PUBLIC_URL and returns its origin (plus path prefix, if any) without a trailing slash. */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`ADDIN_PUBLIC_URL must be an absolute https URL such as https://mtd.example.co.uk, not "${value}".`);
  }
  if (url.protocol !== "https:") {
    throw new Error(`ADDIN_PUBLIC_URL must use https (Office only loads add-ins over https), not "${value}".`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error("ADDIN_PUBLIC_URL must be a plain origin or path, with no credentials, query or fragment.");
  }
  if (/^(localhost|127\.|\[::1\])/i.test(url.host)) {
    throw new Error("ADDIN_PUBLIC_URL must be the public address users reach, not localhost.");
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** manifest.xml with every development URL moved to `publicUrl`; refuses to return one still naming localhost. */
export function productionManifest(devManifest: string, publicUrl: string): string {
  const base = parsePublicUrl(publicUrl);
  const out = devManifest.split(DEV_ORIGIN).join(base);
  if (/localhost/i.test(out)) {
    throw new Error("manifest.xml still mentions localhost after the production URL was applied; use https://localhost:3000 for every development URL.");
  }
  return out;
}
