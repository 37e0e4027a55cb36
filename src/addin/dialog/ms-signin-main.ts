/** Entry point of ms-signin.html (see ms-signin.ts). */
import type { IdentityInfo } from "../../mtd";
import { createMsalApp } from "../auth/microsoft";
import { MICROSOFT_REDIRECT_PAGE } from "../auth/microsoft-dialog";
import { runMicrosoftDialogPage } from "./ms-signin";
import { officeReady, show, tellParent } from "./parent";

async function identity(): Promise<IdentityInfo> {
  const res = await fetch("/api/identity", { headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" });
  if (!res.ok) throw new Error(`identity ${res.status}`);
  return (await res.json()) as IdentityInfo;
}

void officeReady().then((viaOffice) =>
  runMicrosoftDialogPage({
    identity,
    msal: (entra) => createMsalApp(entra, false, `${location.origin}${MICROSOFT_REDIRECT_PAGE}`),
    tell: (message) => tellParent(message, viaOffice),
    show,
  }),
);
