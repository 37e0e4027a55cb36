/**
 * A complete, valid WEB_APP_VIA_SERVER header set (spec 3.3) with realistic public addresses (not the spec's
 * documentation ranges, which are not public), and a helper to vary one header.
 */
export const VALID_FRAUD_HEADERS: Readonly<Record<string, string>> = {
  "Gov-Client-Connection-Method": "WEB_APP_VIA_SERVER",
  "Gov-Client-Browser-JS-User-Agent":
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
  "Gov-Client-Device-ID": "beec798b-b366-47fa-b1f8-92cede14a1ce",
  "Gov-Client-Multi-Factor": "type=TOTP&timestamp=2026-11-21T08%3A20%3A00.000Z&unique-reference=fc4b5fd6816f75a7c81fc8eaa9499d6a299bd803397166e8c4cf9280b801d62c",
  "Gov-Client-Public-IP": "81.2.69.142",
  "Gov-Client-Public-IP-Timestamp": "2026-11-21T08:30:05.120Z",
  "Gov-Client-Public-Port": "52143",
  "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1&colour-depth=24,width=3000&height=2000&scaling-factor=1.25&colour-depth=30",
  "Gov-Client-Timezone": "UTC+00:00",
  "Gov-Client-User-IDs": "mtd-bridge=alice%40example.co.uk&mtd-bridge-account=4f1c2a9e-2d7b-4a8e-9c55-0d3c1b7e9a21",
  "Gov-Client-Window-Size": "width=420&height=780",
  "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142",
  "Gov-Vendor-License-IDs": "mtd-bridge=8D7963490527D33716835EE7C195516D5E562E03B224E9B359836466EE40CDE1",
  "Gov-Vendor-Product-Name": "MTD%20Bridge",
  "Gov-Vendor-Public-IP": "51.140.12.34",
  "Gov-Vendor-Version": "mtd-bridge-addin=1.4.0&mtd-bridge-relay=1.4.0",
};

/** The valid set with some headers replaced; `undefined` removes a header. */
export function withHeaders(changes: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...VALID_FRAUD_HEADERS };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}
